import { chatFor } from './chats.js';
import type { FlowDeps } from './deps.js';
import type { ChatActor, OdooUser } from './types.js';

/** How long a chat→Odoo identity link is trusted before it is checked again. */
export const IDENTITY_TTL_MS = 60 * 60 * 1000;

export type ActorResolution =
  | { ok: true; user: OdooUser }
  | { ok: false; reason: 'no_email' | 'no_odoo_user'; email: string | null };

/**
 * Maps a chat user to an Odoo user by the email the chat platform verified.
 * Never by display name: a name is not an identity.
 */
export async function resolveActor(deps: FlowDeps, actor: ChatActor): Promise<ActorResolution> {
  const cached = await deps.store.getIdentity(actor.platform, actor.userId);
  if (cached && deps.clock.now().getTime() - cached.checkedAt.getTime() < IDENTITY_TTL_MS) {
    const [user] = await deps.odoo.users([cached.odooUserId]);
    if (user?.active && !user.share) return { ok: true, user };
  }
  const email = await chatFor(deps, actor.platform).userEmail(actor.userId);
  if (!email) return { ok: false, reason: 'no_email', email: null };
  const user = await deps.odoo.findUserByEmail(email);
  if (!user) return { ok: false, reason: 'no_odoo_user', email };
  await deps.store.saveIdentity(actor.platform, actor.userId, user.id, email);
  return { ok: true, user };
}

export function notLinkedMessage(r: Extract<ActorResolution, { ok: false }>, platform: string): string {
  if (r.reason === 'no_email')
    return `Your ${platform} account has no email address the bot can see, so it cannot be linked to an Odoo user. Ask your ${platform} admin to make your email visible, then try again. Nothing was changed.`;
  return `Your ${platform} account (${r.email}) is not linked to an Odoo user: no active internal Odoo user has this email or login. Ask your Odoo admin to set it on your Odoo user, then try again. Nothing was changed.`;
}
