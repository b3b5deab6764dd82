import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CheckedSummarizer } from '../../src/ai/checked-summarizer.js';
import { OpenAiSummarizer } from '../../src/ai/openai-summarizer.js';
import { loadSummaryPrompt } from '../../src/ai/summary-prompt.js';
import { summarise } from '../../src/flows/build-card.js';
import type { ContextDeps } from '../../src/flows/context-ports.js';
import type { ApprovalFlow } from '../../src/flows/policy.js';
import { postCards } from '../../src/flows/post-cards.js';
import { summarizeCase } from '../../src/flows/summarize-case.js';
import { AI_QUEUE, SUMMARIZE_JOB } from '../../src/flows/summary-job.js';
import { type FakeAiMode, FakeOpenAiServer } from '../../src/sandbox/ai/fake-openai-server.js';
import { buildDeps } from '../fakes/build-deps.js';
import { InMemoryInsightBoard } from '../fakes/in-memory-insight-board.js';
import { StaticContextSource } from '../support/static-context-source.js';

let ai: FakeOpenAiServer;
beforeAll(async () => {
  ai = await FakeOpenAiServer.start();
});
afterAll(() => ai.stop());
beforeEach(() => {
  ai.mode = 'correct';
  ai.requests.length = 0;
});

function world(options: { ai?: boolean; timeoutMs?: number; flow?: Partial<ApprovalFlow> } = {}) {
  const w = buildDeps(options.flow ? { flow: options.flow } : {});
  const source = new StaticContextSource();
  const summarizer = new CheckedSummarizer({
    provider: new OpenAiSummarizer({ baseUrl: ai.baseUrl, model: 'gpt-test' }),
    prompt: loadSummaryPrompt(),
    timeoutMs: options.timeoutMs ?? 5_000,
  });
  const context: ContextDeps = {
    context: source,
    insights: new InMemoryInsightBoard(),
    ...(options.ai === false ? {} : { summarizer }),
  };
  w.deps.context = context;
  return { ...w, source, summarizer };
}

async function posted(w: ReturnType<typeof world>) {
  const c = await w.openCaseFor(w.addOrder({ name: 'P00042', partner_id: { id: 14, name: 'Azure Interior' } }));
  await postCards(w.deps, c.id);
  return c;
}

const aiDrafted = (w: ReturnType<typeof world>) =>
  w.chat.updates.filter((u) => u.card.summary.startsWith('AI-drafted'));

