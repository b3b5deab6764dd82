import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factCheck } from '../../src/ai/fact-check.js';
import { promptFacts } from '../../src/ai/prompt-facts.js';
import { type CaseFacts, FACT_NAMES, type FactKind, type PriceFact } from '../../src/flows/context-ports.js';
import { riskFlags } from '../../src/flows/risk-flags.js';
import { summariseFacts } from '../../src/flows/summarise-facts.js';
import { fakeDraft } from '../../src/sandbox/ai/fake-openai-server.js';
import { aBillFacts, aBillLine, aCaseFacts, aPast, aPrice } from '../support/ai-facts.js';
import { anyCaseFacts } from '../support/ai-facts-arbitrary.js';

/** An order whose desk is up 20%, chair up 5% and lamp down 10%, each last bought on a different order. */
const order = aCaseFacts({
  amount: 4095,
  history: [
    aPast({ reference: 'P00003', date: '2026-09-01', amount: 800 }),
    aPast({ reference: 'P00002', date: '2026-08-01', amount: 750 }),
    aPast({ reference: 'P00001', date: '2026-07-01', amount: 700 }),
  ],
  prices: [
    aPrice({ product: 'Office Chair', unitPrice: 157.5, lastPrice: 150, changePct: 5, lastReference: 'P00003' }),
    aPrice({ product: 'Standing Desk', unitPrice: 480, lastPrice: 400, changePct: 20, lastReference: 'P00002' }),
    aPrice({ product: 'Desk Lamp', unitPrice: 36, lastPrice: 40, changePct: -10, lastReference: 'P00001' }),
  ],
});
const sent = promptFacts(order, riskFlags(order));
const check = (draft: string) => factCheck(draft, sent).reasons;

const bill = aBillFacts(
  [
    aBillLine({
      product: 'Desk',
      ordered: 2,
      received: 2,
      billed: 2,
      orderPrice: 400,
      billPrice: 460,
      priceChangePct: 15,
    }),
    aBillLine({ received: 6 }),
  ],
  { amount: 1920 },
);
bill.bill = { ...bill.bill!, orderReference: 'P00120', orderAmount: 1800, variance: 120, variancePct: 6.7 };
const billSent = promptFacts(bill, riskFlags(bill));
const checkBill = (draft: string) => factCheck(draft, billSent).reasons;

const MODELS: Record<FactKind, string> = {
  purchase: 'purchase.order',
  bill: 'account.move',
  expense: 'hr.expense.sheet',
  sale: 'sale.order',
  other: 'approval.request',
};

describe('factCheck: figures attached to the wrong subject', () => {
  it('rejects swapped product changes, naming what each product really did', () => {
    expect(
      check('Order P00042 from Azure Interior totals 4,095.00 EUR. Office Chair is up 20%, Standing Desk up 5%.'),
    ).toEqual([
      'percentage "20%" is attached to Office Chair, whose change is 5.0%',
      'percentage "5%" is attached to Standing Desk, whose change is 20.0%',
    ]);
  });

  it("rejects this order's amount given as the usual one", () => {
    expect(check('Azure Interior: the usual order is 4,095 EUR.')).toEqual([
      'number "4,095" is attached to the usual amount, which is the median 750.00 of the last 3',
    ]);
  });

  it("rejects one earlier order's amount given to another", () => {
    expect(check('Azure Interior: P00003 for 750 EUR.')).toEqual([
      'number "750" is attached to P00003, whose amount is 800.00 (2026-09-01)',
    ]);
    expect(check('Azure Interior: P00003 was 800 EUR on 2026-08-01.')).toEqual([
      'date "2026-08-01" is attached to P00003, whose amount is 800.00 (2026-09-01)',
    ]);
  });

  it('rejects a product price given to an earlier order, and one product price given to another', () => {
    expect(check('Azure Interior: P00003 had it at 480.')).toEqual([
      'number "480" is attached to P00003, whose amount is 800.00 (2026-09-01)',
    ]);
    expect(check('Azure Interior: Office Chair: 480.00 per unit.')).toEqual([
      'number "480.00" is attached to Office Chair, whose unit price is 157.50 and last price 150.00',
    ]);
  });

  it('rejects a figure attached through a comma or a leading phrase ("For Office Chair, 20%")', () => {
    expect(check('For Office Chair, Azure Interior now charges 20% more.')).toEqual([
      'percentage "20%" is attached to Office Chair, whose change is 5.0%',
    ]);
  });

  it('rejects a direction that contradicts the sign of the change, with or without a named product', () => {
    expect(check('Azure Interior: Desk Lamp is up 10%.')).toEqual([
      `"up 10%" says up, but Desk Lamp's change is -10.0%`,
    ]);
    expect(check('Azure Interior: Standing Desk fell by 20%.')).toEqual([
      `"fell by 20%" says down, but Standing Desk's change is +20.0%`,
    ]);
    expect(check('Azure Interior: prices are up 10%.')).toEqual([`"up 10%" says up, but Desk Lamp's change is -10.0%`]);
    expect(check('Azure Interior: Desk Lamp is at +10%.')).toEqual([
      `"+10%" says up, but Desk Lamp's change is -10.0%`,
    ]);
  });

  it("rejects a bill's figures given to the wrong line, the wrong document or the wrong direction", () => {
    expect(checkBill('Azure Interior bills Office Chair 15% above the order.')).toEqual([
      'percentage "15%" is attached to Office Chair, whose billed price differs from the order by 0.0%',
    ]);
    expect(checkBill('Azure Interior: P00120 totals 1,920 EUR.')).toEqual([
      'number "1,920" is attached to P00120, whose amount is 1,800.00 (variance 120.00)',
    ]);
    expect(checkBill('Azure Interior: the bill is 6.7% below P00120.')).toEqual([
      `"6.7% below" says down, but the variance from P00120 is +6.7%`,
    ]);
  });

  it('reports a figure that is among no facts once, as before, not also as misattributed', () => {
    expect(check('Azure Interior: Office Chair is up 35%.')).toEqual(['percentage "35%" matches no fact sent']);
  });
});

