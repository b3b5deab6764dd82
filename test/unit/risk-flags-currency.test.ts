import { describe, expect, it } from 'vitest';
import { riskFlags, usualAmounts } from '../../src/flows/risk-flags.js';
import { summariseFacts } from '../../src/flows/summarise-facts.js';
import { aCaseFacts, aPast, aPrice } from '../support/ai-facts.js';

/** Facts across currencies: the document in EUR, parts of its history or last prices in USD. */
describe('riskFlags and the summary across currencies', () => {
  const usdPrice = (product: string, changePct: number | null) =>
    aPrice({ product, unitPrice: 180, lastPrice: 150, lastReference: 'P00031', lastCurrency: 'USD', changePct });

  it('flags a last price in another currency by its change in the company currency, naming both currencies', () => {
    const f = aCaseFacts({ prices: [usdPrice('Office Chair', 12.5)] });
    expect(riskFlags(f)).toEqual([
      {
        code: 'price_increase',
        reason:
          'Office Chair: 180.00 EUR per unit, last 150.00 USD on P00031: up 12.5% in company currency (limit 10%)',
      },
    ]);
    expect(riskFlags(aCaseFacts({ prices: [usdPrice('Office Chair', 2)] }))).toEqual([]);
  });

  it('raises nothing, and says why, when a rate is missing to compare a price in another currency', () => {
    const f = aCaseFacts({ prices: [usdPrice('Office Chair', null)] });
    expect(riskFlags(f)).toEqual([]);
    expect(summariseFacts('purchase.order', f, [])).toContain(
      'last prices in another currency: Office Chair 180.00 EUR, last 150.00 USD on P00031 (no exchange rate to compare them)',
    );
  });

  it('describes two last prices in another currency and counts the rest', () => {
    const f = aCaseFacts({
      prices: [usdPrice('Chair', 2), aPrice({ product: 'Lamp' }), usdPrice('Desk', -3.25), usdPrice('Shelf', 1)],
    });
    expect(summariseFacts('purchase.order', f, [])).toContain(
      'last prices in another currency: Chair 180.00 EUR, last 150.00 USD on P00031 (≈ +2.0% in company currency), Desk 180.00 EUR, last 150.00 USD on P00031 (≈ -3.3% in company currency) and 1 more product; nothing unusual.',
    );
  });

  it('keeps the summary of prices in one currency as it was', () => {
    expect(summariseFacts('purchase.order', aCaseFacts(), [])).not.toContain('currency');
  });

  it("compares with the vendor's usual in the company currency only when the history mixes currencies", () => {
    const same = aCaseFacts({ amount: 4000, history: aCaseFacts().history.map((h) => ({ ...h, currency: 'EUR' })) });
    expect(usualAmounts(same)).toMatchObject({ amount: 4000, inCompanyCurrency: false });
    const mixed = aCaseFacts({
      amount: 4000,
      companyAmount: 4000,
      history: [
        aPast({ reference: 'P00040', amount: 1100, currency: 'USD', companyAmount: 1000 }),
        aPast({ reference: 'P00031', amount: 1000, currency: 'EUR', companyAmount: 1000 }),
        aPast({ reference: 'P00022', amount: 1600, currency: 'USD', companyAmount: 1454.55 }),
        // No rate: left out of a comparison in the company currency.
        aPast({ reference: 'P00013', amount: 9000, currency: 'USD', companyAmount: null }),
      ],
    });
    expect(usualAmounts(mixed)).toMatchObject({ amount: 4000, inCompanyCurrency: true });
    expect(usualAmounts(mixed).history.map((h) => h.amount)).toEqual([1000, 1000, 1454.55]);
    expect(riskFlags(mixed)).toEqual([
      {
        code: 'amount_above_usual',
        reason:
          '4,000.00 EUR is 4.0 times the median of the last 3, compared in company currency as their currencies differ (4,000.00 against 1,000.00)',
      },
    ]);
    // Without this document's company amount there is nothing to compare.
    expect(riskFlags({ ...mixed, companyAmount: null })).toEqual([]);
  });

  it('measures a split order against the thresholds in the company currency', () => {
    // 5,200 USD is 4,727.27 EUR: just under the 5,000 threshold, with 450 EUR three days before.
    const f = aCaseFacts({
      amount: 5200,
      currency: 'USD',
      companyAmount: 4727.27,
      date: '2026-11-20',
      history: [aPast({ reference: 'P00041', date: '2026-11-17', amount: 450, currency: 'EUR', companyAmount: 450 })],
    });
    expect(riskFlags(f)).toEqual([
      {
        code: 'split_order',
        reason:
          '5,200.00 USD (4,727.27 in company currency) is just under the 5,000.00 approval threshold, and P00041 from the same vendor within 7 days brings the total to 5,177.27 in company currency',
      },
    ]);
    // As written, 5,200 is above the threshold and nothing would be flagged.
    expect(
      riskFlags({ ...f, companyAmount: undefined, history: [aPast({ ...f.history[0], currency: undefined })] }),
    ).toEqual([]);
  });
});