describe('cards with context facts and AI-drafted summaries', () => {
  it('without a provider: flags with their reason and the fact-based summary, and no AI job', async () => {
    const w = world({ ai: false });
    const c = await posted(w);
    const card = w.chat.latestCard(c.id)!;
    expect(card.facts).toContainEqual({
      label: '⚠ Price increase',
      value: 'Office Chair: 180.00 per unit, up 20.0% from 150.00 on P00040 (limit 10%)',
    });
    expect(card.summary).toMatch(/^Purchase order P00042 from Azure Interior: 1,250.50 EUR .*flagged: Office Chair/);
    expect(w.queue.list({ queue: AI_QUEUE })).toEqual([]);
  });

  it('when Odoo cannot give the facts, the card still goes out with the plain summary', async () => {
    const w = world();
    w.source.fail = true;
    const c = await posted(w);
    expect(w.chat.posts.length).toBeGreaterThan(0);
    expect(w.chat.latestCard(c.id)!.summary).toBe(summarise(w.flow, c.snapshot));
    expect(w.chat.latestCard(c.id)!.facts.some((f) => f.label.startsWith('⚠'))).toBe(false);
    expect(w.log.records.some((r) => r.msg?.includes('could not read the context facts'))).toBe(true);
  });

  it('posts first, then queues the AI job, and shows a checked draft labelled AI-drafted', async () => {
    const w = world();
    const c = await posted(w);
    expect(ai.requests).toHaveLength(0);
    expect(w.chat.posts.every((p) => !p.card.summary.startsWith('AI-drafted'))).toBe(true);
    const [job] = w.queue.list({ queue: AI_QUEUE, name: SUMMARIZE_JOB });
    expect(job?.data).toEqual({ caseId: c.id });

    await summarizeCase(w.deps, { caseId: c.id });

    const updates = aiDrafted(w);
    expect(updates).toHaveLength(w.chat.posts.length);
    expect(updates[0]!.card.summary).toMatch(/^AI-drafted: Order P00042 from Azure Interior totals 1,250.50 EUR\./);
    expect(updates[0]!.card.facts.some((f) => f.label === '⚠ Price increase')).toBe(true);
    expect(w.source.calls).toBe(1); // the AI job reused the facts gathered for the card
  });

  it.each(['wrong-number', 'wrong-vendor', 'invented-reference', 'error', 'rate-limited'] as FakeAiMode[])(
    'a draft from the %s mode never reaches a card',
    async (mode) => {
      ai.mode = mode;
      const w = world();
      const c = await posted(w);
      await summarizeCase(w.deps, { caseId: c.id });
      expect(aiDrafted(w)).toEqual([]);
      expect(w.chat.updates).toEqual([]);
      if (mode.startsWith('wrong') || mode === 'invented-reference') {
        expect(w.summarizer.metrics.rejected).toBe(1);
        expect(w.log.records.some((r) => r.msg?.includes('did not match the facts sent'))).toBe(true);
      } else expect(w.summarizer.metrics.failed).toBe(1);
    },
  );

  it('a slow provider never delays the card, and its draft arrives later', async () => {
    ai.mode = 'slow';
    ai.delayMs = 400;
    const w = world();
    const c = await posted(w);
    const summarizing = summarizeCase(w.deps, { caseId: c.id });
    await new Promise((r) => setTimeout(r, 100));
    expect(w.chat.posts.length).toBeGreaterThan(0);
    expect(ai.requests).toHaveLength(1); // asked, not yet answered
    expect(w.chat.updates).toEqual([]);
    await summarizing;
    expect(aiDrafted(w).length).toBeGreaterThan(0);
  });

  it('a provider slower than the timeout leaves the deterministic summary', async () => {
    ai.mode = 'slow';
    ai.delayMs = 2_000;
    const w = world({ timeoutMs: 150 });
    const c = await posted(w);
    await summarizeCase(w.deps, { caseId: c.id });
    expect(w.chat.updates).toEqual([]);
    expect(w.summarizer.metrics.timedOut).toBe(1);
  });

  it('the same record version is drafted once', async () => {
    const w = world();
    const c = await posted(w);
    await summarizeCase(w.deps, { caseId: c.id });
    await summarizeCase(w.deps, { caseId: c.id });
    expect(ai.requests).toHaveLength(1);
    // The second job finds the accepted draft on the board and asks nobody, not even the cache.
    expect(w.summarizer.metrics.requested).toBe(1);
    expect(aiDrafted(w)).toHaveLength(w.chat.posts.length);
  });

  it('a flow with ai: { enabled: false } never asks the provider; its card keeps flags and the fact-based summary', async () => {
    const w = world({ flow: { ai: { enabled: false } } });
    const c = await posted(w);
    await summarizeCase(w.deps, { caseId: c.id });
    expect(ai.requests).toEqual([]);
    expect(w.summarizer.metrics.requested).toBe(0);
    expect(aiDrafted(w)).toEqual([]);
    expect(w.chat.latestCard(c.id)!.facts.some((f) => f.label === '⚠ Price increase')).toBe(true);
  });

  it('sends only the facts the flow allows, and the draft from them is shown', async () => {
    const w = world({ flow: { ai: { enabled: true, facts: ['reference', 'vendor', 'amount', 'currency'] } } });
    const c = await posted(w);
    await summarizeCase(w.deps, { caseId: c.id });
    expect(ai.lastFacts()).toEqual({
      kind: 'purchase',
      reference: 'P00042',
      vendor: 'Azure Interior',
      amount: 1250.5,
      currency: 'EUR',
    });
    expect(aiDrafted(w)[0]!.card.summary).toMatch(
      /^AI-drafted: Order P00042 from Azure Interior totals 1,250.50 EUR\./,
    );
  });

  it("a flow's risk: limits decide the flags over the global RISK_PRICE_INCREASE_PCT", async () => {
    const strict = world({ flow: { risk: { priceIncreasePct: 25 } }, ai: false });
    strict.deps.context!.priceIncreasePct = 5;
    const c = await posted(strict);
    expect(strict.chat.latestCard(c.id)!.facts.some((f) => f.label.startsWith('⚠'))).toBe(false);
    const global = world({ ai: false });
    global.deps.context!.priceIncreasePct = 5;
    const d = await posted(global);
    expect(global.chat.latestCard(d.id)!.facts).toContainEqual({
      label: '⚠ Price increase',
      value: 'Office Chair: 180.00 per unit, up 20.0% from 150.00 on P00040 (limit 5%)',
    });
  });
});
