/**
 * Small reading helpers for the context facts (src/odoo/context-source.ts):
 * normalised values out of a record, and reading every line of a document
 * in bounded batches.
 */
import type { OdooGateway } from '../flows/ports.js';
import type { FieldValue, OdooRecord, RecordLink } from '../flows/types.js';

/**
 * Ids per `read` when a document's lines are read: a long order is read
 * whole, in ⌈lines / 200⌉ calls, each answer a bounded size.
 */
export const READ_BATCH = 200;

export const link = (v: FieldValue | undefined): RecordLink | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? v : null;
export const str = (v: FieldValue | undefined): string | null => (typeof v === 'string' && v ? v : null);
export const num = (v: FieldValue | undefined): number | null => (typeof v === 'number' ? v : null);
export const day = (v: FieldValue | undefined): string | null => str(v)?.slice(0, 10) ?? null;
export const ids = (v: FieldValue | undefined): number[] =>
  Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
/** Percent from `before` to `now`, one decimal; null when `before` is 0. */
export const pct = (now: number, before: number): number | null =>
  before === 0 ? null : Math.round(((now - before) / Math.abs(before)) * 1000) / 10;

/** Every record of `recordIds`, read `size` ids per call, in the order given (ids that no longer exist are skipped). */
export async function readInBatches(
  odoo: OdooGateway,
  model: string,
  recordIds: number[],
  fields: string[],
  size = READ_BATCH,
): Promise<OdooRecord[]> {
  const out: OdooRecord[] = [];
  for (let i = 0; i < recordIds.length; i += size)
    out.push(...(await odoo.read(model, recordIds.slice(i, i + size), fields)));
  return out;
}
