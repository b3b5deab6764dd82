import { buildCard } from './build-card.js';
import type { FlowDeps } from './deps.js';
import { findFlow } from './find-flow.js';
import type { ChatTarget, PostedMessageRef } from './types.js';

/**
 * Posts a new case's card to the flow's channel and, when configured, to each
 * approver whose Odoo email belongs to a chat user. Safe to run again after a
 * partial failure: targets already posted to are skipped.
 */
export async function postCards(deps: FlowDeps, caseId: string): Promise<void> {
  const c = await deps.store.getCase(caseId);
  if (c?.status !== 'open') return;
  const flow = findFlow(deps.policy, c.flowId);
  const log = deps.log.child({ caseId, platform: deps.chat.platform });
  const card = buildCard(flow, c, null);
  const posted = await deps.store.listPostedMessages(caseId);
  const has = (pred: (m: PostedMessageRef) => boolean) => posted.some(pred);

  const targets: Array<{ target: ChatTarget; label: string; approver?: number }> = [];
  if (!has((m) => m.kind === 'channel' && m.channelId === flow.slack.channel))
    targets.push({ target: { kind: 'channel', channelId: flow.slack.channel }, label: flow.slack.channel });
  if (flow.slack.dmApprovers) {
    for (const a of c.approvers) {
      if (c.requesterIds.includes(a.odooUserId) || !a.email) continue;
      const userId = await deps.chat.findUserByEmail(a.email);
      if (!userId) {
        log.info({ odooUserId: a.odooUserId }, 'approver has no chat account with their Odoo email; not sent a DM');
        continue;
      }
      if (has((m) => m.kind === 'dm' && m.recipient === userId)) continue;
      targets.push({ target: { kind: 'user', userId }, label: a.name, approver: a.odooUserId });
    }
  }
  for (const t of targets) {
    const ref = await deps.chat.postCard(t.target, card);
    await deps.store.addPostedMessage(caseId, ref);
    await deps.audit.append({
      type: 'card.posted',
      caseId,
      data: { platform: ref.platform, channelId: ref.channelId, messageId: ref.messageId, kind: ref.kind, to: t.label },
    });
  }
  log.info({ posted: targets.length }, 'cards posted');
}
