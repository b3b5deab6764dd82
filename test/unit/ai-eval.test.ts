import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { factCheck } from '../../src/ai/fact-check.js';
import { promptFacts } from '../../src/ai/prompt-facts.js';
import type { CaseFacts, RiskFlag } from '../../src/flows/context-ports.js';
import { riskFlags } from '../../src/flows/risk-flags.js';
import { summariseFacts } from '../../src/flows/summarise-facts.js';
import { fakeDraft } from '../../src/sandbox/ai/fake-openai-server.js';

interface EvalCase {
  name: string;
  facts: CaseFacts;
  expectedFlags: Array<RiskFlag['code']>;
  /** Drafts in other words: faithful ones pass; misattributed ones (right figures, wrong subject) fail with these reasons. */
  drafts?: { faithful: string[]; misattributed: Array<{ draft: string; reasons: string[] }> };
}

const dir = join(import.meta.dirname, '../fixtures/ai-eval');
const cases: EvalCase[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { cases: EvalCase[] }).cases);
const MODELS: Record<CaseFacts['kind'], string> = {
  purchase: 'purchase.order',
  bill: 'account.move',
  expense: 'hr.expense.sheet',
  sale: 'sale.order',
  other: 'approval.request',
};

describe('evaluation set (test/fixtures/ai-eval)', () => {
  it('has records of every kind', () => {
    expect(new Set(cases.map((c) => c.facts.kind))).toEqual(new Set(['purchase', 'bill', 'expense', 'sale']));
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: flags as expected, summaries hold up', (_name, c) => {
    const flags = riskFlags(c.facts);
    expect(flags.map((f) => f.code)).toEqual(c.expectedFlags);
    // The deterministic summary, and a faithful draft, pass the fact check; each kind of bad draft fails it.
    const sent = promptFacts(c.facts, flags);
    const deterministic = summariseFacts(MODELS[c.facts.kind], c.facts, flags);
    expect(factCheck(deterministic, sent).reasons).toEqual([]);
    expect(factCheck(fakeDraft('correct', sent), sent).reasons).toEqual([]);
    for (const mode of ['wrong-number', 'wrong-vendor', 'invented-reference'] as const)
      expect(factCheck(fakeDraft(mode, sent), sent).ok, mode).toBe(false);
    for (const draft of c.drafts?.faithful ?? []) expect(factCheck(draft, sent).reasons, draft).toEqual([]);
    for (const { draft, reasons } of c.drafts?.misattributed ?? [])
      expect(factCheck(draft, sent).reasons, draft).toEqual(reasons);
  });
});
