import { describe, expect, it } from 'vitest';
import { domainPaths } from '../../src/flows/domain-fields.js';
import { type DomainRecord, evaluateDomain } from '../../src/flows/evaluate-domain.js';
import type { Domain, DomainLeaf } from '../../src/flows/types.js';

function order(overrides: DomainRecord = {}): DomainRecord {
  return {
    id: 7,
    name: 'P00007',
    state: 'to approve',
    amount_total: 1500,
    origin: null,
    locked: false,
    date_order: '2026-11-25T10:00:00Z',
    date_planned: '2026-11-30',
    partner_id: { id: 3, name: 'Acme Corp' },
    user_id: null,
    tag_ids: [4, 5],
    ...overrides,
  };
}

const match = (leaf: DomainLeaf, record = order()) => evaluateDomain([leaf], record);
const errorCode = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('evaluateDomain: structure', () => {
  it('matches everything with an empty domain', () => {
    expect(evaluateDomain([], order())).toBe(true);
  });

  it('joins top-level terms with an implicit &', () => {
    expect(
      evaluateDomain(
        [
          ['state', '=', 'to approve'],
          ['amount_total', '>', 1000],
        ],
        order(),
      ),
    ).toBe(true);
    expect(
      evaluateDomain(
        [
          ['state', '=', 'to approve'],
          ['amount_total', '>', 2000],
        ],
        order(),
      ),
    ).toBe(false);
  });

  it('applies prefix |, & and ! with nesting', () => {
    const d: Domain = ['|', ['state', '=', 'draft'], '&', ['amount_total', '>=', 1500], '!', ['name', 'like', 'X']];
    expect(evaluateDomain(d, order())).toBe(true);
    expect(evaluateDomain(d, order({ name: 'PX1' }))).toBe(false);
    expect(evaluateDomain(['!', '|', ['state', '=', 'draft'], ['state', '=', 'sent']], order())).toBe(true);
  });

  it('rejects malformed domains and hierarchy operators with user errors', () => {
    expect(errorCode(() => evaluateDomain(['|', ['state', '=', 'draft']], order()))).toBe('domain.malformed');
    expect(errorCode(() => evaluateDomain(['x' as '&'], order()))).toBe('domain.malformed');
    expect(errorCode(() => match(['partner_id', 'child_of', 3]))).toBe('domain.unsupported_operator');
    expect(errorCode(() => match(['partner_id', 'parent_of', 3]))).toBe('domain.unsupported_operator');
  });

  it('says which field was not loaded', () => {
    expect(errorCode(() => match(['missing', '=', 1]))).toBe('domain.missing_field');
    expect(errorCode(() => match(['partner_id.country_id.code', '=', 'BE']))).toBe('domain.missing_field');
  });
});

describe('evaluateDomain: comparison operators', () => {
  it.each<[DomainLeaf, boolean]>([
    [['amount_total', '=', 1500], true],
    [['amount_total', '!=', 1500], false],
    [['amount_total', '>', 1499.5], true],
    [['amount_total', '>=', 1500], true],
    [['amount_total', '<', 1500], false],
    [['amount_total', '<=', 1500], true],
    [['amount_total', '>', '999'], true],
    [['amount_total', 'in', [1, 1500]], true],
    [['amount_total', 'not in', [1, 1500]], false],
    [['state', 'in', ['draft', 'to approve']], true],
    [['state', 'not in', ['draft', 'sent']], true],
    [['state', '=', ['draft', 'to approve']], true],
    [['name', '<', 'P00010'], true],
    [['name', '>', 'p'], false],
  ])('%j → %s', (leaf, expected) => {
    expect(match(leaf)).toBe(expected);
  });

  it('converts numeric strings for numeric fields and numbers to text for text fields', () => {
    expect(match(['amount_total', '=', '1500.0'])).toBe(true);
    expect(match(['amount_total', '>', '200'])).toBe(true);
    expect(match(['name', '=', 7], order({ name: '7' }))).toBe(true);
    expect(match(['name', '>', 10], order({ name: '9' }))).toBe(true);
    expect(errorCode(() => match(['amount_total', '=', 'lots']))).toBe('domain.invalid_value');
  });

  it('refuses orderings against empty values or lists', () => {
    expect(errorCode(() => match(['amount_total', '>', false]))).toBe('domain.invalid_value');
    expect(errorCode(() => match(['amount_total', '<', [1]]))).toBe('domain.invalid_value');
    expect(errorCode(() => match(['state', 'in', 'draft']))).toBe('domain.invalid_value');
  });
});

