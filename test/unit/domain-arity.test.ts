import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { andDomains, checkDomainArity } from '../../src/flows/domain.js';
import type { Domain, DomainLeaf, DomainTerm } from '../../src/flows/types.js';

const leaf: fc.Arbitrary<DomainLeaf> = fc.tuple(
  fc.constantFrom('state', 'amount_total', 'partner_id', 'user_id'),
  fc.constantFrom('=', '!=', '>', 'in', 'ilike' as const),
  fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null)),
) as fc.Arbitrary<DomainLeaf>;

/** One well-formed expression in prefix notation, flattened to terms. */
const { expr } = fc.letrec<{ expr: DomainTerm[] }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf.map((l) => [l]),
    tie('expr').map((e) => ['!', ...e] as DomainTerm[]),
    fc
      .tuple(fc.constantFrom('&', '|' as const), tie('expr'), tie('expr'))
      .map(([op, a, b]) => [op, ...a, ...b] as DomainTerm[]),
  ),
}));

/** A domain: expressions joined by Odoo's implicit `&`. */
const wellFormed: fc.Arbitrary<Domain> = fc.array(expr, { maxLength: 4 }).map((es) => es.flat());

/** The arity the stack walk computes, independently: how many complete expressions remain. */
function completeExpressions(domain: Domain): number | null {
  let stack = 0;
  for (let i = domain.length - 1; i >= 0; i--) {
    const t = domain[i]!;
    const need = t === '!' ? 1 : t === '&' || t === '|' ? 2 : 0;
    if (stack < need) return null;
    stack = stack - need + 1;
  }
  return stack;
}

describe('checkDomainArity', () => {
  it('accepts the empty domain and plain leaves', () => {
    expect(checkDomainArity([])).toBeNull();
    expect(checkDomainArity([['state', '=', 'to approve']])).toBeNull();
    expect(
      checkDomainArity([
        ['state', '=', 'to approve'],
        ['amount_total', '>', 1000],
      ]),
    ).toBeNull();
  });

  it.each([
    [['|'] as Domain, /"\|" at position 0 needs 2 conditions/],
    [['!'] as Domain, /"!" at position 0 needs 1 condition after/],
    [['&', ['state', '=', 'x']] as Domain, /"&" at position 0 needs 2/],
    [[['state', '=', 'x'], '|', ['state', '=', 'y']] as Domain, /"\|" at position 1/],
  ])('refuses %j', (domain, message) => {
    const problem = checkDomainArity(domain);
    expect(problem).toMatch(message);
    expect(problem).toMatch(/e\.g\. \["\|"/);
  });

  it('accepts every well-formed prefix domain', () => {
    fc.assert(
      fc.property(wellFormed, (d) => {
        expect(checkDomainArity(d)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('stays well formed when well-formed domains are joined', () => {
    fc.assert(
      fc.property(wellFormed, wellFormed, (a, b) => {
        expect(checkDomainArity(andDomains(a, b))).toBeNull();
      }),
    );
  });

  it('refuses a domain with an extra operator inserted anywhere', () => {
    fc.assert(
      fc.property(wellFormed, fc.nat(), fc.constantFrom('&', '|', '!' as const), (d, at, op) => {
        const broken: Domain = [...d];
        broken.splice(at % (d.length + 1), 0, op);
        // An operator only breaks the domain when too few expressions follow it.
        const expected = completeExpressions(broken) === null;
        expect(checkDomainArity(broken) !== null).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a binary operator added at the front of a single expression', () => {
    fc.assert(
      fc.property(expr, fc.constantFrom('&', '|' as const), (e, op) => {
        expect(checkDomainArity([op, ...e])).toMatch(/needs 2 conditions/);
      }),
    );
  });

  it('accepts a domain whose operator was removed (more expressions, joined by the implicit &)', () => {
    fc.assert(
      fc.property(wellFormed, fc.nat(), (d, n) => {
        const ops = d.flatMap((t, i) => (typeof t === 'string' ? [i] : []));
        fc.pre(ops.length > 0);
        const i = ops[n % ops.length]!;
        expect(checkDomainArity(d.filter((_, j) => j !== i))).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an expression with operators that lost any one of its leaves', () => {
    // One expression has one leaf more than binary operators; without it the last operator starves.
    fc.assert(
      fc.property(expr, fc.nat(), (e, n) => {
        fc.pre(e.some((t) => typeof t === 'string'));
        const leaves = e.flatMap((t, i) => (typeof t === 'string' ? [] : [i]));
        const i = leaves[n % leaves.length]!;
        expect(checkDomainArity(e.filter((_, j) => j !== i))).not.toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with an independent count on arbitrary term sequences', () => {
    const term: fc.Arbitrary<DomainTerm> = fc.oneof(fc.constantFrom('&', '|', '!' as const), leaf);
    fc.assert(
      fc.property(fc.array(term, { maxLength: 12 }), (d) => {
        expect(checkDomainArity(d) === null).toBe(completeExpressions(d) !== null);
      }),
      { numRuns: 1000 },
    );
  });
});
