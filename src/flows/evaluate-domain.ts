/**
 * Evaluates an Odoo domain on a record we already read, so that it agrees
 * with what Odoo 17's `search` returns for the same domain: prefix
 * `&`/`|`/`!` with an implicit `&`, PostgreSQL NULL rules as Odoo writes them, dotted paths as
 * "the related record exists and matches", many2one by id or by display name.
 */
import { AppError } from '../errors.js';
import { DOMAIN_OPERATORS } from './domain.js';
import {
  comparable,
  compareText,
  type DomainFieldValue,
  type DomainRecord,
  datetimeText,
  invalidDomainValue,
  isDatetimeValue,
  likeMatch,
  pyText,
  type Scalar,
  truthy,
} from './domain-fields.js';
import type { Domain, DomainOperator, DomainTerm, DomainValue } from './types.js';

export type { DomainFieldValue, DomainRecord } from './domain-fields.js';

type Op = Exclude<DomainOperator, 'child_of' | 'parent_of'>;
type Value = Scalar | Scalar[];

/** Operators evaluated locally; hierarchy operators need Odoo's parent paths. */
const OPERATORS = new Set<string>(DOMAIN_OPERATORS.filter((op) => op !== 'child_of' && op !== 'parent_of'));
const ORDERING = new Set<string>(['>', '>=', '<', '<=']);
const LIKES = new Set<string>(['like', 'ilike', 'not like', 'not ilike', '=like', '=ilike']);
const POSITIVE: Record<string, Op> = { '!=': '=', 'not in': 'in', 'not like': 'like', 'not ilike': 'ilike' };

/**
 * True when `record` matches `domain` as Odoo 17 would decide it. Relational
 * fields hold a `RecordLink` or ids, or the related record(s) when the domain
 * follows them (`domainPaths` lists what to load). Throws an AppError for a
 * malformed domain (`domain.malformed`), an operator or value Odoo would
 * refuse or that cannot be decided here (`domain.unsupported_operator`,
 * `domain.invalid_value`) and for a field the caller did not load
 * (`domain.missing_field`).
 */
export function evaluateDomain(domain: Domain, record: DomainRecord): boolean {
  checkShape(domain);
  let pos = 0;
  const next = (): boolean => {
    const term = domain[pos++] as DomainTerm;
    if (term === '!') return !next();
    if (term === '&' || term === '|') {
      // Evaluate both sides: bad leaves must fail whatever the other side says.
      const a = next();
      const b = next();
      return term === '&' ? a && b : a || b;
    }
    return evaluateLeaf(record, term[0].split('.'), term);
  };
  let result = true;
  while (pos < domain.length) result = next() && result;
  return result;
}

function checkShape(domain: Domain): void {
  const malformed = (why: string) =>
    new AppError('domain.malformed', 'user', `The domain ${JSON.stringify(domain)} is malformed: ${why}.`);
  if (!Array.isArray(domain)) throw malformed('a domain is a list of conditions');
  let stack = 0;
  for (let i = domain.length - 1; i >= 0; i--) {
    const term = domain[i];
    if (term === '&' || term === '|' || term === '!') {
      const need = term === '!' ? 1 : 2;
      if (stack < need) throw malformed(`operator "${term}" at position ${i} needs ${need} condition(s) after it`);
      stack = stack - need + 1;
    } else if (Array.isArray(term) && term.length === 3 && typeof term[0] === 'string' && term[0] !== '') {
      stack += 1;
    } else {
      throw malformed(
        `term ${JSON.stringify(term)} at position ${i} is not "&", "|", "!" or ["field", "operator", value]`,
      );
    }
  }
}

