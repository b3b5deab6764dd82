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

/** Converts an amount in `currencyId` to the company currency with `res.currency.rate` (units per company unit). */
export function toCompanyCurrency(ctx: ComputeContext, amount: number, currencyId: unknown): number {
  const currency = ctx.all('res.currency').find((c) => c.id === currencyId);
  const rate = Number(currency?.rate) || 1;
  return round2(amount / rate);
}
