import type { CardModel } from '../card.js';
import type { FlowDeps } from '../deps.js';
import { formatAmount, listNames } from '../format.js';
import type { ApprovalFlow } from '../policy.js';
import { localTime } from '../queries/describe-time.js';
import type { Case } from '../types.js';
import { businessAge, businessHoursText, slaBreach, waitingCases, waitsOn } from './waiting-cases.js';

/** Lines per list: the card must fit Slack's 3000-character section and Teams' text budget. */
export const DIGEST_LINES = 8;

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function caseLine(deps: Pick<FlowDeps, 'policy' | 'clock'>, c: Case): string {
  const who = listNames(
    waitsOn(c).map((a) => a.name),
    3,
  );
  const question = c.status === 'info_requested' ? ' · question open' : '';
  return `${cut(c.snapshot.reference, 40)} · ${formatAmount(c.snapshot.amount, c.snapshot.currency)} · ${businessHoursText(businessAge(deps, c))} · waits on ${cut(who, 80)}${question}`;
}

function more(total: number, shown: number, flowId: string): string[] {
  return total > shown ? [`…and ${total - shown} more: \`pending all ${flowId}\` lists them all.`] : [];
}

/**
 * The daily digest of one flow: what waits (oldest first, age in business
 * hours, who it waits on) and what is past its SLA (escalated or overdue).
 * Null when nothing waits, so the digest is skipped. A card with no actions:
 * it informs, people act on the cases' own cards.
 */
export async function buildFlowDigest(
  deps: Pick<FlowDeps, 'policy' | 'clock' | 'store'>,
  flow: ApprovalFlow,
  date: string,
): Promise<CardModel | null> {
  const waiting = await waitingCases(deps, flow.id);
  if (waiting.length === 0) return null;
  const now = deps.clock.now();
  const breached = waiting.map((c) => ({ c, why: slaBreach(c, now) })).filter((b) => b.why !== null);
  const name = flow.title ?? flow.id;
  const waitingLines = waiting.slice(0, DIGEST_LINES).map((c, i) => `${i + 1}. ${caseLine(deps, c)}`);
  const breachedLines = breached.slice(0, DIGEST_LINES).map(({ c, why }) => `• ${caseLine(deps, c)} · ${why}`);
  const summary = [
    `Waiting, oldest first (age in business hours):`,
    ...waitingLines,
    ...more(waiting.length, waitingLines.length, flow.id),
    ...(breached.length
      ? [
          '',
          'Past SLA (escalated or overdue):',
          ...breachedLines,
          ...more(breached.length, breachedLines.length, flow.id),
        ]
      : []),
  ].join('\n');
  const oldest = waiting[0]!;
  const pastSla = `${breached.length} past SLA`;
  return {
    caseId: `digest.${flow.id}.${date}`,
    title: `Daily digest · ${name}`,
    text: `${name}: ${waiting.length} waiting, ${pastSla}`,
    facts: [
      { label: 'Waiting', value: String(waiting.length) },
      { label: 'Past SLA', value: String(breached.length) },
      {
        label: 'Oldest',
        value: `${cut(oldest.snapshot.reference, 40)} (${businessHoursText(businessAge(deps, oldest))})`,
      },
    ],
    summary,
    status: breached.length
      ? {
          tone: 'warning',
          text: `${breached.length} ${breached.length === 1 ? 'approval is' : 'approvals are'} past SLA`,
        }
      : { tone: 'waiting', text: 'Nothing is past its SLA' },
    actions: [],
    footer: `As of ${localTime(now, deps.policy.calendar.timeZone)} (${deps.policy.calendar.timeZone}). Ask \`pending all ${flow.id}\` for the full list.`,
  };
}
