import type { CaseFacts, ContextSource } from '../../src/flows/context-ports.js';
import type { CaseSnapshot } from '../../src/flows/types.js';
import { aCaseFacts, aPrice } from './ai-facts.js';

/**
 * Facts as Odoo would give them for the snapshot (a known vendor, one price
 * up 20%), counting how often they were read; `fail` makes Odoo "down".
 */
export class StaticContextSource implements ContextSource {
  calls = 0;
  fail = false;
  async gather(_model: string, _id: number, s: CaseSnapshot, thresholds: number[]): Promise<CaseFacts> {
    this.calls += 1;
    if (this.fail) throw new Error('Odoo is down');
    return aCaseFacts({
      reference: s.reference,
      partner: s.partner,
      amount: s.amount,
      currency: s.currency,
      date: s.date?.slice(0, 10) ?? null,
      thresholds,
      prices: [aPrice({ unitPrice: 180, lastPrice: 150, changePct: 20 })],
    });
  }
}