/** Odoo's `normalize_leaf`, plus refusals for what Odoo refuses or cannot do here. */
function normalise(leaf: [string, DomainOperator, DomainValue]): { op: Op; value: Value | false } {
  const [field, operator] = leaf;
  let op: string = operator;
  const value = leaf[2] === null || leaf[2] === undefined ? false : leaf[2];
  if (op === 'child_of' || op === 'parent_of') {
    throw new AppError(
      'domain.unsupported_operator',
      'user',
      `The condition on "${field}" uses "${op}", which needs Odoo's record hierarchy and cannot be checked on a record already read. Use "=" or "in" with the ids instead.`,
      { details: { field, operator: op } },
    );
  }
  if (!OPERATORS.has(op)) {
    throw new AppError(
      'domain.unsupported_operator',
      'user',
      `The condition on "${field}" uses the unknown operator "${op}". Use one of ${[...OPERATORS].join(', ')}.`,
      { details: { field, operator: op } },
    );
  }
  if (typeof value === 'boolean' && (op === 'in' || op === 'not in')) op = op === 'in' ? '=' : '!=';
  if (Array.isArray(value) && (op === '=' || op === '!=')) op = op === '=' ? 'in' : 'not in';
  if (ORDERING.has(op) && (value === false || Array.isArray(value))) {
    throw invalidDomainValue(field, `"${op}" needs a single non-empty value, not ${JSON.stringify(leaf[2])}.`);
  }
  if (LIKES.has(op) && Array.isArray(value)) {
    throw invalidDomainValue(field, `"${op}" needs a text pattern, not a list.`);
  }
  return { op: op as Op, value };
}

function evaluateLeaf(record: DomainRecord, path: string[], leaf: [string, DomainOperator, DomainValue]): boolean {
  const [name = '', ...rest] = path;
  if (!(name in record)) {
    throw new AppError(
      'domain.missing_field',
      'internal',
      `The domain needs "${path.join('.')}" (in "${leaf[0]}") but the record given to evaluateDomain has no "${name}". Read every path domainPaths() lists, loading related records for dotted paths.`,
      { details: { field: leaf[0] } },
    );
  }
  const value = record[name] as DomainFieldValue;
  if (rest.length > 0) {
    // Odoo 17 turns `a.b` into `a any [(b, op, v)]`: the related record must exist and match.
    if (value === null) return false;
    if (Array.isArray(value)) return relatedRecords(value, leaf).some((r) => evaluateLeaf(r, rest, leaf));
    if (typeof value === 'object') return evaluateLeaf(value as DomainRecord, rest, leaf);
    throw invalidDomainValue(leaf[0], `"${name}" is not a relational field, so ".${rest.join('.')}" cannot follow it.`);
  }
  const { op, value: right } = normalise(leaf);
  if (Array.isArray(value)) return matchX2many(leaf[0], value, op, right, leaf);
  if (value !== null && typeof value === 'object') return matchMany2one(leaf[0], value as DomainRecord, op, right);
  return matchScalar(leaf[0], value, op, right);
}

function relatedRecords(value: Array<number | DomainRecord>, leaf: [string, ...unknown[]]): DomainRecord[] {
  return value.map((item) => {
    if (typeof item === 'object' && item !== null) return item;
    throw new AppError(
      'domain.missing_field',
      'internal',
      `The domain condition on "${leaf[0]}" needs the related records, but the record holds only their ids. Load them as records before calling evaluateDomain.`,
      { details: { field: leaf[0] } },
    );
  });
}

/** What `name_search` matches: the related record's `display_name`, else its `name` (a RecordLink's name). */
function displayName(field: string, related: DomainRecord): string | null {
  const name = related.display_name ?? related.name;
  if (typeof name === 'string' || name === null) return name;
  throw new AppError(
    'domain.missing_field',
    'internal',
    `The domain compares "${field}" by name, but the related record has no display_name or name. Load it with one.`,
    { details: { field } },
  );
}

