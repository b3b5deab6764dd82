/**
 * Fields as a domain sees them: which dotted paths a domain reads, and how a
 * domain value is converted to the kind of the record's field before the
 * comparison, the way Odoo 17's `convert_to_column` and PostgreSQL do.
 */
import { AppError } from '../errors.js';
import type { Domain, FieldValue } from './types.js';

/**
 * A record as `evaluateDomain` reads it: normalised field values, where a
 * relational field may instead hold the related record(s) the caller loaded
 * so dotted paths (`partner_id.country_id.code`) can be followed.
 */
export type DomainRecord = { [field: string]: DomainFieldValue };
export type DomainFieldValue = FieldValue | DomainRecord | DomainRecord[];

/**
 * The dotted paths a domain reads, each split at its dots, without
 * duplicates, in order of first use. The caller reads the first segment of
 * each on the record and loads the related records for the longer ones.
 */
export function domainPaths(domain: Domain): string[][] {
  const seen = new Map<string, string[]>();
  for (const term of domain) {
    if (Array.isArray(term) && typeof term[0] === 'string' && !seen.has(term[0])) {
      seen.set(term[0], term[0].split('.'));
    }
  }
  return [...seen.values()];
}

/** A non-empty scalar from the record, in the kind the comparison uses. */
export type Scalar = string | number | boolean;

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ANY_DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:?\d{2})?$/;
const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** Datetimes reach us as ISO-8601 UTC (`…T…Z`, see FieldValue); dates as `YYYY-MM-DD`. */
export function isDatetimeValue(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATETIME.test(value);
}

export function isDateValue(value: unknown): value is string {
  return typeof value === 'string' && DATE.test(value);
}

/** Python truthiness, which Odoo uses to decide whether a negative leaf also matches empty fields. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== false && value !== null && value !== undefined && value !== 0 && value !== '';
}

/** `str(value)` in Python: how Odoo turns a domain value into text for a char column or a like pattern. */
export function pyText(value: Scalar): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` in UTC, so datetimes compare as text; null when not a datetime. */
function canonicalDatetime(value: string): string | null {
  const m = ANY_DATETIME.exec(value);
  if (!m) return null;
  if (m[4] && m[4] !== 'Z') return null;
  return `${m[1]} ${m[2]}.${(m[3] ?? '').padEnd(6, '0')}`;
}

/** The record's datetime as PostgreSQL prints a `timestamp` (what `like` matches against). */
export function datetimeText(iso: string): string {
  const canonical = canonicalDatetime(iso) as string;
  const fraction = canonical.slice(20).replace(/0+$/, '');
  return canonical.slice(0, 19) + (fraction ? `.${fraction}` : '');
}

function invalid(field: string, message: string): AppError {
  return new AppError('domain.invalid_value', 'user', `In the domain condition on "${field}": ${message}`, {
    details: { field },
  });
}

/**
 * Converts a record value and a domain value to one comparable pair, as Odoo
 * converts the domain value to the column's type before PostgreSQL compares:
 * numeric fields take numeric strings (`'100'` → 100), text fields take
 * numbers as their decimal text (`5` → `'5'`), datetimes compare as UTC
 * instants whichever of `YYYY-MM-DD HH:MM:SS` or ISO-8601 with `Z` is used,
 * dates take the date part. Anything PostgreSQL would refuse is an AppError.
 */
export function comparable(field: string, record: Scalar, value: Scalar): [string | number, string | number] {
  if (typeof record === 'boolean') {
    if (typeof value === 'string') throw invalid(field, `"${value}" is not a boolean; write true or false.`);
    return [Number(record), Number(truthy(value))];
  }
  if (typeof record === 'number') {
    if (typeof value === 'number') return [record, value];
    if (typeof value === 'boolean') return [record, Number(value)];
    if (NUMERIC.test(value)) return [record, Number(value)];
    throw invalid(field, `the field holds numbers but the domain compares it with "${value}"; write a number.`);
  }
  if (isDatetimeValue(record)) {
    const right = typeof value === 'string' ? canonicalDatetime(value) : null;
    if (right === null) {
      throw invalid(
        field,
        `${JSON.stringify(value)} is not a UTC datetime; write it as "2026-11-25 10:00:00" or "2026-11-25T10:00:00Z".`,
      );
    }
    return [canonicalDatetime(record) as string, right];
  }
  if (isDateValue(record) && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    return [record, value.slice(0, 10)];
  }
  return [record, pyText(value)];
}

/** Text order by code point, as PostgreSQL compares under the `C` collation Odoo creates databases with. */
export function compareText(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** SQL LIKE: `%` any run, `_` one character, `\` escapes the next one; `ilike` compares lower-cased. */
export function likeMatch(field: string, pattern: string, text: string, caseInsensitive: boolean): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const t = caseInsensitive ? text.toLowerCase() : text;
  let source = '';
  const chars = [...p];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === '\\') {
      const next = chars[++i];
      if (next === undefined)
        throw invalid(field, `the pattern "${pattern}" ends with "\\"; write "\\\\" for a backslash.`);
      source += escapeRegex(next);
    } else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += escapeRegex(c);
  }
  return new RegExp(`^${source}$`, 'su').test(t);
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export { invalid as invalidDomainValue };
