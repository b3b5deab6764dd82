import { describe, expect, it } from 'vitest';
import { factCheck } from '../../src/ai/fact-check.js';
import { promptFacts } from '../../src/ai/prompt-facts.js';
import { FACT_NAMES } from '../../src/flows/context-ports.js';
import { riskFlags } from '../../src/flows/risk-flags.js';
import { fakeDraft } from '../../src/sandbox/ai/fake-openai-server.js';
import { aBillFacts, aBillLine, aCaseFacts } from '../support/ai-facts.js';

describe('promptFacts with a flow allowlist (ai.facts)', () => {
  it('sends every fact name when the flow sets no allowlist', () => {
    const sent = promptFacts(aBillFacts(), []);
    expect(Object.keys(sent).sort()).toEqual(['kind', ...FACT_NAMES.filter((n) => n !== 'sale')].sort());
  });

  it('sends only the facts allowed, and always the kind of document', () => {
    const f = aCaseFacts({ partnerRef: 'INV-77' });
    const sent = promptFacts(f, riskFlags(f), ['reference', 'amount', 'currency']);
    expect(sent).toEqual({ kind: 'purchase', reference: 'P00042', amount: 1250.5, currency: 'EUR' });
  });

  it('keeps a vendor left out of the allowlist out of the flag reasons too', () => {
    const f = aCaseFacts({ newPartner: true, history: [] });
    const sent = promptFacts(f, riskFlags(f), ['reference', 'flags']);
    expect(sent).toEqual({ kind: 'purchase', reference: 'P00042', flags: ['first order from [vendor]'] });
    expect(JSON.stringify(sent)).not.toContain('Azure');
  });

  it('masks personal data after the allowlist', () => {
    const f = aCaseFacts({ partner: 'Jane Roe', partnerRef: 'jane@example.com' });
    expect(promptFacts(f, [], ['vendor', 'vendorReference'])).toEqual({
      kind: 'purchase',
      vendor: 'Jane Roe',
      vendorReference: '[email]',
    });
  });

  it('sends a bill with its order, receipts and variance, and the fact check accepts a faithful draft', () => {
    const f = aBillFacts([aBillLine({ received: 6, billed: 8, billPrice: 120, priceChangePct: 20 })]);
    const flags = riskFlags(f);
    const sent = promptFacts(f, flags, ['reference', 'vendor', 'amount', 'currency', 'bill', 'flags']);
    expect(sent.bill).toEqual({
      orderReference: 'P00040',
      orderAmount: 1000,
      variance: 0,
      variancePct: 0,
      lines: [
        {
          product: 'Office Chair',
          ordered: 10,
          received: 6,
          billed: 8,
          orderPrice: 100,
          billPrice: 120,
          priceChangePct: 20,
        },
      ],
    });
    expect(factCheck(fakeDraft('correct', sent), sent).reasons).toEqual([]);
    expect(factCheck('Bill BILL/2026/00007 from Azure Interior bills 8 chairs of 7 received.', sent).reasons).toEqual([
      'number "7" matches no fact sent',
    ]);
  });
});

describe('promptFacts on long documents', () => {
  it('sends the 15 most changed last prices of a 200-product order and counts the others', () => {
    const prices = Array.from({ length: 200 }, (_, i) => ({
      product: `Gear ${i}`,
      unitPrice: 100 + (i === 150 ? 50 : 0),
      lastPrice: 100,
      lastReference: 'P00001',
      changePct: i === 150 ? 50 : i % 7 === 0 ? 2 : 0,
    }));
    const sent = promptFacts(aCaseFacts({ prices }), [], ['lastPrices']) as {
      lastPrices: { shown: Array<{ product: string }>; otherProducts: number };
    };
    expect(sent.lastPrices.shown).toHaveLength(15);
    expect(sent.lastPrices.shown.map((p) => p.product)).toContain('Gear 150');
    expect(sent.lastPrices.otherProducts).toBe(185);
  });

  it('keeps the bill lines that explain a variance when a bill has many lines', () => {
    const lines = Array.from({ length: 60 }, (_, i) =>
      aBillLine({ product: `Part ${i}`, received: 5, billed: i === 42 ? 8 : 5, priceChangePct: i === 7 ? 12 : 0 }),
    );
    const sent = promptFacts(aBillFacts(lines), [], ['bill']) as {
      bill: { lines: Array<{ product: string }>; otherLines: number };
    };
    expect(sent.bill.lines).toHaveLength(15);
    expect(sent.bill.lines.map((l) => l.product)).toEqual(expect.arrayContaining(['Part 42', 'Part 7']));
    expect(sent.bill.otherLines).toBe(45);
  });
});
