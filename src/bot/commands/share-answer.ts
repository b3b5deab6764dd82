import { randomBytes } from 'node:crypto';
import type { FlowDeps } from '../../flows/deps.js';
import type { ChatActor } from '../../flows/types.js';
import { parseCommand } from './parse-command.js';
import { atOffset, isShareable } from './parse-query-command.js';
import { type CommandReply, runCommand, todayIn } from './run-command.js';

/** Action id (Slack) and verb (Teams) of the "Share" button under an answer. */
export const COMMAND_SHARE_ACTION = 'command.share';

/** A Share button's key: 16 url-safe characters (96 random bits). */
export const SHARE_KEY = /^[A-Za-z0-9_-]{16}$/;

/** A fresh key for one answer's Share button; sharing that answer is claimed under it, once. */
export function newShareKey(): string {
  return randomBytes(12).toString('base64url');
}

export type TextReply = Extract<CommandReply, { kind: 'text' }>;

export const SHARE_DAMAGED_TEXT = 'This Share button is damaged, so nothing was shared. Ask the question again.';
export const SHARE_NOT_ASKER_TEXT =
  'Only the person who asked can share this answer, so nothing was shared. Ask the question yourself to get your own answer.';
export const SHARE_ALREADY_TEXT = 'You already shared this answer there; it was not posted again.';
export const SHARE_SORRY_TEXT =
  'The answer could not be shared (Odoo, the database or the chat service is not answering). Ask the question again in a minute and share the new answer.';

export interface ShareRequest {
  /** The key of the answer's Share button (`newShareKey`). */
  key: string;
  /** Chat user id of the person the answer was for. */
  askerId: string;
  /** Who clicked Share. */
  actor: ChatActor;
  /** Command text and offset of the answer, as the button carries them. */
  query: string;
  offset: number;
  /** The command as typed (`/odoo`), for the audit entry. */
  command: string;
  /** The conversation it is shared in, for the audit entry. */
  where: string;
}

export type ShareResult =
  | { kind: 'shared'; reply: TextReply }
  | { kind: 'already_shared'; reply: TextReply }
  | { kind: 'refused'; text: string };

/**
 * "Share" under a private answer: posts the answer where it was asked, once.
 * Only the asker may share, and the answer is asked again as them, so it shows
 * what their own visibility allows (the page they saw, as it is now). A
 * double click, a retry or a second process is stopped by claiming the key
 * in the store before `post`; if `post` then fails, the key stays used and the
 * person asks again. Every share is in the audit log, since it shows cases to
 * people who may not see them in Odoo.
 */
export async function shareAnswer(
  deps: FlowDeps,
  request: ShareRequest,
  post: (reply: TextReply) => Promise<void>,
): Promise<ShareResult> {
  const { actor } = request;
  if (actor.userId !== request.askerId) return { kind: 'refused', text: SHARE_NOT_ASKER_TEXT };
  if (!SHARE_KEY.test(request.key)) return { kind: 'refused', text: SHARE_DAMAGED_TEXT };
  const parsed = parseCommand(request.query, todayIn(deps.clock.now(), deps.policy.calendar.timeZone), request.command);
  if (!isShareable(parsed)) return { kind: 'refused', text: SHARE_DAMAGED_TEXT };
  const reply = await runCommand({ flow: deps }, actor, atOffset(parsed, request.offset), request.command);
  if (reply.kind !== 'text') return { kind: 'refused', text: SHARE_DAMAGED_TEXT };
  // Not an answer any more (the person was unlinked, the flow left the policy): say why, share nothing.
  if (!reply.share) return { kind: 'refused', text: `${reply.text}\nNothing was shared.` };
  const by = `${actor.platform}:${actor.userId}`;
  const claimed = await deps.store.claimCheckpoint(
    `share.${actor.platform}.${request.key}`,
    JSON.stringify({ by, at: deps.clock.now().toISOString() }),
  );
  if (!claimed) return { kind: 'already_shared', reply };
  await post(reply);
  try {
    await deps.audit.append({
      type: 'answer.shared',
      actor: by,
      data: { command: `${request.command} ${request.query}`, offset: request.offset, conversation: request.where },
    });
  } catch (err) {
    deps.log.error({ err, platform: actor.platform, actor: by }, 'an answer was shared but its audit entry failed');
  }
  return { kind: 'shared', reply };
}