function matchMany2one(field: string, related: DomainRecord, op: Op, value: Value | false): boolean {
  const byName =
    typeof value === 'string' ||
    (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'));
  if (byName) {
    // Odoo resolves the name with `_name_search(value, operator)` on the comodel.
    if (ORDERING.has(op)) {
      throw invalidDomainValue(
        field,
        `"${op}" cannot compare a related record with the text ${JSON.stringify(value)}.`,
      );
    }
    const nameOp: Op =
      !Array.isArray(value) && op === 'in' ? '=' : !Array.isArray(value) && op === 'not in' ? '!=' : op;
    return matchScalar(field, displayName(field, related), nameOp, value);
  }
  const id = related.id;
  if (typeof id !== 'number') {
    throw new AppError('domain.missing_field', 'internal', `The related record in "${field}" has no numeric id.`, {
      details: { field },
    });
  }
  if (typeof value === 'boolean' && value) throw invalidDomainValue(field, 'a related record is not true or false.');
  return matchScalar(field, id, op, value);
}

function matchX2many(
  field: string,
  items: Array<number | DomainRecord>,
  op: Op,
  value: Value | false,
  leaf: [string, ...unknown[]],
): boolean {
  const negative = op in POSITIVE;
  if (value === false) return negative ? items.length > 0 : items.length === 0;
  if (value === true) throw invalidDomainValue(field, 'a list of related records is not true or false.');
  if (ORDERING.has(op) || (LIKES.has(op) && typeof value !== 'string')) {
    throw new AppError(
      'domain.unsupported_operator',
      'user',
      `"${op}" on the list field "${field}" only means "contains" in Odoo. Use "in" or "not in" with ids, or compare names with "=", "like" or "ilike".`,
      { details: { field, operator: op } },
    );
  }
  if (typeof value === 'string') {
    if (op === 'in' || op === 'not in') {
      throw invalidDomainValue(field, `"${op}" needs a list of ids, not the text "${value}".`);
    }
    const positive = POSITIVE[op] ?? op;
    const any = relatedRecords(items, leaf).some((r) => matchScalar(field, displayName(field, r), positive, value));
    return negative ? !any : any;
  }
  // Odoo drops empty items from the list (`tuple(it for it in ids2 if it)`).
  const wanted = (Array.isArray(value) ? value : [value]).filter(truthy).map((v) => {
    const n = typeof v === 'number' ? v : Number(v);
    if (typeof v === 'boolean' || !Number.isInteger(n))
      throw invalidDomainValue(field, `${JSON.stringify(v)} is not a record id.`);
    return n;
  });
  const ids = items.map((item) => (typeof item === 'number' ? item : item.id));
  const any = ids.some((id) => wanted.includes(id as number));
  return negative ? !any : any;
}

/** One column compared as PostgreSQL would run the SQL Odoo 17 writes for the leaf. */
function matchScalar(field: string, v: Scalar | null, op: Op, value: Value | false): boolean {
  if ((op === 'in' || op === 'not in') && !Array.isArray(value)) {
    throw invalidDomainValue(field, `"${op}" needs a list, e.g. ["${field}", "${op}", ["a", "b"]].`);
  }
  let right = value;
  // Odoo's datetime rule: a bare date means the start of that day, or its end for `>` and `<=`.
  if (isDatetimeValue(v) && typeof right === 'string' && right.length === 10) {
    right += op === '>' || op === '<=' ? ' 23:59:59' : ' 00:00:00';
  }
  if (typeof v === 'boolean' && (op === '=' || op === '!=') && typeof right === 'boolean') {
    return (op === '=' ? right : !right) ? v : !v;
  }
  if (typeof v === 'boolean' && (op === 'in' || op === 'not in')) {
    const list = right as Scalar[];
    const hit = list.some((x) => (v ? x === true || x === 1 : x === false || x === 0));
    return op === 'in' ? hit : !hit;
  }
  if (v === null) return matchNull(op, right);
  if (right === false && (op === '=' || op === '!=')) return op === '!=';
  if (op === 'in' || op === 'not in') {
    const hit = (right as Scalar[]).filter((x) => x !== false).some((x) => order(field, v, x) === 0);
    return op === 'in' ? hit : !hit;
  }
  if (LIKES.has(op)) {
    const text = typeof v === 'boolean' ? String(v) : isDatetimeValue(v) ? datetimeText(v) : String(v);
    const pattern = op === '=like' || op === '=ilike' ? pyText(right as Scalar) : `%${pyText(right as Scalar)}%`;
    const matched = likeMatch(field, pattern, text, op.endsWith('ilike'));
    return op.startsWith('not') ? !matched : matched;
  }
  const c = order(field, v, right as Scalar);
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '<':
      return c < 0;
    default:
      return c <= 0;
  }
}

/** An empty field: `IS NULL` tests, and `OR col IS NULL` where Odoo adds it (negative leaves with a truthy value). */
function matchNull(op: Op, value: Value | false): boolean {
  switch (op) {
    case '=':
      return value === false;
    case '!=':
      return value !== false && truthy(value);
    case 'in':
      return (value as Scalar[]).includes(false);
    case 'not in':
      return !(value as Scalar[]).includes(false);
    case 'like':
    case 'ilike':
      return !truthy(value);
    case 'not like':
    case 'not ilike':
      return true;
    default:
      return false;
  }
}

function order(field: string, v: Scalar, value: Scalar): number {
  const [a, b] = comparable(field, v, value);
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  return compareText(String(a), String(b));
}
