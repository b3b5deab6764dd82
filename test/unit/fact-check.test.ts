import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factCheck } from '../../src/ai/fact-check.js';
import { promptFacts } from '../../src/ai/prompt-facts.js';
import { riskFlags } from '../../src/flows/risk-flags.js';
import { draftFromFacts } from '../../src/sandbox/ai/fake-openai-server.js';
import { aCaseFacts, aPrice } from '../support/ai-facts.js';

const facts = aCaseFacts({ prices: [aPrice({ unitPrice: 180, lastPrice: 150, changePct: 20 })] });
const sent = promptFacts(facts, riskFlags(facts));
const check = (draft: string) => factCheck(draft, sent);

describe('factCheck', () => {
  it('passes a draft that repeats the facts sent', () => {
    expect(check(draftFromFacts(sent))).toEqual({ ok: true, reasons: [] });
  });

  it.each([['1,250.50 EUR'], ['1.250,50 EUR'], ['1 250.50 EUR'], ['EUR 1,251'], ['1.25k EUR'], ['about 1.3k EUR']])(
    'accepts the amount written as %s',
    (amount) => {
      expect(check(`Order P00042 from Azure Interior totals ${amount}.`).reasons).toEqual([]);
    },
  );

  it.each([['2026-11-20'], ['20/11/2026'], ['11/20/2026'], ['20.11.2026'], ['20 November 2026'], ['Nov 20, 2026']])(
    'accepts the date written as %s',
    (date) => {
      expect(check(`Order P00042 from Azure Interior, dated ${date}.`).reasons).toEqual([]);
    },
  );

  it('accepts percentages rounded to one decimal or to whole percent', () => {
    expect(check('Azure Interior raised Office Chair by 20.0%.').ok).toBe(true);
    expect(check('Azure Interior raised Office Chair by 20 percent.').ok).toBe(true);
  });

  it('rejects a wrong amount, percentage or date, naming each', () => {
    const r = check('Order P00042 from Azure Interior totals 1,712.19 EUR, up 35%, dated 2026-11-21.');
    expect(r.ok).toBe(false);
    expect(r.reasons).toEqual([
      'date "2026-11-21" is not among the facts sent',
      'number "1,712.19" matches no fact sent',
      'percentage "35%" matches no fact sent',
    ]);
  });

  it('rejects an invented document reference', () => {
    expect(check(`${draftFromFacts(sent)} It repeats order P99917.`).reasons).toEqual([
      'reference "P99917" is not among the facts sent',
    ]);
  });

  it('rejects a wrong vendor', () => {
    const r = check('Order P00042 from Deco Addict totals 1,250.50 EUR.');
    expect(r.reasons).toEqual([
      'the vendor "Azure Interior" is not named',
      'name "Deco Addict" is not among the facts sent',
    ]);
  });

  it('passes every correct draft and rejects every changed amount (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }).map((c) => c / 100),
        fc.integer({ min: 2, max: 90 }),
        (amount, bumpPct) => {
          const f = aCaseFacts({ amount, history: [], prices: [] });
          const s = promptFacts(f, []);
          expect(factCheck(draftFromFacts(s), s).ok).toBe(true);
          const wrong = Math.round(amount * (1 + bumpPct / 100) * 100) / 100 + 1;
          expect(factCheck(draftFromFacts({ ...s, amount: wrong }), s).ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});
