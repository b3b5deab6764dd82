import type { FieldValue, OdooRecord, RecordLink } from '../flows/types.js';
import { fromOdooDatetime } from './odoo-datetime.js';

/** What `fields_get(attributes=['type','string','relation','store'])` says about one field. */
export interface OdooFieldInfo {
  type: string;
  string: string;
  relation?: string;
  /** False for a computed field Odoo does not store (its `search` runs the field's own search method). */
  store: boolean;
}

/**
 * Turns one record as Odoo's `read` returns it into our shapes: `false` →
 * `null` (except boolean fields), many2one `[id, name]` → `{id, name}`,
 * x2many → ids, datetimes → ISO-8601 UTC. Dates stay `YYYY-MM-DD`.
 */
export function normaliseRecord(
  raw: Record<string, unknown>,
  fields: Record<string, Pick<OdooFieldInfo, 'type'>>,
): OdooRecord {
  const out: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(raw)) {
    out[name] = normaliseValue(value, fields[name]?.type);
  }
  return { ...out, id: Number(raw.id) };
}

export function normaliseValue(value: unknown, type: string | undefined): FieldValue {
  if (type === 'boolean') return value === true;
  if (value === false || value === null || value === undefined) return null;
  switch (type) {
    case 'many2one':
      return toLink(value);
    case 'one2many':
    case 'many2many':
      return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
    case 'datetime':
      return typeof value === 'string' ? fromOdooDatetime(value) : String(value);
    default:
      return toPlain(value);
  }
}

function toLink(value: unknown): RecordLink | null {
  if (Array.isArray(value) && typeof value[0] === 'number') {
    return { id: value[0], name: typeof value[1] === 'string' ? value[1] : '' };
  }
  // `load=None` reads (and webhooks) give the bare id.
  if (typeof value === 'number') return { id: value, name: '' };
  return null;
}

function toPlain(value: unknown): FieldValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return value as number[];
  // Structures (json/properties fields) have no place in FieldValue: keep them readable.
  return JSON.stringify(value);
}
