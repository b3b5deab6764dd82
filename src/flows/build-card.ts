import { ACTION_IDS, type CardAction, type CardModel, type CardTable } from './card.js';
import { formatAmount, formatNumber, formatTime, listNames, modelLabel, platformLabel } from './format.js';
import type { ApprovalFlow } from './policy.js';
import type { Case, CaseSnapshot, Decision } from './types.js';

/** Lines shown on a card; the rest are summarised as "and N more". */
export const MAX_CARD_LINES = 5;

/** What a button carries back: the case and the version of the record the card showed. */
export interface ButtonValue {
  c: string;
  w: string | null;
}

export function encodeButtonValue(v: ButtonValue): string {
  return JSON.stringify(v);
}

export function summarise(flow: ApprovalFlow, s: CaseSnapshot): string {
  const what = `${modelLabel(flow.model)} ${s.reference}`;
  const from = s.partner ? ` from ${s.partner}` : '';
  const lines = s.lineCount > 0 ? `, ${s.lineCount} line${s.lineCount === 1 ? '' : 's'}` : '';
  const by = s.owner ? `, requested by ${s.owner}` : '';
  const on = s.date ? ` on ${s.date.slice(0, 10)}` : '';
  return `${what}${from}: ${formatAmount(s.amount, s.currency)}${lines}${by}${on}.`;
}

function linesTable(s: CaseSnapshot): CardTable | undefined {
  if (s.lines.length === 0) return undefined;
  const shown = s.lines.slice(0, MAX_CARD_LINES);
  return {
    columns: ['Product', 'Qty', 'Unit price', 'Subtotal'],
    rows: shown.map((l) => [
      l.product || l.description,
      formatNumber(l.quantity),
      formatAmount(l.unitPrice, null),
      formatAmount(l.subtotal, null),
    ]),
    omitted: Math.max(0, s.lineCount - shown.length),
  };
}

function decidedBy(d: Decision): string {
  const name = d.odooUserName ?? d.actor.displayName ?? d.actor.userId;
  return `${name} (${platformLabel(d.actor)})`;
}

function status(c: Case, d: Decision | null): CardModel['status'] {
  const waitingOn = listNames(c.approvers.map((a) => a.name));
  switch (c.status) {
    case 'open':
      return { tone: 'waiting', text: `Waiting for approval by ${waitingOn}` };
    case 'deciding': {
      const verb = d?.action === 'reject' ? 'Rejection' : 'Approval';
      const by = d ? ` by ${decidedBy(d)}` : '';
      const retry = d?.outcome ? ` ${d.outcome}` : '';
      return { tone: 'pending', text: `${verb}${by} is being written to Odoo.${retry}` };
    }
    case 'approved':
      return {
        tone: 'approved',
        text: d ? `Approved by ${decidedBy(d)} on ${formatTime(d.updatedAt)}` : 'Approved',
      };
    case 'rejected': {
      const reason = d?.reason ? ` Reason: ${d.reason}` : '';
      return {
        tone: 'rejected',
        text: d ? `Rejected by ${decidedBy(d)} on ${formatTime(d.updatedAt)}.${reason}` : 'Rejected',
      };
    }
    case 'cancelled':
      return {
        tone: 'closed',
        text: `Closed without a decision here: the document left the approval step in Odoo${c.snapshot.state ? ` (now "${c.snapshot.state}")` : ''}.`,
      };
    case 'failed':
      return { tone: 'error', text: d?.outcome ?? 'The decision could not be written to Odoo.' };
    default: {
      const never: never = c.status;
      return never;
    }
  }
}

export function buildCard(flow: ApprovalFlow, c: Case, decision: Decision | null, notice?: string | null): CardModel {
  const s = c.snapshot;
  const title = `${flow.title ?? modelLabel(flow.model)} ${s.reference}`;
  const facts = [
    { label: 'Vendor', value: s.partner ?? '—' },
    { label: 'Amount', value: formatAmount(s.amount, s.currency) },
    { label: 'Requested by', value: s.owner ?? '—' },
    { label: 'Date', value: s.date ? s.date.slice(0, 10) : '—' },
  ];
  const value = encodeButtonValue({ c: c.id, w: s.writeDate });
  const actions: CardAction[] =
    c.status === 'open'
      ? [
          { id: ACTION_IDS.approve, label: 'Approve', style: 'primary', value },
          { id: ACTION_IDS.reject, label: 'Reject', style: 'danger', value },
        ]
      : [];
  const st = status(c, decision);
  const table = linesTable(s);
  return {
    caseId: c.id,
    title,
    text: `${title}: ${st.text}`,
    facts,
    ...(table ? { table } : {}),
    summary: summarise(flow, s),
    status: notice ? { tone: st.tone === 'waiting' ? 'warning' : st.tone, text: `${st.text}\n${notice}` } : st,
    actions,
    ...(s.url ? { link: { label: 'Open in Odoo', url: s.url } } : {}),
    footer: `Case ${c.id.slice(0, 8)} · flow ${flow.id}`,
  };
}
