/**
 * `QueryStore.casesByReference` pages a reference's history, newest first,
 * the same on PostgreSQL, PGlite and the in-memory fake `/odoo status` unit
 * tests use, so a document re-submitted many times is read whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/flows/ports.js';
import type { QueryStore } from '../../src/flows/queries/ports.js';
import type { Case, CaseSnapshot } from '../../src/flows/types.js';
import { PgQueryStore } from '../../src/store/pg-query-store.js';
import { PgStore } from '../../src/store/pg-store.js';
import { FixedClock } from '../fakes/fixed-clock.js';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log.js';
import { InMemoryQueryStore } from '../fakes/in-memory-query-store.js';
import { InMemoryStore } from '../fakes/in-memory-store.js';
import { type TestDatabaseHandle, testDatabases } from '../support/databases.js';

interface Backend {
  name: string;
  connect(): Promise<{ store: Store; queries: QueryStore; close(): Promise<void> }>;
}

const backends: Backend[] = [
  ...testDatabases.map((database) => ({
    name: database.name,
    async connect() {
      const handle: TestDatabaseHandle = await database.connect();
      const store = await PgStore.connect(handle.connectionString, { schema: handle.schema, poolSize: 2 });
      return {
        store,
        queries: new PgQueryStore(store.db, { schema: handle.schema }),
        async close() {
          await store.close();
          await handle.close();
        },
      };
    },
  })),
  {
    name: 'in-memory',
    async connect() {
      const clock = new FixedClock();
      const audit = new InMemoryAuditLog(clock);
      const store = new InMemoryStore({ audit, clock });
      // Each case a minute after the previous one, as the database's now() would order them.
      const open = store.openCase.bind(store);
      store.openCase = async (input) => {
        clock.advance(60_000);
        return open(input);
      };
      return { store, queries: new InMemoryQueryStore(store, audit), close: async () => undefined };
    },
  },
];

const snapshot = (reference: string): CaseSnapshot => ({
  reference,
  partner: 'Azure Interior',
  amount: 100,
  currency: 'EUR',
  owner: 'Marc Demo',
  date: '2026-11-20',
  state: 'to approve',
  writeDate: '2026-11-20T09:00:00Z',
  lines: [],
  lineCount: 0,
  url: null,
});

describe.each(backends)('casesByReference pages on $name', (backend) => {
  let w: Awaited<ReturnType<Backend['connect']>>;
  const opened: Case[] = [];

  beforeAll(async () => {
    w = await backend.connect();
    // One order submitted 7 times (each case closed before the next opens), and another reference.
    for (let i = 0; i < 7; i++) {
      const { case: c } = await w.store.openCase({
        flowId: 'purchase-approval',
        odooModel: 'purchase.order',
        odooId: 4242,
        snapshot: snapshot('P04242'),
        requesterIds: [7],
        approvers: [],
      });
      await w.store.setCaseStatus(c.id, 'rejected');
      opened.push(c);
    }
    await w.store.openCase({
      flowId: 'purchase-approval',
      odooModel: 'purchase.order',
      odooId: 4243,
      snapshot: snapshot('P04243'),
      requesterIds: [7],
      approvers: [],
    });
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  it('reads every case of a reference, newest first, a page at a time and without repeats', async () => {
    const pages: string[][] = [];
    for (let offset = 0; offset < 10; offset += 3)
      pages.push((await w.queries.casesByReference('p04242', 3, offset)).map((c) => c.id));

    expect(pages.map((p) => p.length)).toEqual([3, 3, 1, 0]);
    expect(pages.flat()).toEqual(opened.map((c) => c.id).reverse());
  });

  it('keeps the first page as before when no offset is given', async () => {
    expect((await w.queries.casesByReference('P04242', 2)).map((c) => c.id)).toEqual(
      opened
        .slice(-2)
        .map((c) => c.id)
        .reverse(),
    );
  });
});
