import type { FlowDeps } from './deps.js';
import type { ChatPlatform } from './ports.js';
import type { ChatActor, Platform } from './types.js';

/** Every chat platform this deployment runs (Slack, Teams, or both). */
export function platformsOf(deps: Pick<FlowDeps, 'chat' | 'chats'>): ChatPlatform[] {
  return deps.chats?.length ? deps.chats : [deps.chat];
}

/** The platform a ref or an actor belongs to. */
export function chatFor(deps: Pick<FlowDeps, 'chat' | 'chats'>, platform: Platform): ChatPlatform {
  return platformsOf(deps).find((p) => p.platform === platform) ?? deps.chat;
}

/**
 * Sends a private message to an Odoo user on every platform where their
 * Odoo email belongs to a chat account. Returns how many were reached.
 */
export async function tellOdooUser(
  deps: Pick<FlowDeps, 'chat' | 'chats' | 'log'>,
  email: string | null,
  text: string,
): Promise<number> {
  if (!email) return 0;
  let reached = 0;
  for (const chat of platformsOf(deps)) {
    const userId = await chat.findUserByEmail(email);
    if (!userId) continue;
    const actor: ChatActor = { platform: chat.platform, userId };
    await chat.tellUser(actor, text);
    reached++;
  }
  return reached;
}
