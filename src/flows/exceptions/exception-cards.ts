import { isTransient } from '../../errors.js';
import { chatFor, platformsOf } from '../chats.js';
import { buildExceptionCard } from './build-exception-card.js';
import { type ExceptionDeps, findDefinition } from './exception-support.js';

/**
 * Posts the exception's card to the definition's channel on every platform.
 * Safe to run again: channels already posted to are skipped.
 */
export async function postExceptionCards(deps: ExceptionDeps, exceptionId: string): Promise<void> {
  const item = await deps.exceptions.get(exceptionId);
  if (!item) return;
  const def = findDefinition(deps, item.definitionId);
  const card = buildExceptionCard(def, item);
  const posted = await deps.exceptions.listPostedMessages(exceptionId);
  for (const chat of platformsOf(deps)) {
    const log = deps.log.child({ exceptionId, platform: chat.platform });
    const channel = await chat.channelFor(item.definitionId);
    if (!channel) {
      log.warn(
        { definitionId: item.definitionId },
        `no ${chat.platform} channel for exception "${item.definitionId}": give ${chat.platform}.channel in the policy file (or link one from chat); the card was not posted there`,
      );
      continue;
    }
    if (posted.some((m) => m.platform === chat.platform && m.channelId === channel)) continue;
    const ref = await chat.postCard({ kind: 'channel', channelId: channel }, card);
    await deps.exceptions.addPostedMessage(exceptionId, ref);
    await deps.audit.append({
      type: 'card.posted',
      caseId: exceptionId,
      data: { platform: ref.platform, channelId: ref.channelId, messageId: ref.messageId, kind: ref.kind },
    });
  }
}

/** Redraws every posted copy of the exception's card from the stored state. */
export async function refreshExceptionCards(
  deps: ExceptionDeps,
  exceptionId: string,
  notice?: string | null,
): Promise<void> {
  const item = await deps.exceptions.get(exceptionId);
  if (!item) return;
  const card = buildExceptionCard(findDefinition(deps, item.definitionId), item, notice);
  let transient: unknown = null;
  for (const ref of await deps.exceptions.listPostedMessages(exceptionId)) {
    try {
      await chatFor(deps, ref.platform).updateCard(ref, card);
    } catch (err) {
      if (isTransient(err)) transient = err;
      else deps.log.warn({ exceptionId, platform: ref.platform, err }, 'could not update an exception card');
    }
  }
  if (transient) throw transient;
}

/** Posts a line in the thread under every channel card of the exception (escalations, resolutions). */
export async function replyUnderExceptionCards(deps: ExceptionDeps, exceptionId: string, text: string): Promise<void> {
  for (const ref of await deps.exceptions.listPostedMessages(exceptionId)) {
    if (ref.kind !== 'channel') continue;
    try {
      await chatFor(deps, ref.platform).postReply(ref, text);
    } catch (err) {
      if (isTransient(err)) throw err;
      deps.log.warn({ exceptionId, platform: ref.platform, err }, 'could not reply under an exception card');
    }
  }
}
