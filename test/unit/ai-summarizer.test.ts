import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CheckedSummarizer } from '../../src/ai/checked-summarizer.js';
import { CircuitBreaker } from '../../src/ai/circuit-breaker.js';
import { OpenAiSummarizer } from '../../src/ai/openai-summarizer.js';
import { loadSummaryPrompt, PROMPT_VERSION } from '../../src/ai/summary-prompt.js';
import { riskFlags } from '../../src/flows/risk-flags.js';
import { FakeOpenAiServer } from '../../src/sandbox/ai/fake-openai-server.js';
import { aCaseFacts, aPrice } from '../support/ai-facts.js';

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await FakeOpenAiServer.start();
});
afterAll(() => server.stop());
beforeEach(() => {
  server.mode = 'correct';
  server.requests.length = 0;
});

const facts = aCaseFacts({ prices: [aPrice({ unitPrice: 180, lastPrice: 150, changePct: 20 })] });
const flags = riskFlags(facts);
let n = 0;
const key = () => `purchase.order:42:2026-11-20 09:00:0${n++}`;

function summarizer(options: { timeoutMs?: number; breaker?: CircuitBreaker } = {}) {
  return new CheckedSummarizer({
    provider: new OpenAiSummarizer({ baseUrl: server.baseUrl, apiKey: 'sk-test', model: 'gpt-test' }),
    prompt: loadSummaryPrompt(),
    ...options,
  });
}

describe('CheckedSummarizer over an OpenAI-compatible server', () => {
  it('shows a correct draft, sent with the versioned prompt, model and key', async () => {
    const s = summarizer();
    const out = await s.summarize(key(), facts, flags);
    expect(out).toMatchObject({ status: 'shown', promptVersion: PROMPT_VERSION, cached: false });
    expect(out.status === 'shown' && out.text).toContain('Azure Interior');
    const req = server.requests[0]!;
    expect(req.body.model).toBe('gpt-test');
    expect(req.headers.authorization).toBe('Bearer sk-test');
    expect(req.body.messages[0]!.content).toContain('Use only the facts in the JSON');
    expect(s.metrics).toMatchObject({ requested: 1, shown: 1, rejected: 0 });
    expect(s.metrics.latency().count).toBe(1);
  });

  it.each(['wrong-number', 'wrong-vendor', 'invented-reference'] as const)('rejects a %s draft', async (mode) => {
    server.mode = mode;
    const s = summarizer();
    const out = await s.summarize(key(), facts, flags);
    expect(out.status).toBe('rejected');
    expect(out.status === 'rejected' && out.reasons.length).toBeGreaterThan(0);
    expect(s.metrics).toMatchObject({ shown: 0, rejected: 1 });
  });

  it.each(['error', 'rate-limited'] as const)('reports a %s answer as failed', async (mode) => {
    server.mode = mode;
    const s = summarizer();
    expect(await s.summarize(key(), facts, flags)).toMatchObject({ status: 'unavailable', reason: 'failed' });
    expect(s.metrics.failed).toBe(1);
    expect(server.requests).toHaveLength(1); // no SDK retries behind our back
  });

  it('gives up at the timeout', async () => {
    server.mode = 'slow';
    server.delayMs = 2_000;
    const s = summarizer({ timeoutMs: 150 });
    const started = Date.now();
    expect(await s.summarize(key(), facts, flags)).toMatchObject({ status: 'unavailable', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(s.metrics.timedOut).toBe(1);
  });

  it('opens the circuit after repeated failures, then tries once after the cool-down', async () => {
    server.mode = 'error';
    let now = 0;
    const s = summarizer({ breaker: new CircuitBreaker({ failureThreshold: 3, coolDownMs: 60_000, now: () => now }) });
    for (let i = 0; i < 3; i++) await s.summarize(key(), facts, flags);
    expect(s.breaker.state).toBe('open');
    expect(await s.summarize(key(), facts, flags)).toEqual({ status: 'unavailable', reason: 'circuit_open' });
    expect(server.requests).toHaveLength(3);
    server.mode = 'correct';
    now = 60_001;
    expect((await s.summarize(key(), facts, flags)).status).toBe('shown');
    expect(s.breaker.state).toBe('closed');
    expect(s.metrics.circuitOpen).toBe(1);
  });

  it('reuses the draft for the same record version and asks again for a new one', async () => {
    const s = summarizer();
    const k = key();
    const first = await s.summarize(k, facts, flags);
    const again = await s.summarize(k, facts, flags);
    expect(again).toEqual({ ...first, cached: true });
    expect(server.requests).toHaveLength(1);
    await s.summarize(key(), facts, flags);
    expect(server.requests).toHaveLength(2);
    expect(s.metrics.cacheHits).toBe(1);
  });

  it('sends only the allowed facts, and caches per allowlist', async () => {
    const s = summarizer();
    const k = key();
    await s.summarize(k, facts, flags, ['reference', 'vendor', 'amount']);
    expect(server.lastFacts()).toEqual({
      kind: 'purchase',
      reference: 'P00042',
      vendor: 'Azure Interior',
      amount: 1250.5,
    });
    await s.summarize(k, facts, flags, ['reference', 'vendor', 'amount']);
    expect(server.requests).toHaveLength(1);
    await s.summarize(k, facts, flags);
    expect(server.requests).toHaveLength(2);
    expect(server.lastFacts()).toHaveProperty('lastPrices');
  });

  it('masks emails, phone numbers, IBANs and card numbers in what the server receives', async () => {
    const pii = aCaseFacts({
      partner: 'Anna Berg <anna.berg@vendor.example>',
      partnerRef: 'IBAN DE89 3704 0044 0532 0130 00, call +49 30 1234 5678, card 4111 1111 1111 1111',
    });
    await summarizer().summarize(key(), pii, []);
    const body = JSON.stringify(server.requests[0]!.body);
    for (const secret of ['anna.berg@vendor.example', 'DE89', '1234 5678', '4111']) expect(body).not.toContain(secret);
    expect(server.lastFacts()).toMatchObject({
      vendor: 'Anna Berg <[email]>',
      vendorReference: 'IBAN [iban], call [phone], card [card]',
    });
  });

  it('exposes its counters in Prometheus text format', async () => {
    const s = summarizer();
    await s.summarize(key(), facts, flags);
    expect(s.metrics.prometheus()).toContain('chatops_ai_drafts_shown_total 1\n');
  });
});
