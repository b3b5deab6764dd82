import { describe, expect, it } from 'vitest';
import { promptFacts } from '../../src/ai/prompt-facts.js';
import { aCaseFacts, aPast, aPrice } from '../support/ai-facts.js';

/** What the AI provider is told when prices or history are in other currencies than the document. */
describe('promptFacts across currencies', () => {
  it('says which last prices are in another currency and that their change is in the company currency', () => {
    const f = aCaseFacts({
      prices: [
        aPrice({ unitPrice: 180, lastPrice: 150, lastReference: 'P00031', lastCurrency: 'USD', changePct: 2 }),
        aPrice({ product: 'Desk', unitPrice: 100, lastPrice: 100, changePct: 0 }),
      ],
    });
    expect(promptFacts(f, [], ['lastPrices'])).toEqual({
      kind: 'purchase',
      lastPrices: [
        {
          product: 'Office Chair',
          unitPrice: 180,
          lastPrice: 150,
          lastReference: 'P00031',
          changePct: 2,
          lastCurrency: 'USD',
          changeIn: 'company currency',
        },
        { product: 'Desk', unitPrice: 100, lastPrice: 100, lastReference: 'P00040', changePct: 0 },
      ],
    });
  });

  it('sends the median in the company currency, and each past amount with its currency, when they differ', () => {
    const f = aCaseFacts({
      companyAmount: 1250.5,
      history: [
        aPast({ reference: 'P00040', amount: 1100, currency: 'USD', companyAmount: 1000 }),
        aPast({ reference: 'P00031', amount: 980, currency: 'EUR', companyAmount: 980 }),
        aPast({ reference: 'P00022', amount: 1320, currency: 'EUR', companyAmount: 1320 }),
      ],
    });
    expect(promptFacts(f, [], ['usual', 'history'])).toEqual({
      kind: 'purchase',
      usual: { median: 1000, documents: 3, in: 'company currency' },
      history: [
        { reference: 'P00040', date: '2026-10-02', amount: 1100, currency: 'USD' },
        { reference: 'P00031', date: '2026-10-02', amount: 980 },
        { reference: 'P00022', date: '2026-10-02', amount: 1320 },
      ],
    });
  });

  it('leaves facts in one currency as they were', () => {
    expect(promptFacts(aCaseFacts(), [], ['usual', 'lastPrices'])).toEqual({
      kind: 'purchase',
      usual: { median: 1100, documents: 3 },
      lastPrices: [{ product: 'Office Chair', unitPrice: 150, lastPrice: 150, lastReference: 'P00040', changePct: 0 }],
    });
  });
});
