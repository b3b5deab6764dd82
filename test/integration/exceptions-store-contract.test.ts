import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExceptionStore, NewException } from '../../src/flows/exceptions/ports.js';
import { PgExceptionStore } from '../../src/store/pg-exception-store.js';
import { PgStore } from '../../src/store/pg-store.js';
import { InMemoryExceptionStore } from '../fakes/in-memory-exception-store.js';
import { postgresDatabase, type TestDatabaseHandle } from '../support/databases.js';

function anException(overrides: Partial<NewException> = {}): NewException {
  return {
    definitionId: 'bill-variances',
    source: 'odoo',
    key: null,
    type: 'bill-variance',
    severity: 'high',
    title: 'Vendor bill does not match its purchase order',
    odooModel: 'account.move',
    odooId: 7,
    reference: 'BILL/2026/00001',
    url: null,
    writeDate: '2026-11-25T10:00:00Z',
    facts: [{ label: 'Partner', value: 'Azure Interior' }],
    details: [],
    owners: [{ odooUserId: 2, name: 'Mitchell Admin', email: 'admin@example.com' }],
    escalated: [],
    assignee: null,
    activityId: null,
    sla: { dueAt: '2026-11-26T10:00:00.000Z', remainingMinutes: null, escalated: false, escalatedAt: null },
    snoozedUntil: null,
    resolution: null,
    ...overrides,
  };
}

const targets: Array<{ name: string; make: () => Promise<{ store: ExceptionStore; close(): Promise<void> }> }> = [
  { name: 'in memory', make: async () => ({ store: new InMemoryExceptionStore(), close: async () => {} }) },
  {
    name: 'PostgreSQL',
    make: async () => {
      const db: TestDatabaseHandle = await postgresDatabase.connect();
      const pg = await PgStore.connect(db.connectionString, { schema: db.schema });
      return {
        store: new PgExceptionStore(pg.pool, { schema: db.schema }),
        close: async () => {
          await pg.close();
          await db.close();
        },
      };
    },
  },
];

describe.each(targets)('ExceptionStore contract: $name', ({ make }) => {
  let store: ExceptionStore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await make());
  });
  afterAll(async () => close?.());

  it('keeps one active exception per definition and record, and a new one after it closes', async () => {
    const a = await store.open(anException());
    expect(a).toMatchObject({ created: true, item: { status: 'open', version: 1, closedAt: null } });
    expect(await store.open(anException())).toMatchObject({ created: false, item: { id: a.item.id } });
    const resolved = await store.save({ ...a.item, status: 'resolved' });
    expect(resolved).toMatchObject({ status: 'resolved', version: 2 });
    expect(resolved!.closedAt).toBeInstanceOf(Date);
    expect(await store.save({ ...a.item, status: 'assigned' })).toBeNull(); // stale version
    expect(await store.findActive('bill-variances', 'account.move', 7)).toBeNull();
    const b = await store.open(anException());
    expect(b.created).toBe(true);
    expect((await store.findLatest('bill-variances', 'account.move', 7))?.id).toBe(b.item.id);
    expect(await store.list({ status: ['open'], definitionId: 'bill-variances' })).toHaveLength(1);
  });

  it('pages through exceptions after an id: every one once, in order, while statuses change', async () => {
    const definitionId = `paged-${Date.now()}`;
    const opened = await Promise.all(
      Array.from({ length: 11 }, (_, i) => store.open(anException({ definitionId, odooId: 100 + i }))),
    );
    const all = await store.list({ definitionId });
    expect(new Set(all.map((i) => i.id))).toEqual(new Set(opened.map((o) => o.item.id)));
    const paged: string[] = [];
    let afterId: string | undefined;
    for (let page = 0; page < 10; page++) {
      const rows = await store.list({ definitionId, status: ['open'], limit: 3, ...(afterId ? { afterId } : {}) });
      paged.push(...rows.map((i) => i.id));
      if (rows.length < 3) break;
      const last = rows.at(-1)!;
      afterId = last.id;
      await store.save({ ...last, status: 'resolved' });
    }
    expect(paged).toEqual(all.map((i) => i.id));
    expect(await store.list({ definitionId, afterId: all.at(-1)!.id })).toEqual([]);
    expect(await store.list({ definitionId, afterId: '00000000-0000-4000-8000-000000000000' })).toEqual([]);
    expect(await store.list({ definitionId, afterId: 'not-a-uuid' })).toEqual([]);
  });

  it('keeps an external key unique for ever, and round-trips the item', async () => {
    const input = anException({
      source: 'external',
      key: 'evt-1',
      definitionId: 'usage',
      odooModel: null,
      odooId: null,
    });
    const a = await store.open(input);
    await store.save({ ...a.item, status: 'resolved' });
    const again = await store.open(input);
    expect(again).toMatchObject({ created: false, item: { id: a.item.id, status: 'resolved' } });
    expect((await store.findByKey('evt-1'))?.facts).toEqual(input.facts);
    const ref = { platform: 'slack' as const, channelId: 'C0EXC', messageId: '1.2', kind: 'channel' as const };
    await store.addPostedMessage(a.item.id, ref);
    await store.addPostedMessage(a.item.id, ref);
    expect(await store.listPostedMessages(a.item.id)).toEqual([ref]);
  });
});
