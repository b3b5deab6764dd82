import type { CaseFacts, CaseInsights, ContextDeps } from './context-ports.js';
import type { ApprovalFlow } from './policy.js';
import type { Logger } from './ports.js';
import { riskFlags, riskSettingsFor } from './risk-flags.js';
import { summariseFacts } from './summarise-facts.js';
import type { Case } from './types.js';

/** The flow's tier thresholds: every `minAmount`, ascending. */
export function tierThresholds(flow: ApprovalFlow): number[] {
  return [
    ...new Set(flow.tiers.flatMap((t) => (t.minAmount !== undefined && t.minAmount > 0 ? [t.minAmount] : []))),
  ].sort((a, b) => a - b);
}

/** Facts, flags and the fact-based summary for the case's current record version. */
export async function gatherInsights(
  ctx: ContextDeps,
  flow: ApprovalFlow,
  c: Case,
): Promise<{ facts: CaseFacts; insights: CaseInsights }> {
  const facts = await ctx.context.gather(c.odooModel, c.odooId, c.snapshot, tierThresholds(flow));
  const flags = riskFlags(facts, riskSettingsFor(flow.risk, ctx.priceIncreasePct));
  return {
    facts,
    insights: {
      writeDate: c.snapshot.writeDate,
      flags,
      summary: summariseFacts(c.odooModel, facts, flags),
      aiDraft: null,
      facts,
    },
  };
}

/**
 * Insights for a card: from the board when they describe this version of the
 * record, else gathered again and put on the board. Facts are a nicety: when
 * Odoo cannot answer, the card goes out with its plain summary rather than
 * waiting; when the store cannot, with facts read again from Odoo.
 */
export async function insightsFor(
  ctx: ContextDeps | undefined,
  flow: ApprovalFlow,
  c: Case,
  log: Logger,
): Promise<CaseInsights | null> {
  if (!ctx) return null;
  const fields = { caseId: c.id, odooModel: c.odooModel, odooId: c.odooId };
  const known = await ctx.insights.get(c.id).catch((err: unknown) => {
    log.warn(
      { ...fields, err },
      'could not read the saved risk flags and AI draft from the store; gathering them again',
    );
    return null;
  });
  if (known && known.writeDate === c.snapshot.writeDate) return known;
  let insights: CaseInsights;
  try {
    ({ insights } = await gatherInsights(ctx, flow, c));
  } catch (err) {
    log.warn(
      { ...fields, err },
      'could not read the context facts (vendor history, last prices) from Odoo; the card shows the plain summary without risk flags',
    );
    return null;
  }
  try {
    await ctx.insights.put(c.id, insights);
  } catch (err) {
    log.warn(
      { ...fields, err },
      'could not save the risk flags to the store; this card shows them, and the next redraw reads them from Odoo again',
    );
  }
  return insights;
}
