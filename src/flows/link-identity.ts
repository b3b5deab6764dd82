import { isAppError } from '../errors.js';
import type { FlowDeps } from './deps.js';
import { platformLabel } from './format.js';
import { notLinkedMessage, resolveActor } from './resolve-actor.js';
import type { ChatActor, OdooUser } from './types.js';

/**
 * Per-user Odoo API keys, kept encrypted (`PgCredentialStore` implements it).
 * Declared here because flows import no adapter; a candidate for ports.ts.
 */
export interface UserCredentials {
  save(odooUserId: number, login: string, apiKey: string): Promise<void>;
  remove(odooUserId: number): Promise<boolean>;
  has(odooUserId: number): Promise<boolean>;
}

/**
 * Asks Odoo whether `login` + `apiKey` may log in; resolves to the uid.
 * Throws the gateway's `odoo.access_denied` when Odoo refuses the key and a
 * transient error when Odoo cannot be reached.
 */
export type VerifyOdooKey = (login: string, apiKey: string) => Promise<number>;

export type LinkIdentityDeps = FlowDeps & {
  credentials: UserCredentials;
  verifyOdooKey: VerifyOdooKey;
};

function actorKey(actor: ChatActor): string {
  return `${actor.platform}:${actor.userId}`;
}

/** What the link form shows, or why the person cannot link at all. */
export async function prepareLink(
  deps: FlowDeps & { credentials: Pick<UserCredentials, 'has'> },
  actor: ChatActor,
): Promise<{ ok: true; user: OdooUser; linked: boolean } | { ok: false; text: string }> {
  const me = await resolveActor(deps, actor);
  if (!me.ok) return { ok: false, text: notLinkedMessage(me, platformLabel(actor)) };
  return { ok: true, user: me.user, linked: await deps.credentials.has(me.user.id) };
}

/** The answer to a submitted key: a sentence to show privately, or an error for the form's key field. */
export type LinkResult = { ok: true; text: string } | { ok: false; fieldError: string };

/**
 * Saves the person's own Odoo API key after Odoo accepted it for their login.
 * The key is never logged or audited; only who linked and as which Odoo user.
 */
export async function linkIdentity(
  deps: LinkIdentityDeps,
  input: { actor: ChatActor; apiKey: string },
): Promise<LinkResult> {
  const { actor } = input;
  const me = await resolveActor(deps, actor);
  if (!me.ok) return { ok: false, fieldError: notLinkedMessage(me, platformLabel(actor)) };
  const { user } = me;
  let uid: number;
  try {
    uid = await deps.verifyOdooKey(user.login, input.apiKey);
  } catch (err) {
    if (isAppError(err) && err.kind === 'transient') {
      deps.log.warn({ err, actor: actorKey(actor) }, 'could not check an Odoo API key');
      return {
        ok: false,
        fieldError: 'Odoo is not answering right now, so the key could not be checked. Try again in a minute.',
      };
    }
    if (isAppError(err) && (err.code === 'odoo.access_denied' || err.kind === 'forbidden')) {
      return {
        ok: false,
        fieldError: `Odoo refused this key for the login "${user.login}". Check that you copied the whole key, that you created it while logged in as ${user.login}, and that it has not expired or been revoked.`,
      };
    }
    deps.log.error({ err, actor: actorKey(actor) }, 'unexpected error while checking an Odoo API key');
    return {
      ok: false,
      fieldError: 'The key could not be checked because of an error on our side; it was not saved. Try again later.',
    };
  }
  if (uid !== user.id) {
    return {
      ok: false,
      fieldError: `This key logs in as another Odoo user, not as ${user.login}. Create the key while logged in as ${user.login}.`,
    };
  }
  await deps.credentials.save(user.id, user.login, input.apiKey);
  await deps.audit.append({
    type: 'identity.linked',
    actor: actorKey(actor),
    data: { odooUserId: user.id, login: user.login },
  });
  return {
    ok: true,
    text: `Your Odoo API key is linked: approvals that Odoo records per person are now made as ${user.name} (${user.login}). Remove it with \`/odoo unlink\` or by revoking the key in Odoo.`,
  };
}

/** `/odoo unlink`: forgets the person's stored key. */
export async function unlinkIdentity(deps: LinkIdentityDeps, actor: ChatActor): Promise<{ text: string }> {
  const me = await resolveActor(deps, actor);
  if (!me.ok) return { text: notLinkedMessage(me, platformLabel(actor)) };
  const removed = await deps.credentials.remove(me.user.id);
  if (!removed) return { text: 'You have no Odoo API key linked; nothing to remove.' };
  await deps.audit.append({
    type: 'identity.unlinked',
    actor: actorKey(actor),
    data: { odooUserId: me.user.id, login: me.user.login },
  });
  return {
    text: 'Your Odoo API key is removed from the bot. It still exists in Odoo: revoke it there (My Profile → Account Security) if you no longer need it.',
  };
}
