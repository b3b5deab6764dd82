import { describe, expect, it } from 'vitest';
import { riskFlags, riskSettingsFor } from '../../src/flows/risk-flags.js';
import { summariseFacts } from '../../src/flows/summarise-facts.js';
import { aBillFacts, aBillLine, aCaseFacts, aPast, aPrice } from '../support/ai-facts.js';

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

describe('riskFlags on bills against their order and receipts', () => {
  it('raises nothing when billed as ordered and received', () => {
    expect(riskFlags(aBillFacts())).toEqual([]);
  });

  it('flags more billed than received, naming ordered, received and billed', () => {
    const f = aBillFacts([aBillLine({ received: 6, billed: 8 })]);
    expect(riskFlags(f)).toEqual([
      { code: 'billed_over_received', reason: 'Office Chair: 8 billed but 6 received of 10 ordered on P00040' },
    ]);
    expect(codes(aBillFacts([aBillLine({ received: 6, billed: 6 })]))).toEqual([]);
    // Float quantities from Odoo: rounding noise is not a variance.
    expect(codes(aBillFacts([aBillLine({ received: 2.5, billed: 2.5000000001 })]))).toEqual([]);
  });

  it('flags a bill price above the ordered price by more than the limit, with its reason', () => {
    const f = aBillFacts([aBillLine({ billPrice: 115, priceChangePct: 15 })]);
    expect(riskFlags(f)).toEqual([
      {
        code: 'bill_price_above_order',
        reason: 'Office Chair: billed at 115.00 per unit, 15.0% above the 100.00 ordered on P00040 (limit 10%)',
      },
    ]);
    expect(codes(f, { priceIncreasePct: 20 })).toEqual([]);
    expect(codes(aBillFacts([aBillLine({ billPrice: 110, priceChangePct: 10 })]))).toEqual([]);
    expect(codes(aBillFacts([aBillLine({ billPrice: 80, priceChangePct: -20 })]))).toEqual([]);
  });

  it('flags each line on its own, after the total variance', () => {
    const lines = [
      aBillLine({ product: 'Desk', received: 0, billed: 2 }),
      aBillLine({ product: 'Lamp', billPrice: 30, orderPrice: 20, priceChangePct: 50 }),
    ];
    const f = aBillFacts(lines, {
      bill: { orderReference: 'P00040', orderAmount: 1000, variance: 400, variancePct: 40, lines },
    });
    expect(codes(f)).toEqual(['bill_variance', 'billed_over_received', 'bill_price_above_order']);
  });
});

describe('riskFlags on sale orders', () => {
  const sale = (maxDiscountPct: number | null, marginPct: number | null) =>
    aCaseFacts({ kind: 'sale', prices: [], history: [], sale: { maxDiscountPct, marginPct } });

  it('flags a discount above the limit and a margin below it, default 20% and 10%', () => {
    expect(riskFlags(sale(35, 8.5))).toEqual([
      { code: 'discount_above_limit', reason: 'a line is discounted 35.0% (limit 20%)' },
      { code: 'margin_below_limit', reason: 'the margin is 8.5% (limit 10%)' },
    ]);
    expect(codes(sale(20, 10))).toEqual([]);
    expect(codes(sale(null, null))).toEqual([]); // no sale_margin module: no margin, no flag
  });

  it('puts the discount and the margin in the deterministic summary', () => {
    const f = sale(35, 8.5);
    expect(summariseFacts('sale.order', f, riskFlags(f))).toBe(
      'Sale order P00042 from Azure Interior: 1,250.50 EUR dated 2026-11-20. The largest discount is 35.0%, the margin is 8.5%; flagged: a line is discounted 35.0% (limit 20%); the margin is 8.5% (limit 10%).',
    );
  });

  it('uses the limits given', () => {
    expect(codes(sale(35, 8.5), { maxDiscountPct: 40, minMarginPct: 5 })).toEqual([]);
    expect(codes(sale(5, 12), { maxDiscountPct: 2, minMarginPct: 15 })).toEqual([
      'discount_above_limit',
      'margin_below_limit',
    ]);
  });
});

describe("riskSettingsFor (a flow's risk: block over the global default)", () => {
  it('takes RISK_PRICE_INCREASE_PCT unless the flow says otherwise, and maps every key', () => {
    expect(riskSettingsFor(undefined)).toEqual({});
    expect(riskSettingsFor(undefined, 12)).toEqual({ priceIncreasePct: 12 });
    expect(
      riskSettingsFor(
        { priceIncreasePct: 5, maxDiscountPct: 15, minMarginPct: 25, amountFactor: 2, splitWindowDays: 3 },
        12,
      ),
    ).toEqual({ priceIncreasePct: 5, maxDiscountPct: 15, minMarginPct: 25, usualFactor: 2, splitWindowDays: 3 });
  });

  it('changes which flags a document raises', () => {
    const up = aCaseFacts({ prices: [aPrice({ unitPrice: 180, lastPrice: 150, changePct: 20 })] });
    expect(codes(up, riskSettingsFor(undefined, 25))).toEqual([]);
    expect(codes(up, riskSettingsFor({ priceIncreasePct: 15 }, 25))).toEqual(['price_increase']);
    expect(codes(aCaseFacts({ amount: 2500 }), riskSettingsFor({ amountFactor: 2 }))).toEqual(['amount_above_usual']);
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
