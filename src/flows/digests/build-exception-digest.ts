import type { CardModel } from '../card.js';
import type { FlowDeps } from '../deps.js';
import type { ExceptionPolicy } from '../exceptions/policy.js';
import type { ExceptionItem } from '../exceptions/types.js';
import { localTime } from '../queries/describe-time.js';
import { DIGEST_LINES } from './build-flow-digest.js';
import {
  activeExceptions,
  awaitsAction,
  exceptionAge,
  exceptionLabel,
  exceptionOwnerText,
  exceptionSlaState,
} from './open-exceptions.js';
import { businessHoursText } from './waiting-cases.js';

function itemLine(deps: Pick<FlowDeps, 'policy' | 'clock'>, def: ExceptionPolicy, item: ExceptionItem): string {
  const sla = exceptionSlaState(deps, item).text;
  return `${exceptionLabel(item, def.title)} · ${businessHoursText(exceptionAge(deps, item))} · ${exceptionOwnerText(item)}${sla ? ` · ${sla}` : ''}`;
}

function more(total: number, shown: number, id: string): string[] {
  return total > shown ? [`…and ${total - shown} more: \`exceptions ${id}\` lists them all.`] : [];
}

/**
 * The daily digest of one exception definition: the open exceptions (oldest
 * first) with owner and age against the SLA, then those past it (escalated
 * or overdue). Snoozed ones are only counted: they wait for their date.
 * Null when none is open or assigned, so the digest is skipped. A card with
 * no actions: people act on the exceptions' own cards.
 */
export async function buildExceptionDigest(
  deps: Pick<FlowDeps, 'policy' | 'clock' | 'exceptions'>,
  def: ExceptionPolicy,
  date: string,
): Promise<CardModel | null> {
  const active = await activeExceptions(deps, def.id);
  const open = active.filter(awaitsAction);
  if (open.length === 0) return null;
  const snoozed = active.length - open.length;
  const breached = open.filter((i) => exceptionSlaState(deps, i).breach !== null);
  const unassigned = open.filter((i) => !i.assignee).length;
  const openLines = open.slice(0, DIGEST_LINES).map((i, n) => `${n + 1}. ${itemLine(deps, def, i)}`);
  const breachedLines = breached.slice(0, DIGEST_LINES).map((i) => `• ${itemLine(deps, def, i)}`);
  const summary = [
    'Open, oldest first (age in business hours):',
    ...openLines,
    ...more(open.length, openLines.length, def.id),
    ...(breached.length
      ? [
          '',
          'Past SLA (escalated or overdue):',
          ...breachedLines,
          ...more(breached.length, breachedLines.length, def.id),
        ]
      : []),
  ].join('\n');
  const oldest = open[0]!;
  const now = deps.clock.now();
  const tz = deps.policy.calendar.timeZone;
  return {
    caseId: `digest.${def.id}.${date}`,
    title: `Daily digest · ${def.title}`,
    text: `${def.title}: ${open.length} open, ${breached.length} past SLA`,
    facts: [
      { label: 'Open', value: String(open.length) },
      { label: 'Unassigned', value: String(unassigned) },
      { label: 'Past SLA', value: String(breached.length) },
      ...(snoozed ? [{ label: 'Snoozed', value: String(snoozed) }] : []),
      {
        label: 'Oldest',
        value: `${exceptionLabel(oldest, def.title)} (${businessHoursText(exceptionAge(deps, oldest))})`,
      },
    ],
    summary,
    status: breached.length
      ? {
          tone: 'warning',
          text: `${breached.length} ${breached.length === 1 ? 'exception is' : 'exceptions are'} past SLA`,
        }
      : { tone: 'waiting', text: 'Nothing is past its SLA' },
    actions: [],
    footer: `As of ${localTime(now, tz)} (${tz}). Ask \`exceptions ${def.id}\` for the full list.`,
  };
}
