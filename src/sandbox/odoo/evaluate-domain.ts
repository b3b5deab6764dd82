/**
 * Odoo domain evaluation for the fake server, following the SQL Odoo would
 * generate: prefix `&`/`|`/`!` with an implicit `&`, negative operators
 * (`!=`, `not in`, `not like`, `not ilike`) also match empty values, dotted
 * paths follow relations ("any related record matches"), and like patterns
 * use SQL's `%`/`_` with `\` as the escape.
 */
import { fakeFaults } from './fake-odoo-faults.js';
import type { FakeField, StoredRecord } from './fake-odoo-schema.js';

export interface DomainContext {
  field(model: string, name: string): FakeField | undefined;
  value(model: string, record: StoredRecord, name: string): unknown;
  get(model: string, id: number): StoredRecord | undefined;
  displayName(model: string, id: number): string;
}

type Leaf = { path: string; op: string; value: unknown };
export type DomainNode =
  | { kind: 'and' | 'or'; left: DomainNode; right: DomainNode }
  | { kind: 'not'; node: DomainNode }
  | { kind: 'leaf'; leaf: Leaf }
  | { kind: 'const'; value: boolean };

const OPERATORS = new Set([
  '=',
  '!=',
  '<>',
  '>',
  '>=',
  '<',
  '<=',
  'in',
  'not in',
  'like',
  'ilike',
  'not like',
  'not ilike',
  '=like',
  '=ilike',
  'child_of',
  'parent_of',
]);
const NEGATIVE: Record<string, string> = {
  '!=': '=',
  '<>': '=',
  'not in': 'in',
  'not like': 'like',
  'not ilike': 'ilike',
};

/** Parses a domain as it came over RPC; throws Odoo's ValueError fault when malformed. */
export function parseDomain(domain: unknown): DomainNode {
  if (!Array.isArray(domain)) throw fakeFaults.valueError(`Invalid domain ${JSON.stringify(domain)}`);
  let pos = 0;
  const term = (): DomainNode => {
    if (pos >= domain.length) throw fakeFaults.valueError(`Invalid domain ${JSON.stringify(domain)}: missing operand`);
    const t: unknown = domain[pos++];
    if (t === '&' || t === '|') return { kind: t === '&' ? 'and' : 'or', left: term(), right: term() };
    if (t === '!') return { kind: 'not', node: term() };
    return { kind: 'leaf', leaf: toLeaf(t) } as DomainNode;
  };
  const nodes: DomainNode[] = [];
  while (pos < domain.length) nodes.push(term());
  return nodes.reduceRight<DomainNode>((acc, node) => ({ kind: 'and', left: node, right: acc }), {
    kind: 'const',
    value: true,
  });
}

function toLeaf(t: unknown): Leaf {
  if (!Array.isArray(t) || t.length !== 3 || typeof t[1] !== 'string') {
    throw fakeFaults.valueError(`Invalid leaf ${JSON.stringify(t)}`);
  }
  const [path, op, value] = t;
  // TRUE_LEAF / FALSE_LEAF: (1, '=', 1) and (0, '=', 1)
  if (typeof path === 'number') return { path: path === 1 ? '__true' : '__false', op, value };
  if (typeof path !== 'string' || !OPERATORS.has(op)) throw fakeFaults.valueError(`Invalid leaf ${JSON.stringify(t)}`);
  return { path, op, value };
}

/** Leaf field names at the top of each path: used to decide the implicit `active` filter. */
export function domainFields(node: DomainNode): string[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return [...domainFields(node.left), ...domainFields(node.right)];
    case 'not':
      return domainFields(node.node);
    case 'leaf':
      return [node.leaf.path.split('.')[0] ?? ''];
    default:
      return [];
  }
}

export function matchesDomain(node: DomainNode, model: string, record: StoredRecord, ctx: DomainContext): boolean {
  switch (node.kind) {
    case 'const':
      return node.value;
    case 'and':
      return matchesDomain(node.left, model, record, ctx) && matchesDomain(node.right, model, record, ctx);
    case 'or':
      return matchesDomain(node.left, model, record, ctx) || matchesDomain(node.right, model, record, ctx);
    case 'not':
      return !matchesDomain(node.node, model, record, ctx);
    case 'leaf':
      return matchesLeaf(node.leaf, model, record, ctx);
  }
}

function matchesLeaf(leaf: Leaf, model: string, record: StoredRecord, ctx: DomainContext): boolean {
  if (leaf.path === '__true') return true;
  if (leaf.path === '__false') return false;
  const [name = '', ...rest] = leaf.path.split('.');
  const field = ctx.field(model, name);
  if (!field) throw fakeFaults.valueError(`Invalid field ${model}.${name} in leaf ${JSON.stringify(leaf)}`);
  const raw = ctx.value(model, record, name);
  if (rest.length > 0) {
    if (!field.relation) throw fakeFaults.valueError(`Invalid path ${leaf.path}: ${name} is not relational`);
    const sub: Leaf = { ...leaf, path: rest.join('.') };
    return relatedIds(raw).some((id) => {
      const target = ctx.get(field.relation as string, id);
      return target !== undefined && matchesLeaf(sub, field.relation as string, target, ctx);
    });
  }
  const value = toColumn(field, leaf.op, leaf.value);
  const positive = NEGATIVE[leaf.op];
  if (!field.relation && field.type !== 'boolean' && isEmpty(raw)) return matchesEmpty(leaf.op, value);
  if (positive) return !compare(positive, field, raw, value, ctx);
  return compare(leaf.op, field, raw, value, ctx);
}

