import type { BillLineFact, CaseFacts, PastDocument, PriceFact } from '../../src/flows/context-ports.js';

/** Facts for a purchase order from a known vendor with nothing unusual; override what the test is about. */
export function aCaseFacts(overrides: Partial<CaseFacts> = {}): CaseFacts {
  return {
    kind: 'purchase',
    reference: 'P00042',
    partner: 'Azure Interior',
    amount: 1250.5,
    currency: 'EUR',
    date: '2026-11-20',
    partnerRef: null,
    history: [
      aPast({ reference: 'P00040', date: '2026-10-02', amount: 1100 }),
      aPast({ reference: 'P00031', date: '2026-08-14', amount: 980 }),
      aPast({ reference: 'P00022', date: '2026-06-30', amount: 1320 }),
    ],
    newPartner: false,
    prices: [aPrice()],
    thresholds: [5000],
    ...overrides,
  };
}

export function aPast(overrides: Partial<PastDocument> = {}): PastDocument {
  return { reference: 'P00040', date: '2026-10-02', amount: 1100, partnerRef: null, ...overrides };
}

export function aPrice(overrides: Partial<PriceFact> = {}): PriceFact {
  return {
    product: 'Office Chair',
    unitPrice: 150,
    lastPrice: 150,
    lastReference: 'P00040',
    changePct: 0,
    ...overrides,
  };
}

/** An order line of a bill: 10 ordered, received and billed at the ordered price. */
export function aBillLine(overrides: Partial<BillLineFact> = {}): BillLineFact {
  return {
    product: 'Office Chair',
    ordered: 10,
    received: 10,
    billed: 10,
    orderPrice: 100,
    billPrice: 100,
    priceChangePct: 0,
    ...overrides,
  };
}

/** Facts for a vendor bill matching P00040 line for line; override the lines the test is about. */
export function aBillFacts(lines: BillLineFact[] = [aBillLine()], overrides: Partial<CaseFacts> = {}): CaseFacts {
  return aCaseFacts({
    kind: 'bill',
    reference: 'BILL/2026/00007',
    amount: 1000,
    prices: [],
    history: [],
    bill: { orderReference: 'P00040', orderAmount: 1000, variance: 0, variancePct: 0, lines },
    ...overrides,
  });
}
