import { ACTION_IDS, type CardAction, type CardModel, type CardTable } from './card.js';
import type { CaseInsights } from './context-ports.js';
import { formatAmount, formatNumber, formatTime, listNames, modelLabel, platformLabel } from './format.js';
import type { ApprovalFlow } from './policy.js';
import { currentTier, missingText } from './tiers.js';
import type { Case, CaseSnapshot, Decision } from './types.js';

/** Lines shown on a card; the rest are summarised as "and N more". */
export const MAX_CARD_LINES = 5;

/** What a button carries back: the case and the version of the record the card showed. */
export interface ButtonValue {
  c: string;
  w: string | null;
  /** The tier the card asked for. */
  t?: number;
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

function approverName(a: Case['approvers'][number]): string {
  return a.onBehalfOf ? `${a.name} (for ${a.onBehalfOf.name})` : a.name;
}

function waitingText(c: Case): string {
  const tier = currentTier(c);
  const names = listNames([...new Set(c.approvers.map(approverName))]);
  if (!tier) return `Waiting for approval by ${names}`;
  const step = c.tiers.length > 1 ? ` at step ${c.currentTier + 1} of ${c.tiers.length} ("${tier.name}")` : '';
  const missing =
    tier.approvals.length > 0 || tier.minApprovals > 1 || tier.required.length > 0
      ? ` — needs ${missingText(tier)}`
      : '';
  return `Waiting for approval${step} by ${names}${missing}`;
}

function status(c: Case, d: Decision | null): CardModel['status'] {
  switch (c.status) {
    case 'open':
      return { tone: 'waiting', text: waitingText(c) };
    case 'info_requested': {
      const q = c.infoRequests.at(-1);
      return {
        tone: 'warning',
        text: `${q ? `${q.askedBy.name} asked: "${q.question}"` : 'A question was asked'} — waiting for the requester's answer. ${waitingText(c)}`,
      };
    }
    case 'expired':
      return { tone: 'closed', text: 'Expired: no decision within the time the policy allows. Nothing was approved.' };
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

/** Flag codes as the card names them. */
const FLAG_LABELS: Record<CaseInsights['flags'][number]['code'], string> = {
  new_vendor: 'New vendor',
  price_increase: 'Price increase',
  amount_above_usual: 'Unusual amount',
  split_order: 'Possible split order',
  duplicate_reference: 'Duplicate reference',
  bill_variance: 'Bill variance',
  billed_over_received: 'Billed over received',
  bill_price_above_order: 'Bill price above order',
  discount_above_limit: 'Discount above limit',
  margin_below_limit: 'Margin below limit',
};

/**
 * `insights` (risk flags, the fact-based summary and an accepted AI draft)
 * apply only to the record version they were built for.
 */
export function buildCard(
  flow: ApprovalFlow,
  c: Case,
  decision: Decision | null,
  notice?: string | null,
  insights?: CaseInsights | null,
): CardModel {
  const s = c.snapshot;
  const title = `${flow.title ?? modelLabel(flow.model)} ${s.reference}`;
  const facts = [
    { label: 'Vendor', value: s.partner ?? '—' },
    { label: 'Amount', value: formatAmount(s.amount, s.currency) },
    { label: 'Requested by', value: s.owner ?? '—' },
    { label: 'Date', value: s.date ? s.date.slice(0, 10) : '—' },
  ];
  const current = insights && insights.writeDate === s.writeDate ? insights : null;
  for (const f of current?.flags ?? []) facts.push({ label: `⚠ ${FLAG_LABELS[f.code]}`, value: f.reason });
  const approvals = c.tiers.flatMap((t) =>
    t.approvals.map(
      (a) => `${a.name}${a.onBehalfOf ? ` for ${a.onBehalfOf.name}` : ''}${c.tiers.length > 1 ? ` (${t.name})` : ''}`,
    ),
  );
  if (approvals.length > 0 && c.status !== 'approved')
    facts.push({ label: 'Approved so far', value: approvals.join(', ') });
  const answered = c.infoRequests.filter((q) => q.answer);
  for (const q of answered.slice(-2))
    facts.push({ label: `Q: ${q.question.slice(0, 60)}`, value: `${q.answeredBy ?? 'Requester'}: ${q.answer}` });
  const value = encodeButtonValue({ c: c.id, w: s.writeDate, t: c.currentTier });
  const actions: CardAction[] =
    c.status === 'open' || c.status === 'info_requested'
      ? [
          { id: ACTION_IDS.approve, label: 'Approve', style: 'primary', value },
          {
            id: ACTION_IDS.reject,
            label: 'Reject',
            style: 'danger',
            value,
            input: { id: 'reason', label: 'Why are you rejecting it?', kind: 'text', required: true },
          },
          {
            id: ACTION_IDS.askQuestion,
            label: 'Ask a question',
            style: 'default',
            value,
            input: { id: 'question', label: 'Your question for the requester', kind: 'text', required: true },
          },
          {
            id: ACTION_IDS.forward,
            label: 'Forward',
            style: 'default',
            value,
            input: { id: 'to', label: 'Forward to (email)', kind: 'person', required: true },
          },
        ]
      : [];
  const st = status(c, decision);
  const table = linesTable(s);
  return {
    caseId: c.id,
    kind: 'approval',
    actors: c.approvers.filter((a) => !c.requesterIds.includes(a.odooUserId)).map((a) => ({ email: a.email })),
    title,
    text: `${title}: ${st.text}`,
    facts,
    ...(table ? { table } : {}),
    summary: current?.aiDraft ? `AI-drafted: ${current.aiDraft}` : (current?.summary ?? summarise(flow, s)),
    status: notice ? { tone: st.tone === 'waiting' ? 'warning' : st.tone, text: `${st.text}\n${notice}` } : st,
    actions,
    ...(s.url ? { link: { label: 'Open in Odoo', url: s.url } } : {}),
    footer: `Case ${c.id.slice(0, 8)} · flow ${flow.id}`,
  };
}
