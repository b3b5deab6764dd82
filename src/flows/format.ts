import type { ChatActor } from './types.js';

const MODEL_LABELS: Record<string, string> = {
  'purchase.order': 'Purchase order',
  'account.move': 'Vendor bill',
  'sale.order': 'Sale order',
  'hr.expense.sheet': 'Expense report',
  'hr.expense': 'Expense',
  'approval.request': 'Approval request',
};

export function modelLabel(model: string): string {
  return MODEL_LABELS[model] ?? model;
}

export function formatAmount(amount: number | null, currency: string | null): string {
  if (amount === null) return '—';
  const n = amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency ? `${n} ${currency}` : n;
}

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 4 });
}

/** `2026-11-25 14:03 UTC`: unambiguous for people in several time zones. */
export function formatTime(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function platformLabel(actor: ChatActor): string {
  return actor.platform === 'slack' ? 'Slack' : 'Microsoft Teams';
}

export function listNames(names: string[], max = 5): string {
  if (names.length === 0) return 'nobody';
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** Escapes text for an HTML chatter note. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
