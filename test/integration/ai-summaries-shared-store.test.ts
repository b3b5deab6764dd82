import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CheckedSummarizer } from '../../src/ai/checked-summarizer.js';
import { OpenAiSummarizer } from '../../src/ai/openai-summarizer.js';
import { loadSummaryPrompt } from '../../src/ai/summary-prompt.js';
import { ingestRecord } from '../../src/flows/ingest-record.js';
import { postCards } from '../../src/flows/post-cards.js';
import { refreshCards } from '../../src/flows/refresh-cards.js';
import { summarizeCase } from '../../src/flows/summarize-case.js';
import { AI_QUEUE } from '../../src/flows/summary-job.js';
import { FakeOpenAiServer } from '../../src/sandbox/ai/fake-openai-server.js';
import { PgInsightBoard } from '../../src/store/pg-insight-board.js';
import { PgStore } from '../../src/store/pg-store.js';
import { buildDeps } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';
import { FakeChatPlatform } from '../fakes/fake-chat-platform.js';
import { type TestDatabaseHandle, testDatabases } from '../support/databases.js';
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

describe.each(testDatabases)('insights shared through the store on $name', (database) => {
  let handle: TestDatabaseHandle;
  const opened: PgStore[] = [];
  /** The one Slack every process talks to (message ids are unique across processes, as in Slack). */
  const slack = new FakeChatPlatform('slack');
  slack.channels = () => 'C-APPROVALS';
  for (const p of Object.values(PEOPLE)) if (p.chat) slack.addUser(p.chat, p.odoo.email);

  beforeAll(async () => {
    handle = await database.connect();
  });
  afterAll(async () => {
    for (const store of opened) await store.close();
    await handle?.close();
  });

  /**
   * One process: its own Odoo fake, pool, AI cache and memory, sharing with
   * the others only the database (cases, posted messages, insights) and Slack.
   */
  async function aProcess() {
    const w = buildDeps();
    const store = await PgStore.connect(handle.connectionString, { schema: handle.schema, poolSize: 4 });
    opened.push(store);
    const source = new StaticContextSource();
    const summarizer = new CheckedSummarizer({
      provider: new OpenAiSummarizer({ baseUrl: ai.baseUrl, model: 'gpt-test' }),
      prompt: loadSummaryPrompt(),
      timeoutMs: 5_000,
    });
    w.deps.store = store;
    w.deps.chat = slack;
    w.deps.context = {
      context: source,
      insights: new PgInsightBoard(store.db, { schema: handle.schema }),
      summarizer,
    };
    return { ...w, chat: slack, store, source, summarizer };
  }

  /** The worker opens and posts a case for a new order (an id no other test used), as the ingest and notify jobs do. */
  let nextOrderId = 100;
  async function postedBy(worker: Awaited<ReturnType<typeof aProcess>>) {
    const odooId = worker.addOrder({
      id: nextOrderId++,
      name: 'P00042',
      partner_id: { id: 14, name: 'Azure Interior' },
    });
    await ingestRecord(worker.deps, { model: worker.flow.model, id: odooId, writeDate: null, source: 'poll' }, 1);
    const c = await worker.store.findActiveCase(worker.flow.id, worker.flow.model, odooId);
    if (!c) throw new Error('no case opened');
    await postCards(worker.deps, c.id);
    return c;
  }

  it("a web process redraws the worker's flags, then its accepted AI draft, without reading Odoo", async () => {
    const worker = await aProcess();
    const web = await aProcess();
    const c = await postedBy(worker);
    expect(worker.source.calls).toBe(1);

    const drawn = slack.updates.length;
    await refreshCards(web.deps, c.id);
    expect(slack.updates.length).toBeGreaterThan(drawn);
    const before = slack.latestCard(c.id)!;
    expect(before.facts.some((f) => f.label === '⚠ Price increase')).toBe(true);
    expect(before.summary).not.toMatch(/^AI-drafted/);

    await summarizeCase(worker.deps, { caseId: c.id });
    expect(ai.requests).toHaveLength(1);

    const redrawnByWorker = slack.updates.length;
    await refreshCards(web.deps, c.id);
    expect(slack.updates.length).toBeGreaterThan(redrawnByWorker);
    const after = slack.latestCard(c.id)!;
    expect(after.summary).toMatch(/^AI-drafted: Order P00042 from Azure Interior totals 1,250.50 EUR\./);
    expect(after.facts.some((f) => f.label === '⚠ Price increase')).toBe(true);
    expect(web.source.calls).toBe(0);
    expect(web.summarizer.metrics.requested).toBe(0);
  });

  it('after a restart the accepted draft is kept: no new AI request, no new summary job', async () => {
    const before = await aProcess();
    const c = await postedBy(before);
    await summarizeCase(before.deps, { caseId: c.id });
    expect(ai.requests).toHaveLength(1);
    await before.store.close();

    const restarted = await aProcess();
    const drawn = slack.updates.length;
    await refreshCards(restarted.deps, c.id);
    expect(slack.updates.length).toBeGreaterThan(drawn);
    expect(slack.latestCard(c.id)!.summary).toMatch(/^AI-drafted: Order P00042/);
    expect(restarted.queue.list({ queue: AI_QUEUE })).toEqual([]);
    // A summary job left over from before the restart finds the draft and asks nobody.
    await summarizeCase(restarted.deps, { caseId: c.id });
    expect(ai.requests).toHaveLength(1);
    expect(restarted.summarizer.metrics.requested).toBe(0);
    expect(restarted.source.calls).toBe(0);
  });
});
