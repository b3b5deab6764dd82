import fc from 'fast-check';
import type { BillLineFact, CaseFacts, FactKind, PastDocument, PriceFact } from '../../src/flows/context-ports.js';

const PRODUCTS = [
  'Office Chair',
  'Standing Desk',
  'Desk',
  'Desk Lamp',
  'Oak Plank',
  'Filing Cabinet',
  'Conference Table',
  'Monitor Arm',
  'Whiteboard',
  '[FURN_8888] Office Lamp',
];
const VENDORS = ['Azure Interior', 'Deco Addict', 'Wood Corner', 'Lumber Inc', 'Gemini Furniture', 'Ready Mat'];
const EXPENSES = ['Trip to Paris', 'Client dinner', 'Trip to Lyon', 'Team lunch', 'Conference fee'];

const cents = (max: number) => fc.integer({ min: 100, max: max * 100 }).map((c) => c / 100);
const isoDate = fc
  .integer({ min: 0, max: 364 })
  .map((d) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
const pctChange = (from: number, to: number) => Math.round(((to - from) / from) * 1000) / 10;

function reference(kind: FactKind, n: number): string {
  switch (kind) {
    case 'bill':
      return `BILL/2026/${String(n).padStart(5, '0')}`;
    case 'expense':
      return EXPENSES[n % EXPENSES.length]!;
    case 'sale':
      return `S${String(n).padStart(5, '0')}`;
    case 'other':
      return `REQ/${String(n).padStart(4, '0')}`;
    default:
      return `P${String(n).padStart(5, '0')}`;
  }
}

const aPrice = (product: string, refs: string[]) =>
  fc
    .record({
      unitPrice: cents(2_000),
      last: fc.option(cents(2_000), { nil: null }),
      ref: fc.constantFrom(...refs, 'P09999'),
    })
    .map(
      ({ unitPrice, last, ref }): PriceFact => ({
        product,
        unitPrice,
        lastPrice: last,
        lastReference: last === null ? null : ref,
        changePct: last === null ? null : pctChange(last, unitPrice),
      }),
    );

const aLine = (product: string) =>
  fc
    .record({
      ordered: fc.integer({ min: 1, max: 50 }),
      short: fc.integer({ min: 0, max: 5 }),
      orderPrice: cents(1_000),
      bump: fc.integer({ min: -30, max: 30 }),
    })
    .map(({ ordered, short, orderPrice, bump }): BillLineFact => {
      const billPrice = Math.round(orderPrice * (100 + bump)) / 100;
      return {
        product,
        ordered,
        received: Math.max(0, ordered - short),
        billed: ordered,
        orderPrice,
        billPrice,
        priceChangePct: pctChange(orderPrice, billPrice),
      };
    });

/** Any document's facts, consistent the way Odoo's are: references unique, changes computed from prices. */
export const anyCaseFacts: fc.Arbitrary<CaseFacts> = fc
  .record({
    kind: fc.constantFrom<FactKind>('purchase', 'bill', 'expense', 'sale', 'other'),
    n: fc.integer({ min: 100, max: 899 }),
    partner: fc.constantFrom(...VENDORS),
    amount: cents(60_000),
    date: isoDate,
    historySize: fc.integer({ min: 0, max: 5 }),
    historyAmounts: fc.array(cents(60_000), { minLength: 5, maxLength: 5 }),
    historyDates: fc.array(isoDate, { minLength: 5, maxLength: 5 }),
    products: fc.subarray(PRODUCTS, { maxLength: 4 }),
    thresholds: fc.constantFrom<number[]>([], [5000], [5000, 20000]),
    orderAmount: cents(60_000),
    sale: fc.record({ maxDiscountPct: fc.integer({ min: 0, max: 60 }), marginPct: fc.integer({ min: -50, max: 600 }) }),
  })
  .chain((r) => {
    const history: PastDocument[] = Array.from({ length: r.historySize }, (_, i) => ({
      reference: reference(r.kind, r.n + 1 + i),
      date: r.historyDates[i]!,
      amount: r.historyAmounts[i]!,
      partnerRef: null,
    }));
    const refs = history.map((h) => h.reference);
    const prices = r.kind === 'purchase' ? fc.tuple(...r.products.map((p) => aPrice(p, refs))) : fc.constant([]);
    const lines = r.kind === 'bill' ? fc.tuple(...r.products.map(aLine)) : fc.constant([]);
    return fc.tuple(prices, lines).map(([ps, ls]): CaseFacts => {
      const base: CaseFacts = {
        kind: r.kind,
        reference: reference(r.kind, r.n),
        partner: r.partner,
        amount: r.amount,
        currency: 'EUR',
        date: r.date,
        partnerRef: null,
        history,
        newPartner: history.length === 0,
        prices: ps as PriceFact[],
        thresholds: r.thresholds,
      };
      if (r.kind === 'bill') {
        const variance = Math.round((r.amount - r.orderAmount) * 100) / 100;
        base.bill = {
          orderReference: `P${String(r.n + 500).padStart(5, '0')}`,
          orderAmount: r.orderAmount,
          variance,
          variancePct: pctChange(r.orderAmount, r.amount),
          lines: ls as BillLineFact[],
        };
      }
      if (r.kind === 'sale') base.sale = { maxDiscountPct: r.sale.maxDiscountPct, marginPct: r.sale.marginPct / 10 };
      return base;
    });
  });
