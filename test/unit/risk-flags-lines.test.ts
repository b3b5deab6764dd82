import { describe, expect, it } from 'vitest';
import { MAX_LINE_FLAGS, riskFlags } from '../../src/flows/risk-flags.js';
import { summariseFacts } from '../../src/flows/summarise-facts.js';
import { aBillFacts, aBillLine, aCaseFacts, aPrice } from '../support/ai-facts.js';

/** Flags over every line of a long document stay few: the first ones one by one, the rest counted in one. */
describe('riskFlags on many flagged lines', () => {
  const items = (n: number) => Array.from({ length: n }, (_, i) => `Item ${i + 1}`);

  it('shows up to MAX_LINE_FLAGS price increases one by one', () => {
    const prices = items(MAX_LINE_FLAGS).map((product) => aPrice({ product, unitPrice: 120, changePct: 20 }));
    expect(riskFlags(aCaseFacts({ prices })).map((f) => f.reason.split(':')[0])).toEqual(items(MAX_LINE_FLAGS));
  });

  it('folds further price increases into one flag naming the largest', () => {
    const prices = items(40).map((product, i) =>
      aPrice({ product, unitPrice: i === 33 ? 300 : 120, changePct: i === 33 ? 100 : 20 }),
    );
    // A product within the limit is neither shown nor counted.
    prices.push(aPrice({ product: 'Steady', changePct: 5 }));
    const flags = riskFlags(aCaseFacts({ prices }));
    expect(flags).toHaveLength(MAX_LINE_FLAGS);
    expect(flags.map((f) => f.code)).toEqual(['price_increase', 'price_increase', 'price_increase']);
    expect(flags[0]!.reason).toBe('Item 1: 120.00 per unit, up 20.0% from 150.00 on P00040 (limit 10%)');
    expect(flags[2]!.reason).toBe(
      '38 more products cost more than 10% above their last price, the most Item 34 (up 100.0%)',
    );
    expect(summariseFacts('purchase.order', aCaseFacts({ prices }), flags)).toContain('38 more products');
  });

  it('folds bill lines billed over received and priced above the order, each on its own', () => {
    const lines = items(10).map((product, i) =>
      aBillLine({ product, received: 1, billed: i === 7 ? 9 : 2, billPrice: 130, priceChangePct: 30 }),
    );
    const flags = riskFlags(aBillFacts(lines)).map((f) => [f.code, f.reason]);
    expect(flags).toEqual([
      ['billed_over_received', 'Item 1: 2 billed but 1 received of 10 ordered on P00040'],
      ['billed_over_received', 'Item 2: 2 billed but 1 received of 10 ordered on P00040'],
      [
        'billed_over_received',
        '8 more lines of P00040 are billed over what was received, the most Item 8 (9 billed, 1 received)',
      ],
      ['bill_price_above_order', expect.stringMatching(/^Item 1: billed at 130\.00 per unit, 30\.0% above/)],
      ['bill_price_above_order', expect.stringMatching(/^Item 2: billed at 130\.00/)],
      [
        'bill_price_above_order',
        '8 more lines are billed more than 10% above the prices ordered on P00040, the most Item 3 (30.0% above)',
      ],
    ]);
  });
});
