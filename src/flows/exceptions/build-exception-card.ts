import { ACTION_IDS, type CardAction, type CardModel, type CardTone } from '../card.js';
import { formatTime, listNames } from '../format.js';
import type { ExceptionPolicy } from './policy.js';
import type { ExceptionAction, ExceptionItem, ExceptionSeverity, ExceptionStatus } from './types.js';

/** Slack shows at most 10 fields in a section; the status facts come first. */
const MAX_FACTS = 10;

const SEVERITY_LABEL: Record<ExceptionSeverity, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

function tone(item: ExceptionItem): CardTone {
  const byStatus: Record<ExceptionStatus, CardTone> = {
    open: item.severity === 'critical' || item.sla.escalated ? 'error' : 'warning',
    assigned: 'pending',
    snoozed: 'waiting',
    resolved: 'approved',
    auto_closed: 'closed',
  };
  return byStatus[item.status];
}

function statusText(item: ExceptionItem): string {
  switch (item.status) {
    case 'open':
      return item.sla.escalated
        ? 'Open, escalated: nobody has picked it up'
        : 'Open: waiting for someone to pick it up';
    case 'assigned':
      return `Assigned to ${item.assignee?.name ?? 'someone'}${item.sla.escalated ? ' (escalated)' : ''}`;
    case 'snoozed':
      return `Snoozed until ${item.snoozedUntil ? formatTime(new Date(item.snoozedUntil)) : 'later'}`;
    case 'resolved':
      return `Resolved by ${item.resolution?.by.name ?? 'someone'}: ${item.resolution?.note ?? ''}`;
    case 'auto_closed':
      return 'Closed automatically: the record no longer matches the exception';
  }
}

function actions(def: ExceptionPolicy | null, item: ExceptionItem): CardAction[] {
  const offered = new Set<ExceptionAction>(def?.actions ?? []);
  const value = JSON.stringify({ c: item.id });
  const out: CardAction[] = [];
  if (offered.has('assign') && item.status !== 'snoozed')
    out.push({ id: ACTION_IDS.exceptionAssign, label: 'Assign to me', style: 'primary', value });
  if (offered.has('resolve'))
    out.push({
      id: ACTION_IDS.exceptionResolve,
      label: 'Resolve',
      style: 'default',
      value,
      input: {
        id: 'note',
        label: 'How was it resolved?',
        kind: 'text',
        required: true,
        placeholder: 'The note goes to the Odoo chatter and the audit log.',
      },
    });
  if (offered.has('snooze') && item.status !== 'snoozed')
    out.push({
      id: ACTION_IDS.exceptionSnooze,
      label: 'Snooze',
      style: 'default',
      value,
      input: { id: 'until', label: 'Snooze until', kind: 'date', required: true },
    });
  if (offered.has('escalate') && def?.escalateTo)
    out.push({ id: ACTION_IDS.exceptionEscalate, label: 'Escalate now', style: 'danger', value });
  return out;
}

/** The neutral card of an exception: what it is, the facts that explain it, who owns it and what can be done. */
export function buildExceptionCard(
  def: ExceptionPolicy | null,
  item: ExceptionItem,
  notice?: string | null,
): CardModel {
  const active = item.status === 'open' || item.status === 'assigned' || item.status === 'snoozed';
  const people = [...item.owners, ...item.escalated];
  const facts = [
    { label: 'Severity', value: SEVERITY_LABEL[item.severity] },
    ...(item.reference ? [{ label: 'Record', value: item.reference }] : []),
    { label: 'Owners', value: listNames(item.owners.map((o) => o.name)) },
    ...(item.escalated.length ? [{ label: 'Escalated to', value: listNames(item.escalated.map((o) => o.name)) }] : []),
    ...(item.assignee && active ? [{ label: 'Assigned to', value: item.assignee.name }] : []),
    ...(item.sla.dueAt && active ? [{ label: 'SLA due', value: formatTime(new Date(item.sla.dueAt)) }] : []),
    ...item.facts,
  ].slice(0, MAX_FACTS);
  const summary = [...(notice ? [notice] : []), ...(item.details.length ? item.details : [`${item.title}.`])].join(
    '\n',
  );
  return {
    caseId: item.id,
    kind: 'exception',
    actors: people.map((p) => ({ email: p.email })),
    title: `${item.severity === 'critical' ? '🚨 ' : ''}${item.title}${item.reference ? `: ${item.reference}` : ''}`,
    text: `Exception (${item.type}): ${item.title}${item.reference ? ` (${item.reference})` : ''} — ${statusText(item)}`,
    facts,
    summary,
    status: { tone: tone(item), text: statusText(item) },
    actions: active ? actions(def, item) : [],
    ...(item.url ? { link: { label: 'Open in Odoo', url: item.url } } : {}),
    footer: `Exception ${item.type} · ${item.definitionId} · opened ${formatTime(item.createdAt)}`,
  };
}
