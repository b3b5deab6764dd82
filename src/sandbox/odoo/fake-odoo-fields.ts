/** Field builders shared by the fake's schema files, so each area reads like Odoo's field declarations. */
import type { ComputeContext, FakeField, StoredRecord } from './fake-odoo-schema.js';

export const m2o = (relation: string, string: string): FakeField => ({ type: 'many2one', relation, string });
export const m2m = (relation: string, string: string): FakeField => ({
  type: 'many2many',
  relation,
  string,
  default: [],
});
export const o2m = (relation: string, inverse: string, string: string): FakeField => ({
  type: 'one2many',
  relation,
  inverse,
  string,
});
export const char = (string: string): FakeField => ({ type: 'char', string });
export const text = (string: string): FakeField => ({ type: 'text', string });
export const html = (string: string): FakeField => ({ type: 'html', string });
export const date = (string: string): FakeField => ({ type: 'date', string });
export const datetime = (string: string): FakeField => ({ type: 'datetime', string });
export const flag = (string: string, value: boolean): FakeField => ({ type: 'boolean', string, default: value });
export const num = (type: 'integer' | 'float' | 'monetary', string: string): FakeField => ({
  type,
  string,
  default: 0,
});
export const sel = (string: string, selection: Array<[string, string]>, value?: string): FakeField => ({
  type: 'selection',
  string,
  selection,
  ...(value === undefined ? {} : { default: value }),
});
/** A computed field: read-only, not stored, recomputed on every read. */
export const computed = (
  field: FakeField,
  compute: (record: StoredRecord, ctx: ComputeContext) => unknown,
): FakeField => ({ ...field, compute, default: undefined });

export function relatedIds(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

/** Records of `model` whose many2one `inverse` points at `id`. */
export function children(ctx: ComputeContext, model: string, inverse: string, id: number): StoredRecord[] {
  return ctx.all(model).filter((r) => r[inverse] === id);
}

/**
 * A currency's rate on `day` (`YYYY-MM-DD`) as Odoo's `res.currency._get_rates`
 * picks it: the latest `res.currency.rate` on or before the day, the
 * company's own rates before shared ones (`ORDER BY company_id, name DESC`),
 * else the earliest rate, else 1. Rates are units per unit of the currency
 * of rate 1.
 */
export function currencyRateOn(ctx: Pick<ComputeContext, 'all'>, currencyId: unknown, companyId: unknown, day: string) {
  const rows = ctx
    .all('res.currency.rate')
    .filter((r) => r.currency_id === currencyId && (r.company_id === false || r.company_id === companyId));
  const shared = (r: StoredRecord) => (r.company_id === false ? 1 : 0);
  const name = (r: StoredRecord) => String(r.name);
  const before = rows
    .filter((r) => name(r) <= day)
    .sort((a, b) => shared(a) - shared(b) || (name(a) < name(b) ? 1 : name(a) > name(b) ? -1 : 0));
  const earliest = [...rows].sort((a, b) => shared(a) - shared(b) || (name(a) < name(b) ? -1 : 1));
  return Number((before[0] ?? earliest[0])?.rate) || 1;
}

/** The company's currency id (the first company's when none is given, like `env.company`), or false. */
export function companyCurrency(ctx: Pick<ComputeContext, 'all'>, companyId: unknown): unknown {
  const companies = ctx.all('res.company');
  return (companies.find((c) => c.id === companyId) ?? companies[0])?.currency_id ?? false;
}

/** `res.currency._get_conversion_rate(from, to, company, day)`: units of `to` per unit of `from`. */
export function conversionRate(
  ctx: Pick<ComputeContext, 'all'>,
  from: unknown,
  to: unknown,
  companyId: unknown,
  day: string,
): number {
  if (!from || !to || from === to) return 1;
  return currencyRateOn(ctx, to, companyId, day) / currencyRateOn(ctx, from, companyId, day);
}

/** Converts an amount in `currencyId` to the company's currency at the rate of `day`. */
export function toCompanyCurrency(
  ctx: Pick<ComputeContext, 'all'>,
  amount: number,
  currencyId: unknown,
  companyId: unknown,
  day: string,
): number {
  return round2(amount / conversionRate(ctx, companyCurrency(ctx, companyId), currencyId, companyId, day));
}

/** The day part of a stored date or datetime, else today in UTC. */
export function dayOf(ctx: Pick<ComputeContext, 'now'>, value: unknown): string {
  return typeof value === 'string' && value ? value.slice(0, 10) : ctx.now().toISOString().slice(0, 10);
}

/**
 * `currency_rate` of purchase and sale orders: order-currency units per
 * company-currency unit at the order date (Odoo stores it, depending on
 * `date_order`, `currency_id` and `company_id`; the fake computes it on read).
 */
export function orderCurrencyRate(order: StoredRecord, ctx: ComputeContext): number {
  const company = order.company_id;
  return conversionRate(ctx, companyCurrency(ctx, company), order.currency_id, company, dayOf(ctx, order.date_order));
}
