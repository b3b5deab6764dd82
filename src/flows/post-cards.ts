import { buildCard } from './build-card.js';
import { insightsFor } from './case-insights.js';
import { platformsOf } from './chats.js';
import type { FlowDeps } from './deps.js';
import { findFlow } from './find-flow.js';
import { enqueueSummary } from './summary-job.js';
import type { ChatTarget, PostedMessageRef } from './types.js';

/**
 * Posts a case's card, on every configured platform, to the flow's channel
 * and to each approver whose Odoo email belongs to a chat account there.
 * Safe to run again (after a partial failure, a new tier, an escalation or a
 * forward): targets already posted to are skipped.
 */
export async function postCards(deps: FlowDeps, caseId: string): Promise<void> {
  const c = await deps.store.getCase(caseId);
  if (c?.status !== 'open' && c?.status !== 'info_requested') return;
  const flow = findFlow(deps.policy, c.flowId);
  const card = buildCard(flow, c, null, null, await insightsFor(deps.context, flow, c, deps.log));
  const posted = await deps.store.listPostedMessages(caseId);
  for (const chat of platformsOf(deps)) {
    const log = deps.log.child({ caseId, platform: chat.platform });
    const mine = posted.filter((m) => m.platform === chat.platform);
    const targets: Array<{ target: ChatTarget; label: string }> = [];
    const channel = await chat.channelFor(flow.id);
    if (channel && !mine.some((m) => m.kind === 'channel' && m.channelId === channel))
      targets.push({ target: { kind: 'channel', channelId: channel }, label: channel });
    // DMs go out on the platforms the flow names (a Teams-only flow does not DM on Slack).
    const settings = chat.platform === 'slack' ? flow.slack : flow.teams;
    if (settings?.dmApprovers) {
      for (const a of c.approvers) {
        if (c.requesterIds.includes(a.odooUserId) || !a.email) continue;
        const userId = await chat.findUserByEmail(a.email);
        if (!userId) {
          log.info({ odooUserId: a.odooUserId }, 'approver has no chat account with their Odoo email; not sent a DM');
          continue;
        }
        if (mine.some((m: PostedMessageRef) => m.kind === 'dm' && m.recipient === userId)) continue;
        if (targets.some((t) => t.target.kind === 'user' && t.target.userId === userId)) continue;
        targets.push({ target: { kind: 'user', userId }, label: a.name });
      }
    }
    for (const t of targets) {
      const ref = await chat.postCard(t.target, card);
      await deps.store.addPostedMessage(caseId, ref);
      await deps.audit.append({
        type: 'card.posted',
        caseId,
        data: {
          platform: ref.platform,
          channelId: ref.channelId,
          messageId: ref.messageId,
          kind: ref.kind,
          to: t.label,
        },
      });
    }
    log.info({ posted: targets.length }, 'cards posted');
  }
  // After posting, never before: the AI draft only ever updates a card that is already there.
  await enqueueSummary(deps, caseId, c.snapshot.writeDate);
}
