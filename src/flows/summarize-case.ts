import { insightsFor } from './case-insights.js';
import type { FlowDeps } from './deps.js';
import { findFlow } from './find-flow.js';
import { refreshCards } from './refresh-cards.js';
import type { SummarizeCaseJob } from './summary-job.js';

/**
 * Drafts the AI summary of a case and, when it passes the fact check, shows
 * it on every copy of the card. Any failure leaves the deterministic summary
 * in place: the AI never decides anything and is never retried into a storm.
 */
export async function summarizeCase(deps: FlowDeps, job: SummarizeCaseJob): Promise<void> {
  const ctx = deps.context;
  if (!ctx?.summarizer) return;
  const c = await deps.store.getCase(job.caseId);
  if (c?.status !== 'open' && c?.status !== 'info_requested') return;
  const flow = findFlow(deps.policy, c.flowId);
  // `ai: { enabled: false }`: this flow's documents never go to the provider; the card keeps the deterministic summary.
  if (flow.ai?.enabled === false) return;
  const log = deps.log.child({ caseId: c.id, odooModel: c.odooModel, odooId: c.odooId });
  const base = await insightsFor(ctx, flow, c, log);
  const facts = base?.facts;
  if (!base || !facts) return;
  // Another process (or this one before a restart) already showed a draft for this version.
  if (base.aiDraft) return;
  const key = `${c.odooModel}:${c.odooId}:${c.snapshot.writeDate ?? 'none'}`;
  const outcome = await ctx.summarizer.summarize(key, facts, base.flags, flow.ai?.facts);
  switch (outcome.status) {
    case 'shown':
      await ctx.insights.put(c.id, { ...base, aiDraft: outcome.text });
      log.info({ promptVersion: outcome.promptVersion, cached: outcome.cached }, 'AI-drafted summary shown');
      await refreshCards(deps, c.id);
      return;
    case 'rejected':
      log.warn(
        { reasons: outcome.reasons },
        'the AI draft did not match the facts sent and was not shown; the card keeps the deterministic summary',
      );
      return;
    case 'unavailable':
      log.info(
        { reason: outcome.reason, detail: outcome.detail },
        'no AI draft; the card keeps the deterministic summary',
      );
      return;
    default: {
      const never: never = outcome;
      return never;
    }
  }
}
