import { factCheck } from '../src/ai/fact-check.js';
import { promptFacts } from '../src/ai/prompt-facts.js';
import { riskFlags } from '../src/flows/risk-flags.js';
import { aCaseFacts, aPrice, aPast, aBillFacts, aBillLine } from './support/ai-facts.js';

const facts = aCaseFacts({
  amount: 4095,
  history: [aPast({ reference: 'P00003', amount: 800, date: '2026-09-01' }), aPast({ reference: 'P00002', amount: 750, date: '2026-08-01' }), aPast({ reference: 'P00001', amount: 700, date: '2026-07-01' })],
  prices: [
    aPrice({ product: 'Office Chair', unitPrice: 157.5, lastPrice: 150, changePct: 5, lastReference: 'P00003' }),
    aPrice({ product: 'Standing Desk', unitPrice: 480, lastPrice: 400, changePct: 20, lastReference: 'P00002' }),
    aPrice({ product: 'Desk Lamp', unitPrice: 36, lastPrice: 40, changePct: -10, lastReference: 'P00001' }),
  ],
});
const bill = aBillFacts([aBillLine({ product: 'Desk', orderPrice: 400, billPrice: 460, priceChangePct: 15, ordered: 2, received: 2, billed: 2 }), aBillLine({ received: 6 })], { amount: 1920, bill: { orderReference: 'P00120', orderAmount: 1800, variance: 120, variancePct: 6.7, lines: [] } });
bill.bill!.lines = [aBillLine({ product: 'Desk', orderPrice: 400, billPrice: 460, priceChangePct: 15, ordered: 2, received: 2, billed: 2 }), aBillLine({ received: 6 })];
const sets = { po: promptFacts(facts, riskFlags(facts)), bill: promptFacts(bill, riskFlags(bill)) };
const which = process.argv[2] as keyof typeof sets;
console.log(JSON.stringify(sets[which]));
for (const d of process.argv.slice(3)) console.log(JSON.stringify(d), '=>', factCheck(d, sets[which]).reasons);
