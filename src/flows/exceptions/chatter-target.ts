import type { ExceptionDeps } from './exception-support.js';

/** A record with a chatter, where an exception's to-do and notes go. */
export interface ChatterTarget {
  model: string;
  id: number;
  /** Set when the exception's own record has no chatter and this is a related record instead. */
  via: string | null;
}

/**
 * Odoo models that are not a `mail.thread` (no chatter, no activities), and
 * where their exceptions' to-dos and notes go instead, first match wins.
 * `payment.transaction` is one (odoo/addons/payment/models/payment_transaction.py):
 * its invoices (account_payment), else its sale orders (sale), else the customer.
 */
export const CHATTER_VIA: Record<string, ReadonlyArray<{ field: string; model: string }>> = {
  'payment.transaction': [
    { field: 'invoice_ids', model: 'account.move' },
    { field: 'sale_order_ids', model: 'sale.order' },
    { field: 'partner_id', model: 'res.partner' },
  ],
};

const firstId = (v: unknown): number | null => {
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) return typeof v[0] === 'number' ? v[0] : null;
  if (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'number') return (v as { id: number }).id;
  return null;
};

/**
 * Where to schedule the to-do and post the notes of an exception on
 * `model`/`id`: the record itself when it has a chatter, else the first
 * related record that has one, else null (the exception then changes hands
 * in the bot only, and the card says so through the audit trail).
 */
export async function chatterTarget(deps: ExceptionDeps, model: string, id: number): Promise<ChatterTarget | null> {
  const via = CHATTER_VIA[model];
  if (!via) return { model, id, via: null };
  const known = await deps.odoo.fields(model);
  const fields = via.filter((v) => known[v.field]);
  if (fields.length === 0) return null;
  const [record] = await deps.odoo.read(
    model,
    [id],
    fields.map((v) => v.field),
  );
  for (const v of fields) {
    const related = firstId(record?.[v.field]);
    if (related !== null) return { model: v.model, id: related, via: v.field };
  }
  return null;
}