const isEmpty = (raw: unknown) => raw === false || raw === null || raw === undefined;
/** Python truthiness of the domain value: Odoo adds `OR col IS NULL` to a negative leaf only when it is truthy. */
const truthy = (v: unknown) => !isEmpty(v) && v !== 0 && v !== '' && !(Array.isArray(v) && v.length === 0);

/** The SQL Odoo 17 writes for an empty (NULL) column: `IS NULL`, `IN (…) OR col IS NULL`, `… OR col IS NULL`. */
function matchesEmpty(op: string, value: unknown): boolean {
  const list = Array.isArray(value) ? value : [value];
  switch (op) {
    case '=':
      return value === false || value === null;
    case '!=':
    case '<>':
      return value !== false && value !== null && truthy(value);
    case 'in':
      return list.includes(false);
    case 'not in':
      return !list.includes(false);
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

/**
 * The domain value as the column holds it (Odoo's `convert_to_column`, then
 * PostgreSQL's cast): numeric strings for numbers, numbers as text for text
 * fields, datetimes in Odoo's naive-UTC form, a bare date on a datetime field
 * as the start of the day (its end for `>` and `<=`).
 */
function toColumn(field: FakeField, op: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === false ? v : toColumn(field, '=', v)));
  if (value === false || value === null || op.endsWith('like')) {
    if (field.type === 'datetime' && typeof value === 'string' && value.length === 10) return `${value} 00:00:00`;
    return value;
  }
  switch (field.type) {
    case 'integer':
    case 'float':
    case 'monetary':
      return typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
    case 'char':
    case 'text':
    case 'html':
    case 'selection':
      return typeof value === 'number' ? String(value) : value;
    case 'datetime': {
      if (typeof value !== 'string') return value;
      if (value.length === 10) return `${value} ${op === '>' || op === '<=' ? '23:59:59' : '00:00:00'}`;
      return value.replace('T', ' ').replace(/Z$/, '');
    }
    default:
      return value;
  }
}

function compare(op: string, field: FakeField, raw: unknown, value: unknown, ctx: DomainContext): boolean {
  if (field.type === 'many2one' || field.type === 'one2many' || field.type === 'many2many') {
    const ids = relatedIds(raw);
    const names = () => ids.map((id) => ctx.displayName(field.relation as string, id));
    const byName =
      typeof value === 'string' ||
      (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'));
    // name_search: `in` with one name is `=`, `=` with a list of names is `in`.
    if (byName)
      return names().some((n) => compareScalar(typeof value === 'string' && op === 'in' ? '=' : op, n, value));
    if (op === '=' || op === 'child_of' || op === 'parent_of' || op === 'in') {
      const wanted = Array.isArray(value) ? value : [value];
      return ids.length === 0 ? wanted.includes(false) : ids.some((id) => wanted.includes(id));
    }
    return ids.some((id) => compareScalar(op, id, value));
  }
  return compareScalar(op, raw, value);
}

function compareScalar(op: string, raw: unknown, value: unknown): boolean {
  const empty = raw === false || raw === null || raw === undefined;
  switch (op) {
    case '=':
    case 'child_of':
    case 'parent_of':
      return value === false || value === null ? empty : !empty && raw === value;
    case 'in': {
      const list = Array.isArray(value) ? value : [value];
      return empty ? list.includes(false) : list.includes(raw);
    }
    case '>':
    case '>=':
    case '<':
    case '<=':
      return !empty && value !== false && value !== null && order(op, raw, value);
    case 'like':
    case 'ilike':
      return !empty && likeMatch(`%${String(value)}%`, String(raw), op === 'ilike');
    case '=like':
    case '=ilike':
      return !empty && likeMatch(String(value), String(raw), op === '=ilike');
    default:
      throw fakeFaults.valueError(`Invalid operator ${op}`);
  }
}

function order(op: string, a: unknown, b: unknown): boolean {
  const [x, y] = typeof a === 'number' && typeof b === 'number' ? [a, b] : [String(a), String(b)];
  if (op === '>') return x > y;
  if (op === '>=') return x >= y;
  if (op === '<') return x < y;
  return x <= y;
}

/** SQL LIKE: `%` any run, `_` one character, `\` escapes the next character. */
export function likeMatch(pattern: string, text: string, caseInsensitive: boolean): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) source += escapeRegex(pattern[++i] as string);
    else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += escapeRegex(c);
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u').test(text);
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function relatedIds(raw: unknown): number[] {
  if (typeof raw === 'number') return [raw];
  return Array.isArray(raw) ? raw.filter((v): v is number => typeof v === 'number') : [];
}
