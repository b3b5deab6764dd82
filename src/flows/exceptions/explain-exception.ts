import type { CardFact } from '../card.js';
import { formatAmount } from '../format.js';
import type { OdooGateway } from '../ports.js';
import type { CaseSnapshot, FieldValue } from '../types.js';
import type { ExceptionPolicy } from './policy.js';
import { billVariance } from './variance-facts.js';

function text(v: FieldValue | undefined): string | null {
  if (v === undefined || v === null || v === false) return null;
  if (typeof v === 'object' && !Array.isArray(v)) return v.name;
  return String(v);
}

/** Whole days from `date` (YYYY-MM-DD) to `today` (YYYY-MM-DD). */
function daysBetween(date: string, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000);
}

/** The facts that explain an Odoo-sourced exception: the record's basics plus what its type needs. */
export async function explainOdooException(
  odoo: OdooGateway,
  def: ExceptionPolicy,
  model: string,
  id: number,
  snapshot: CaseSnapshot,
  today: string,
): Promise<{ facts: CardFact[]; details: string[] }> {
  const facts: CardFact[] = [];
  if (snapshot.partner) facts.push({ label: 'Partner', value: snapshot.partner });
  if (snapshot.amount !== null)
    facts.push({ label: 'Amount', value: formatAmount(snapshot.amount, snapshot.currency) });
  const details: string[] = [];
  if (def.type === 'bill-variance') {
    const v = await billVariance(odoo, id);
    facts.push(...v.facts);
    details.push(...v.details);
  } else if (def.type === 'overdue-invoice') {
    const [r] = await odoo.read(model, [id], ['invoice_date_due', 'amount_residual']);
    const due = text(r?.invoice_date_due);
    if (due) {
      facts.push({ label: 'Due date', value: due });
      facts.push({ label: 'Days overdue', value: String(daysBetween(due, today)) });
    }
    if (typeof r?.amount_residual === 'number')
      facts.push({ label: 'Amount due', value: formatAmount(r.amount_residual, snapshot.currency) });
  } else if (def.type === 'failed-payment') {
    const [r] = await odoo.read(model, [id], ['reference', 'provider_id', 'state_message']);
    const provider = text(r?.provider_id);
    if (provider) facts.push({ label: 'Provider', value: provider });
    const message = text(r?.state_message);
    if (message) details.push(`The provider said: ${message}`);
  }
  if (snapshot.state) facts.push({ label: 'Odoo status', value: snapshot.state });
  return { facts, details };
}