describe('factCheck: faithful drafts in other words still pass', () => {
  it.each([
    ["Azure Interior's order P00042 totals 4,095.00 EUR, more than five times the usual 750 EUR."],
    [
      'Office Chair is up 5.0% to 157.50 from 150.00 on P00003, Standing Desk up 20% to 480 from 400 on P00002, and Desk Lamp is down 10% to 36 (Azure Interior).',
    ],
    ['For Office Chair, Azure Interior raised the price 5%; for Standing Desk, 20%.'],
    ['Office Chair and Standing Desk from Azure Interior are up 5% and 20% respectively.'],
    ['Office Chair and Standing Desk from Azure Interior are up 5% and 20%.'],
    ['Azure Interior charges 480.00 per Standing Desk, 20% more than the 400.00 paid on P00002.'],
    ['Azure Interior: Desk Lamp got cheaper, down 10%, while Office Chair is up 5%.'],
    ['Azure Interior: Desk Lamp is down 10%, within the 10% limit.'],
    ['Azure Interior: Standing Desk: 480.00 per unit, up 20.0% from 400.00 on P00002 (limit 10%).'],
    ['Azure Interior: P00002 had Standing Desk at 400.'],
    ['Azure Interior: the last orders were P00003 (800 EUR, 2026-09-01), P00002 (750 EUR) and P00001 (700 EUR).'],
    ['Azure Interior: this order is 4,095 EUR, well above the 750 EUR median of the last 3 orders.'],
    ['At 4,095 EUR this Azure Interior order is 5.5 times the usual.'],
    ['Azure Interior usually charges around 750 EUR; this order is 4,095 EUR.'],
    ["Azure Interior's typical order is 700 to 800 EUR."],
    ['Office Chair costs 157.50 each from Azure Interior, the desk 480.'],
    ['Azure Interior raised the Standing Desk price by 20% since P00002, dated 2026-08-01.'],
    ['Azure Interior sent order P00042 on Nov 20, 2026, for 4,095.00 EUR.'],
    ['Azure Interior: Office Chair costs 157,50 per unit, 5% above P00003.'],
  ])('accepts: %s', (draft) => {
    expect(check(draft)).toEqual([]);
  });

  it.each([
    ["Azure Interior's bill BILL/2026/00007 for 1,920 EUR is 6.7% above P00120 (1,800 EUR)."],
    [
      'At 1,920 EUR this Azure Interior bill is 120 EUR over P00120; Desk is billed at 460.00, 15% above the 400.00 ordered.',
    ],
    ['Azure Interior bills 10 Office Chairs but only 6 were received of the 10 ordered on P00120.'],
    ['Azure Interior: it matches P00120 with a variance of 120.00 EUR, 6.7% up.'],
  ])('accepts on a bill: %s', (draft) => {
    expect(checkBill(draft)).toEqual([]);
  });

  it.each((['purchase', 'bill', 'expense', 'sale', 'other'] as const).map((kind) => [kind]))(
    "passes the fake server's honest draft and the deterministic summary of a %s",
    (kind) => {
      const facts: CaseFacts =
        kind === 'bill'
          ? bill
          : kind === 'sale'
            ? aCaseFacts({
                kind,
                reference: 'S00213',
                history: [],
                prices: [],
                sale: { maxDiscountPct: 35, marginPct: 8.5 },
              })
            : kind === 'purchase'
              ? order
              : aCaseFacts({ kind, reference: kind === 'other' ? 'REQ/0042' : 'Trip to Paris', prices: [] });
      const flags = riskFlags(facts);
      for (const allow of [
        undefined,
        FACT_NAMES.filter((n) => n !== 'vendor'),
        ['reference', 'amount', 'flags'] as const,
      ]) {
        const s = promptFacts(facts, flags, allow);
        expect(factCheck(fakeDraft('correct', s), s).reasons).toEqual([]);
      }
      const s = promptFacts(facts, flags);
      expect(factCheck(summariseFacts(MODELS[kind], facts, flags), s).reasons).toEqual([]);
    },
  );

  it("passes the fake server's honest draft of any document, whatever facts the flow allows (property)", () => {
    fc.assert(
      fc.property(anyCaseFacts, fc.option(fc.subarray([...FACT_NAMES]), { nil: undefined }), (facts, allow) => {
        const s = promptFacts(facts, riskFlags(facts), allow);
        expect(factCheck(fakeDraft('correct', s), s).reasons).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('passes the deterministic summary of any document when every fact is sent (property)', () => {
    fc.assert(
      fc.property(anyCaseFacts, (facts) => {
        const flags = riskFlags(facts);
        const s = promptFacts(facts, flags);
        expect(factCheck(summariseFacts(MODELS[facts.kind], facts, flags), s).reasons).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

/** A product's figures as a draft might write them: rounded, in either decimal convention. */
const written = (n: number, style: number) =>
  style === 0
    ? n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    : style === 1
      ? n.toLocaleString('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      : String(Math.round(n));

const anyPrice = fc
  .record({
    product: fc.constantFrom('Office Chair', 'Standing Desk', 'Desk', 'Desk Lamp', 'Oak Plank', 'Monitor Arm'),
    unitPrice: fc.integer({ min: 100, max: 500_000 }).map((c) => c / 100),
    lastPrice: fc.integer({ min: 100, max: 500_000 }).map((c) => c / 100),
    lastReference: fc.constantFrom('P00003', 'P00002', 'P00001'),
  })
  .map(
    (p): PriceFact => ({
      ...p,
      changePct: Math.round(((p.unitPrice - p.lastPrice) / p.lastPrice) * 1000) / 10,
    }),
  );

describe('factCheck: one product, its own figures, one clause (property)', () => {
  it('always accepts it, however the clause is worded', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(anyPrice, { minLength: 1, maxLength: 4, selector: (p) => p.product }),
        fc.nat(),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 2 }),
        (prices, pick, template, style) => {
          const facts = aCaseFacts({ history: order.history, prices });
          const s = promptFacts(facts, riskFlags(facts));
          const p = prices[pick % prices.length]!;
          const change = p.changePct!;
          const dir = change >= 0 ? 'up' : 'down';
          const pct = `${Math.abs(change).toFixed(1)}%`;
          const unit = written(p.unitPrice, style);
          const last = written(p.lastPrice!, style);
          const clause = [
            `${p.product} costs ${unit} per unit ${dir} ${pct} from ${last}`,
            `${p.product} is ${dir} ${pct} at ${unit}`,
            `${p.product} went from ${last} to ${unit}`,
            `${p.product} is now ${unit} against ${last} on ${p.lastReference}`,
            `For ${p.product} the unit price is ${unit} and was ${last}`,
            `${p.product} at ${unit} is ${pct} ${change >= 0 ? 'above' : 'below'} its last price of ${last}`,
          ][template]!;
          const draft = `Order P00042 from Azure Interior totals 1,250.50 EUR. ${clause}.`;
          expect(factCheck(draft, s).reasons, draft).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("always rejects one product's change given to another that changed differently", () => {
    fc.assert(
      fc.property(fc.integer({ min: 11, max: 900 }), fc.integer({ min: 11, max: 900 }), (a, b) => {
        fc.pre(Math.abs(a - b) >= 2);
        const facts = aCaseFacts({
          prices: [
            aPrice({ product: 'Office Chair', unitPrice: 100 + a, lastPrice: 100, changePct: a }),
            aPrice({ product: 'Standing Desk', unitPrice: 100 + b, lastPrice: 100, changePct: b }),
          ],
        });
        const s = promptFacts(facts, riskFlags(facts));
        expect(factCheck(`Azure Interior: Office Chair is up ${b}%.`, s).reasons).toEqual([
          `percentage "${b}%" is attached to Office Chair, whose change is ${a.toFixed(1)}%`,
        ]);
      }),
      { numRuns: 200 },
    );
  });
});