describe('evaluateDomain: like family', () => {
  it.each<[DomainLeaf, boolean]>([
    [['name', 'like', '0007'], true],
    [['name', 'like', 'p000'], false],
    [['name', 'ilike', 'p000'], true],
    [['name', 'not like', '0007'], false],
    [['name', 'not ilike', 'p000'], false],
    [['name', 'not ilike', 'zzz'], true],
    [['name', '=like', 'P%7'], true],
    [['name', '=like', 'P_007'], false],
    [['name', '=like', 'P_____'], true],
    [['name', '=like', '0007'], false],
    [['name', '=ilike', 'p%'], true],
    [['name', 'like', 'P%7'], true],
  ])('%j → %s', (leaf, expected) => {
    expect(match(leaf)).toBe(expected);
  });

  it('treats backslash as the escape character', () => {
    expect(match(['name', 'like', '100\\%'], order({ name: 'up to 100%' }))).toBe(true);
    expect(match(['name', 'like', '100\\%'], order({ name: 'up to 1000' }))).toBe(false);
  });

  it('matches datetimes against their Odoo text form', () => {
    expect(match(['date_order', 'like', '2026-11-25 10:'])).toBe(true);
  });
});

describe('evaluateDomain: empty values', () => {
  it.each<[DomainLeaf, boolean]>([
    [['origin', '=', false], true],
    [['origin', '=', null], true],
    [['origin', '!=', false], false],
    [['origin', '=', 'x'], false],
    [['origin', '!=', 'x'], true],
    [['origin', '!=', ''], false],
    [['origin', 'in', ['x']], false],
    [['origin', 'in', ['x', false]], true],
    [['origin', 'not in', ['x']], true],
    [['origin', 'not in', ['x', false]], false],
    [['origin', 'like', 'x'], false],
    [['origin', 'like', ''], true],
    [['origin', 'not like', 'x'], true],
    [['origin', '=like', '%'], false],
    [['origin', '>', 'a'], false],
    [['name', '=', false], false],
    [['name', '!=', false], true],
    [['amount_total', '!=', false], true],
  ])('%j → %s', (leaf, expected) => {
    expect(match(leaf)).toBe(expected);
  });

  it('treats false and empty alike on boolean fields', () => {
    expect(match(['locked', '=', false])).toBe(true);
    expect(match(['locked', '!=', true])).toBe(true);
    expect(match(['locked', '=', true])).toBe(false);
    expect(match(['locked', '!=', false], order({ locked: true }))).toBe(true);
    expect(match(['locked', 'in', [false]])).toBe(true);
    expect(match(['locked', 'not in', [false]])).toBe(false);
  });
});

describe('evaluateDomain: dates and datetimes', () => {
  it('compares datetimes as instants in either notation', () => {
    expect(match(['date_order', '=', '2026-11-25 10:00:00'])).toBe(true);
    expect(match(['date_order', '=', '2026-11-25T10:00:00Z'])).toBe(true);
    expect(match(['date_order', '<', '2026-11-25 10:00:01'])).toBe(true);
    expect(match(['date_order', '>', '2026-11-25T09:59:59Z'])).toBe(true);
  });

  it('reads a bare date as the start of the day, or its end for > and <=', () => {
    expect(match(['date_order', '>=', '2026-11-25'])).toBe(true);
    expect(match(['date_order', '>', '2026-11-25'])).toBe(false);
    expect(match(['date_order', '<=', '2026-11-25'])).toBe(true);
    expect(match(['date_order', '<', '2026-11-25'])).toBe(false);
    expect(match(['date_order', '=', '2026-11-25'])).toBe(false);
  });

  it('refuses datetimes with a zone other than UTC', () => {
    expect(errorCode(() => match(['date_order', '>', '2026-11-25T10:00:00+02:00']))).toBe('domain.invalid_value');
  });

  it('compares dates as dates', () => {
    expect(match(['date_planned', '>', '2026-11-29'])).toBe(true);
    expect(match(['date_planned', '=', '2026-11-30 08:00:00'])).toBe(true);
  });
});

