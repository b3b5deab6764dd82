/**
 * Odoo sends and expects datetimes as naive UTC `YYYY-MM-DD HH:MM:SS`; the
 * rest of the service uses ISO-8601 with `Z`. These two helpers are the only
 * conversions between them.
 */
const ODOO_DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?$/;

/** `2026-11-25 10:00:00` → `2026-11-25T10:00:00Z` (fractions kept to milliseconds). */
export function fromOdooDatetime(value: string): string {
  const m = ODOO_DATETIME.exec(value);
  if (!m) return value;
  const fraction = m[3] ? `.${m[3].slice(0, 3).padEnd(3, '0')}` : '';
  return `${m[1]}T${m[2]}${fraction}Z`;
}

/**
 * ISO-8601 (with `Z` or an offset) → Odoo's naive-UTC form, for domain values
 * and writes. A value already in Odoo's form, or ISO without a zone, is taken
 * as UTC. Sub-second precision is dropped, as Odoo's RPC does.
 */
export function toOdooDatetime(iso: string): string {
  const plain = ODOO_DATETIME.exec(iso);
  const date = new Date(plain ? `${plain[1]}T${plain[2]}${plain[3] ? `.${plain[3].slice(0, 3)}` : ''}Z` : iso);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`toOdooDatetime: "${iso}" is not an ISO-8601 datetime`);
  }
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
