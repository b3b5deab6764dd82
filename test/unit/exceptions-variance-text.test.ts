import { describe, expect, it } from 'vitest';
import { describeVariance, type VarianceLine } from '../../src/flows/exceptions/variance-facts.js';

const line = (o: Partial<VarianceLine> = {}): VarianceLine => ({
  product: 'Office Chair',
  ordered: 10,
  received: 8,
  billed: 10,
  orderPrice: 150,
  billPrice: 155,
  ...o,
});

describe('describeVariance', () => {
  it('sets ordered, received and billed side by side with the differences', () => {
    expect(describeVariance(line())).toBe(
      'Office Chair: ordered 10 @ 150.00 · received 8 · billed 10 @ 155.00 → 2 billed but not received; price +5 per unit',
    );
  });

  it('does not subtract prices written in different currencies, and names them', () => {
    const text = describeVariance(line({ orderCurrency: 'EUR', billCurrency: 'USD', billPrice: 165 }));
    expect(text).toBe(
      'Office Chair: ordered 10 @ 150.00 EUR · received 8 · billed 10 @ 165.00 USD → 2 billed but not received; prices in different currencies (ordered in EUR, billed in USD)',
    );
    expect(text).not.toMatch(/price \+/);
  });

  it('reads as before when both prices are in the same currency', () => {
    expect(describeVariance(line({ orderCurrency: 'EUR', billCurrency: 'EUR' }))).toBe(describeVariance(line()));
  });
});