describe('evaluateDomain: many2one', () => {
  it.each<[DomainLeaf, boolean]>([
    [['partner_id', '=', 3], true],
    [['partner_id', '!=', 3], false],
    [['partner_id', 'in', [1, 3]], true],
    [['partner_id', 'not in', [3]], false],
    [['partner_id', '=', false], false],
    [['partner_id', '!=', false], true],
    [['partner_id', '=', 'Acme Corp'], true],
    [['partner_id', '=', 'Acme'], false],
    [['partner_id', 'ilike', 'acme'], true],
    [['partner_id', 'not ilike', 'acme'], false],
    [['partner_id', '!=', 'Acme Corp'], false],
    [['partner_id', 'in', ['Beta', 'Acme Corp']], true],
    [['partner_id', 'in', 'Acme Corp'], true],
    [['user_id', '=', false], true],
    [['user_id', '=', 2], false],
    [['user_id', '!=', 2], true],
    [['user_id', 'ilike', 'mitchell'], false],
    [['user_id', 'not ilike', 'mitchell'], true],
  ])('%j → %s', (leaf, expected) => {
    expect(match(leaf)).toBe(expected);
  });

  it('refuses ordering a related record against a text', () => {
    expect(errorCode(() => match(['partner_id', '>', 'A']))).toBe('domain.invalid_value');
  });

  it('uses display_name of a loaded record for name comparisons', () => {
    const record = order({ partner_id: { id: 3, name: 'Jane', display_name: 'Acme Corp, Jane' } });
    expect(match(['partner_id', 'ilike', 'acme'], record)).toBe(true);
    expect(match(['partner_id.name', 'ilike', 'acme'], record)).toBe(false);
  });
});

describe('evaluateDomain: dotted paths', () => {
  const withCountry = (code: string | null) =>
    order({ partner_id: { id: 3, name: 'Acme', country_id: code === null ? null : { id: 20, name: 'X', code } } });

  it('follows loaded related records', () => {
    expect(match(['partner_id.country_id.code', '=', 'BE'], withCountry('BE'))).toBe(true);
    expect(match(['partner_id.country_id.code', 'in', ['FR', 'DE']], withCountry('BE'))).toBe(false);
    expect(match(['partner_id.country_id', '=', 20], withCountry('BE'))).toBe(true);
  });

  it('does not match when a link on the path is empty, even for negative operators', () => {
    expect(match(['partner_id.country_id.code', '!=', 'BE'], withCountry(null))).toBe(false);
    expect(match(['user_id.login', '!=', 'x'])).toBe(false);
    expect(evaluateDomain(['!', ['user_id.login', '=', 'x']], order())).toBe(true);
  });

  it('matches when any related record of an x2many matches', () => {
    const record = order({
      order_line: [
        { id: 1, product_id: { id: 9, name: 'Desk' }, price_unit: 10 },
        { id: 2, product_id: { id: 8, name: 'Chair' }, price_unit: 900 },
      ],
    });
    expect(match(['order_line.price_unit', '>', 500], record)).toBe(true);
    expect(match(['order_line.product_id', 'ilike', 'desk'], record)).toBe(true);
    expect(match(['order_line.price_unit', '>', 1000], record)).toBe(false);
    expect(errorCode(() => match(['tag_ids.name', '=', 'x']))).toBe('domain.missing_field');
  });

  it('refuses a path through a plain field', () => {
    expect(errorCode(() => match(['state.x', '=', 1]))).toBe('domain.invalid_value');
  });
});

describe('evaluateDomain: x2many', () => {
  it.each<[DomainLeaf, boolean]>([
    [['tag_ids', 'in', [5, 6]], true],
    [['tag_ids', 'in', [6]], false],
    [['tag_ids', 'in', []], false],
    [['tag_ids', 'not in', [5]], false],
    [['tag_ids', 'not in', [6]], true],
    [['tag_ids', 'not in', []], true],
    [['tag_ids', '=', 4], true],
    [['tag_ids', '!=', 4], false],
    [['tag_ids', '=', false], false],
    [['tag_ids', '!=', false], true],
  ])('%j → %s', (leaf, expected) => {
    expect(match(leaf)).toBe(expected);
  });

  it('matches empty lists with = False', () => {
    expect(match(['tag_ids', '=', false], order({ tag_ids: [] }))).toBe(true);
    expect(match(['tag_ids', 'in', [4]], order({ tag_ids: [] }))).toBe(false);
  });

  it('compares names of loaded related records', () => {
    const record = order({ tag_ids: [{ id: 4, name: 'Urgent' }] });
    expect(match(['tag_ids', '=', 'Urgent'], record)).toBe(true);
    expect(match(['tag_ids', 'not ilike', 'urg'], record)).toBe(false);
  });

  it('refuses orderings, which Odoo reads as "contains"', () => {
    expect(errorCode(() => match(['tag_ids', '>', 4]))).toBe('domain.unsupported_operator');
  });
});

describe('domainPaths', () => {
  it('lists each dotted path once, split at the dots', () => {
    const d: Domain = ['|', ['partner_id.country_id.code', '=', 'BE'], ['state', '=', 'draft'], ['state', '!=', 'x']];
    expect(domainPaths(d)).toEqual([['partner_id', 'country_id', 'code'], ['state']]);
  });
});
