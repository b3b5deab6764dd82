/**
 * The fake Odoo's domain evaluator against a small, independently written
 * reference: stack evaluation right to left, SQL NULL rules written out, and
 * a dynamic-programming LIKE matcher instead of a regular expression.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DomainContext, likeMatch, matchesDomain, parseDomain } from '../../src/sandbox/odoo/evaluate-domain.js';
import type { FakeField, StoredRecord } from '../../src/sandbox/odoo/fake-odoo-schema.js';

const FIELDS: Record<string, FakeField> = {
  n: { type: 'integer', string: 'N' },
  s: { type: 'char', string: 'S' },
  f: { type: 'boolean', string: 'F' },
};
const ctx: DomainContext = {
  field: (_model, name) => FIELDS[name],
  value: (_model, record, name) => record[name] ?? false,
  get: () => undefined,
  displayName: () => '',
};

type Leaf = [string, string, unknown];
type Tree = { op: '&' | '|'; a: Tree; b: Tree } | { op: '!'; a: Tree } | { leaf: Leaf };

const text = fc.stringMatching(/^[aAb_%]{0,3}$/);
const smallInt = fc.integer({ min: -2, max: 2 });
const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  fc.tuple(fc.constant('n'), fc.constantFrom('=', '!='), fc.oneof(smallInt, fc.constant(false))),
  // Odoo (PostgreSQL) has no ordering against False, so none is generated.
  fc.tuple(fc.constant('n'), fc.constantFrom('>', '>=', '<', '<='), smallInt),
  fc.tuple(
    fc.constant('n'),
    fc.constantFrom('in', 'not in'),
    fc.array(fc.oneof(smallInt, fc.constant(false)), { maxLength: 3 }),
  ),
  fc.tuple(
    fc.constant('s'),
    fc.constantFrom('=', '!=', 'like', 'ilike', 'not like', 'not ilike', '=like', '=ilike'),
    text,
  ),
  fc.tuple(fc.constant('f'), fc.constantFrom('=', '!='), fc.boolean()),
);
const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf.map((l) => ({ leaf: l })),
    fc.record({ op: fc.constantFrom('&' as const, '|' as const), a: tie('tree'), b: tie('tree') }),
    fc.record({ op: fc.constant('!' as const), a: tie('tree') }),
  ),
}));
const record = fc.record({
  id: fc.constant(1),
  n: fc.oneof(fc.integer({ min: -2, max: 2 }), fc.constant(false)),
  s: fc.oneof(text, fc.constant(false)),
  f: fc.boolean(),
}) as fc.Arbitrary<StoredRecord>;

function prefix(t: Tree): unknown[] {
  if ('leaf' in t) return [t.leaf];
  return t.op === '!' ? ['!', ...prefix(t.a)] : [t.op, ...prefix(t.a), ...prefix(t.b)];
}

function sqlLike(pattern: string, value: string): boolean {
  // dp[i][j]: pattern[0..i) matches value[0..j)
  const dp = Array.from({ length: pattern.length + 1 }, () => new Array<boolean>(value.length + 1).fill(false));
  dp[0]![0] = true;
  for (let i = 1; i <= pattern.length; i++) {
    const p = pattern[i - 1];
    for (let j = 0; j <= value.length; j++) {
      if (p === '%') dp[i]![j] = dp[i - 1]![j]! || (j > 0 && dp[i]![j - 1]!);
      else if (j > 0) dp[i]![j] = dp[i - 1]![j - 1]! && (p === '_' || p === value[j - 1]);
    }
  }
  return dp[pattern.length]![value.length]!;
}

function referenceLeaf([name, op, v]: Leaf, r: StoredRecord): boolean {
  const x = r[name];
  const isNull = x === false && name !== 'f';
  const negated: Record<string, string> = { '!=': '=', 'not in': 'in', 'not like': 'like', 'not ilike': 'ilike' };
  if (isNull && (op === 'like' || op === 'ilike')) return v === '';
  if (isNull && (op === 'not like' || op === 'not ilike')) return true;
  if (isNull && op === '!=') return v !== false && v !== '' && v !== 0;
  if (negated[op]) return !referenceLeaf([name, negated[op], v], r);
  if (op === '=') return v === false ? x === false : !isNull && x === v;
  if (op === 'in') return (v as unknown[]).includes(false) && isNull ? true : !isNull && (v as unknown[]).includes(x);
  if (isNull) return false;
  if (op === '>') return (x as number) > (v as number);
  if (op === '>=') return (x as number) >= (v as number);
  if (op === '<') return (x as number) < (v as number);
  if (op === '<=') return (x as number) <= (v as number);
  const s = String(x);
  if (op === 'like') return sqlLike(`%${v}%`, s);
  if (op === 'ilike') return sqlLike(`%${v}%`.toLowerCase(), s.toLowerCase());
  if (op === '=like') return sqlLike(String(v), s);
  return sqlLike(String(v).toLowerCase(), s.toLowerCase());
}

function reference(domain: unknown[], r: StoredRecord): boolean {
  const stack: boolean[] = [];
  for (const term of [...domain].reverse()) {
    if (term === '!') stack.push(!stack.pop());
    else if (term === '&' || term === '|') {
      const a = stack.pop() as boolean;
      const b = stack.pop() as boolean;
      stack.push(term === '&' ? a && b : a || b);
    } else stack.push(referenceLeaf(term as Leaf, r));
  }
  return stack.every(Boolean);
}

describe('fake Odoo domain evaluation', () => {
  it('agrees with the reference on generated domains (implicit & between top-level terms)', () => {
    fc.assert(
      fc.property(fc.array(tree, { minLength: 0, maxLength: 3 }), record, (trees, r) => {
        const domain = trees.flatMap(prefix);
        expect(matchesDomain(parseDomain(domain), 'm', r, ctx)).toBe(reference(domain, r));
      }),
      { numRuns: 2000 },
    );
  });

  it('treats a backslash in LIKE patterns as an escape', () => {
    expect(likeMatch('a\\_b', 'a_b', false)).toBe(true);
    expect(likeMatch('a\\_b', 'axb', false)).toBe(false);
    expect(likeMatch('a_b', 'axb', false)).toBe(true);
    expect(likeMatch('100\\%', '100%', false)).toBe(true);
  });

  it('rejects malformed domains with a ValueError fault', () => {
    expect(() => parseDomain(['&', ['n', '=', 1]])).toThrow(/missing operand/);
    expect(() => parseDomain([['n', '~', 1]])).toThrow(/Invalid leaf/);
    expect(() => matchesDomain(parseDomain([['zz', '=', 1]]), 'm', { id: 1 }, ctx)).toThrow(/Invalid field m.zz/);
  });
});
