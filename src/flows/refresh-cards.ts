import { isTransient } from '../errors.js';
import { buildCard } from './build-card.js';
import { insightsFor } from './case-insights.js';
import { chatFor } from './chats.js';
import type { FlowDeps } from './deps.js';
import { findFlow } from './find-flow.js';
import { enqueueSummary } from './summary-job.js';

/** Redraws every posted copy of a case's card from the stored state. */
export async function refreshCards(deps: FlowDeps, caseId: string, notice?: string | null): Promise<void> {
  const c = await deps.store.getCase(caseId);
  if (!c) return;
  const flow = findFlow(deps.policy, c.flowId);
  const decision = c.decisionId ? await deps.store.getDecision(c.decisionId) : null;
  const insights = await insightsFor(deps.context, flow, c, deps.log);
  const card = buildCard(flow, c, decision, notice, insights);
  const refs = await deps.store.listPostedMessages(caseId);
  let transient: unknown = null;
  for (const ref of refs) {
    try {
      await chatFor(deps, ref.platform).updateCard(ref, card);
    } catch (err) {
      // Keep going so one deleted DM does not leave the channel card stale.
      if (isTransient(err)) transient = err;
      else deps.log.warn({ caseId, platform: ref.platform, err }, 'could not update a card; it was probably deleted');
    }
  }
  if (transient) throw transient;
  // A new record version has no draft yet: ask for one (deduplicated per version, answered from cache when known).
  if (insights && !insights.aiDraft && (c.status === 'open' || c.status === 'info_requested'))
    await enqueueSummary(deps, caseId, c.snapshot.writeDate);
}
