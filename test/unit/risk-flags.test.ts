import { describe, expect, it } from 'vitest';
import { riskFlags } from '../../src/flows/risk-flags.js';
import { summariseFacts } from '../../src/flows/summarise-facts.js';
import { aCaseFacts, aPast, aPrice } from '../support/ai-facts.js';

const codes = (f: Parameters<typeof riskFlags>[0], s?: Parameters<typeof riskFlags>[1]) =>
  riskFlags(f, s).map((x) => x.code);

describe('riskFlags', () => {
  it('raises nothing for a usual order from a known vendor', () => {
    expect(riskFlags(aCaseFacts())).toEqual([]);
  });

  it('flags a new vendor', () => {
    const [flag] = riskFlags(aCaseFacts({ newPartner: true, history: [] }));
    expect(flag).toEqual({ code: 'new_vendor', reason: 'first order from Azure Interior' });
  });

  it('flags a price up by more than the configured percent, and only then', () => {
    const up = aCaseFacts({ prices: [aPrice({ unitPrice: 180, lastPrice: 150, changePct: 20 })] });
    expect(codes(up)).toEqual(['price_increase']);
    expect(riskFlags(up)[0]!.reason).toBe('Office Chair: 180.00 per unit, up 20.0% from 150.00 on P00040 (limit 10%)');
    expect(codes(up, { priceIncreasePct: 25 })).toEqual([]);
    expect(codes(aCaseFacts({ prices: [aPrice({ changePct: 10 })] }))).toEqual([]);
  });

  it('flags an amount far above the vendor median, but not with too little history', () => {
    expect(codes(aCaseFacts({ amount: 4000 }))).toEqual(['amount_above_usual']);
    expect(riskFlags(aCaseFacts({ amount: 4000 }))[0]!.reason).toContain('3.6 times the median of the last 3');
    expect(codes(aCaseFacts({ amount: 4000, history: [aPast()] }))).toEqual([]);
  });

  it('flags orders split just under a tier threshold within the window', () => {
    const split = aCaseFacts({
      amount: 4800,
      date: '2026-11-20',
      history: [aPast({ reference: 'P00041', date: '2026-11-18', amount: 4700 })],
    });
    expect(codes(split)).toEqual(['split_order']);
    expect(riskFlags(split)[0]!.reason).toContain('P00041');
    const apart = { ...split, history: [aPast({ reference: 'P00041', date: '2026-10-01', amount: 4700 })] };
    expect(codes(apart)).toEqual([]);
    expect(codes({ ...split, amount: 3000 })).toEqual([]);
  });

  it('flags a duplicate vendor reference, ignoring case and separators', () => {
    const f = aCaseFacts({
      partnerRef: 'inv-2026/17',
      history: [aPast({ reference: 'P00040', partnerRef: 'INV 2026 17' })],
    });
    expect(riskFlags(f)).toEqual([
      { code: 'duplicate_reference', reason: 'vendor reference inv-2026/17 was already used on P00040' },
    ]);
  });

  it('flags a bill that differs from its order', () => {
    const f = aCaseFacts({
      kind: 'bill',
      bill: { orderReference: 'P00040', orderAmount: 1000, variance: 250.5, variancePct: 25.1 },
    });
    expect(codes(f)).toEqual(['bill_variance']);
  });
});

describe('summariseFacts (the deterministic summary)', () => {
  it('says what it is, how it compares and what is unusual, for every kind of document', () => {
    expect(summariseFacts('purchase.order', aCaseFacts(), [])).toBe(
      'Purchase order P00042 from Azure Interior: 1,250.50 EUR dated 2026-11-20. The median of the last 3 is 1,100.00 EUR (latest P00040); nothing unusual.',
    );
    const flags = riskFlags(aCaseFacts({ newPartner: true, history: [] }));
    expect(summariseFacts('purchase.order', aCaseFacts({ newPartner: true, history: [] }), flags)).toContain(
      'There is no earlier document from this vendor; flagged: first order from Azure Interior.',
    );
    for (const [model, kind] of [
      ['account.move', 'bill'],
      ['hr.expense.sheet', 'expense'],
      ['sale.order', 'sale'],
      ['approval.request', 'other'],
    ] as const) {
      const text = summariseFacts(model, aCaseFacts({ kind, history: [] }), []);
      expect(text).toMatch(/^[A-Z].*P00042.*\.$/);
    }
  });
});
