import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgAuditLog } from '../../src/audit/pg-audit-log.js';
import { AppError } from '../../src/errors.js';
import type { AuditLog, NewCase, NewDecision, Store } from '../../src/flows/ports.js';
import type { CaseSnapshot } from '../../src/flows/types.js';
import { createStore } from '../../src/store/create-store.js';
import { PgStore } from '../../src/store/pg-store.js';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log.js';
import { InMemoryStore } from '../fakes/in-memory-store.js';
import { postgresDatabase, type TestDatabaseHandle, testDatabases } from '../support/databases.js';

function aSnapshot(overrides: Partial<CaseSnapshot> = {}): CaseSnapshot {
  return {
    reference: 'P00042',
    partner: 'Azure Interior',
    amount: 1250.5,
    currency: 'EUR',
    owner: 'Marc Demo',
    date: '2026-11-20',
    state: 'to approve',
    writeDate: '2026-11-20T09:00:00Z',
    lines: [{ product: 'Desk', description: 'Oak desk', quantity: 2, unitPrice: 625.25, subtotal: 1250.5 }],
    lineCount: 1,
    url: 'https://odoo.example.com/odoo/purchase/42',
    ...overrides,
  };
}

let nextOdooId = 1000;
function aNewCase(overrides: Partial<NewCase> = {}): NewCase {
  return {
    flowId: 'purchase-approval',
    odooModel: 'purchase.order',
    odooId: nextOdooId++,
    snapshot: aSnapshot(),
    requesterIds: [7, 9],
    approvers: [{ odooUserId: 2, name: 'Mitchell Admin', email: 'admin@example.com' }],
    ...overrides,
  };
}

function aNewDecision(caseId: string, overrides: Partial<NewDecision> = {}): NewDecision {
  return {
    caseId,
    idempotencyKey: `click-${randomUUID()}`,
    action: 'approve',
    actor: { platform: 'slack', userId: 'U123', teamId: 'T1', displayName: 'Mitchell' },
    reason: null,
    cardWriteDate: '2026-11-20T09:00:00Z',
    ...overrides,
  };
}

/** A store and its audit log under test; `handle` only for the SQL backends. */
interface StoreBackend {
  name: string;
  connect(): Promise<{ store: Store; audit: AuditLog; handle?: TestDatabaseHandle }>;
}

/** The real store on each test database, and the in-memory fake the unit tests use. */
const storeBackends: StoreBackend[] = [
  ...testDatabases.map((database) => ({
    name: database.name,
    async connect() {
      const handle = await database.connect();
      const store = await PgStore.connect(handle.connectionString, { schema: handle.schema, poolSize: 10 });
      return { store, audit: new PgAuditLog(store.pool, { schema: handle.schema }), handle };
    },
  })),
  {
    name: 'in-memory',
    async connect() {
      const audit = new InMemoryAuditLog();
      return { store: new InMemoryStore({ audit }), audit };
    },
  },
];

describe.each(storeBackends)('Store contract on $name', (backend) => {
  let handle: TestDatabaseHandle | undefined;
  let store: Store;
  let audit: AuditLog;

  beforeAll(async () => {
    ({ store, audit, handle } = await backend.connect());
  });
  afterAll(async () => {
    await store?.close();
    await handle?.close();
  });

  it.skipIf(backend.name === 'in-memory')(
    'runs migrations from several processes at once and again without change',
    async () => {
      const db = handle;
      if (!db) throw new Error('no database handle');
      const others = await Promise.all(
        [1, 2, 3].map(() => PgStore.connect(db.connectionString, { schema: db.schema })),
      );
      await Promise.all(others.map((s) => s.close()));
      await store.ping();
    },
  );

  it('opens one case for 20 concurrent opens of the same record', async () => {
    const input = aNewCase();
    const results = await Promise.all(Array.from({ length: 20 }, () => store.openCase(input)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.case.id)).size).toBe(1);
    const opened = results[0]!.case;
    expect(opened).toMatchObject({ status: 'open', requesterIds: [7, 9], snapshot: input.snapshot, decisionId: null });
    expect(opened.createdAt).toBeInstanceOf(Date);
    expect(await store.getCase(opened.id)).toEqual(opened);
    expect(await store.findActiveCase(input.flowId, input.odooModel, input.odooId)).toEqual(opened);
  });

  it('keeps large snapshots apart when they are written concurrently (over one socket read)', async () => {
    const inputs = Array.from({ length: 12 }, (_, i) => {
      const lines = Array.from({ length: 400 }, (_, n) => ({
        product: `Product ${i}-${n}`,
        description: `${'é'.repeat(200)} line ${n} of case ${i}`,
        quantity: n,
        unitPrice: i,
        subtotal: n * i,
      }));
      return aNewCase({ snapshot: aSnapshot({ reference: `BIG-${i}`, lines, lineCount: lines.length }) });
    });
    const results = await Promise.all([
      ...inputs.map((input) => store.openCase(input)),
      ...inputs.map((input) => store.findActiveCase(input.flowId, input.odooModel, input.odooId)),
    ]);
    for (const [i, input] of inputs.entries()) {
      const opened = results[i] as { case: { id: string } };
      expect((await store.getCase(opened.case.id))?.snapshot).toEqual(input.snapshot);
    }
  });

  it('opens a new case once the previous one for the record is closed', async () => {
    const input = aNewCase();
    const first = await store.openCase(input);
    await store.setCaseStatus(first.case.id, 'cancelled');
    const closed = await store.getCase(first.case.id);
    expect(closed?.closedAt).toBeInstanceOf(Date);
    const second = await store.openCase(input);
    expect(second.created).toBe(true);
    expect(second.case.id).not.toBe(first.case.id);
  });

  it('lists, filters and updates cases', async () => {
    const flowId = `flow-${randomUUID()}`;
    const a = (await store.openCase(aNewCase({ flowId }))).case;
    const b = (await store.openCase(aNewCase({ flowId }))).case;
    await store.setCaseStatus(b.id, 'approved');
    expect((await store.listCases({ flowId })).map((c) => c.id)).toEqual([a.id, b.id]);
    expect((await store.listCases({ flowId, status: ['open'] })).map((c) => c.id)).toEqual([a.id]);
    expect(await store.listCases({ flowId, limit: 1 })).toHaveLength(1);
    await store.updateCaseSnapshot(a.id, aSnapshot({ amount: 99, reference: 'P00043 — café ✓' }));
    expect((await store.getCase(a.id))?.snapshot).toMatchObject({ amount: 99, reference: 'P00043 — café ✓' });
    expect(await store.getCase(randomUUID())).toBeNull();
    expect(await store.getCase('not-a-uuid')).toBeNull();
    await expect(store.setCaseStatus(randomUUID(), 'approved')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('lets exactly one of 10 concurrent claims win', async () => {
    const opened = (await store.openCase(aNewCase())).case;
    const decisionIds = Array.from({ length: 10 }, () => randomUUID());
    const wins = await Promise.all(decisionIds.map((id) => store.claimCase(opened.id, id)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const claimed = await store.getCase(opened.id);
    expect(claimed?.status).toBe('deciding');
    expect(claimed?.decisionId).toBe(decisionIds[wins.indexOf(true)]);
    expect(await store.claimCase(opened.id, randomUUID())).toBe(false);
  });

  it('records one decision per idempotency key under 20 concurrent clicks', async () => {
    const opened = (await store.openCase(aNewCase())).case;
    const input = aNewDecision(opened.id, { reason: 'ok "quoted", with commas' });
    const results = await Promise.all(Array.from({ length: 20 }, () => store.recordDecision(input)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.decision.id)).size).toBe(1);
    expect(results[0]!.decision).toMatchObject({
      caseId: opened.id,
      status: 'queued',
      actor: input.actor,
      reason: input.reason,
      appliedAt: null,
    });
    const other = await store.recordDecision(aNewDecision(opened.id));
    expect(other.created).toBe(true);
    expect(other.decision.id).not.toBe(results[0]!.decision.id);
    await expect(store.recordDecision(aNewDecision(randomUUID()))).rejects.toMatchObject({
      code: 'store.case_not_found',
      kind: 'not_found',
    });
  });

  it('updates a decision with a partial patch', async () => {
    const opened = (await store.openCase(aNewCase())).case;
    const { decision } = await store.recordDecision(aNewDecision(opened.id));
    const appliedAt = new Date('2026-11-20T10:00:00.123Z');
    const updated = await store.updateDecision(decision.id, {
      status: 'applying',
      odooUserId: 2,
      odooUserName: 'Mitchell Admin',
      appliedAt,
    });
    expect(updated).toMatchObject({ status: 'applying', odooUserId: 2, odooUserName: 'Mitchell Admin', appliedAt });
    expect(updated.chatterPostedAt).toBeNull();
    expect(await store.getDecision(decision.id)).toEqual(updated);
    await expect(store.updateDecision(randomUUID(), { outcome: 'x' })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('finishes a decision exactly once under concurrency, with exactly one audit entry', async () => {
    const opened = (await store.openCase(aNewCase())).case;
    const { decision } = await store.recordDecision(aNewDecision(opened.id));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.finishDecision(decision.id, 'applied', null, {
          type: 'decision.applied',
          caseId: opened.id,
          actor: 'slack:U123',
          data: { attempt: i, decisionId: decision.id },
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.getDecision(decision.id))?.status).toBe('applied');
    const entries = [];
    for await (const entry of audit.entries({ caseId: opened.id })) entries.push(entry);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ type: 'decision.applied', caseId: opened.id, actor: 'slack:U123' });
    expect(await store.finishDecision(decision.id, 'failed', 'late', { type: 'decision.failed' })).toBe(false);
    expect((await store.getDecision(decision.id))?.outcome).toBeNull();
    expect(await audit.verify()).toMatchObject({ ok: true });
  });

  it('lists unfinished decisions older than a moment', async () => {
    const opened = (await store.openCase(aNewCase())).case;
    const queued = (await store.recordDecision(aNewDecision(opened.id))).decision;
    const applying = (await store.recordDecision(aNewDecision(opened.id))).decision;
    await store.updateDecision(applying.id, { status: 'applying' });
    const done = (await store.recordDecision(aNewDecision(opened.id))).decision;
    await store.finishDecision(done.id, 'refused', 'not an approver', { type: 'decision.refused' });
    const ids = (await store.listUnfinishedDecisions(new Date(Date.now() + 60_000))).map((d) => d.id);
    expect(ids).toEqual(expect.arrayContaining([queued.id, applying.id]));
    expect(ids).not.toContain(done.id);
    expect(await store.listUnfinishedDecisions(new Date(0))).toEqual([]);
  });

  it('remembers posted messages once each', async () => {
    const opened = (await store.openCase(aNewCase())).case;
    const channel = { platform: 'slack', channelId: 'C1', messageId: `${Date.now()}.0001`, kind: 'channel' } as const;
    const dm = {
      platform: 'teams',
      channelId: 'a:1',
      messageId: randomUUID(),
      kind: 'dm',
      recipient: '29:abc',
    } as const;
    await Promise.all([store.addPostedMessage(opened.id, channel), store.addPostedMessage(opened.id, channel)]);
    await store.addPostedMessage(opened.id, dm);
    expect(await store.listPostedMessages(opened.id)).toEqual([channel, dm]);
    await expect(store.addPostedMessage(randomUUID(), { ...channel, messageId: 'x' })).rejects.toMatchObject({
      code: 'store.case_not_found',
    });
  });

  it('caches identities and keeps checkpoints', async () => {
    expect(await store.getIdentity('slack', 'U-none')).toBeNull();
    await store.saveIdentity('slack', 'U1', 2, 'admin@example.com');
    await store.saveIdentity('slack', 'U1', 3, 'marc@example.com');
    expect(await store.getIdentity('slack', 'U1')).toMatchObject({ odooUserId: 3, email: 'marc@example.com' });
    expect((await store.getIdentity('slack', 'U1'))?.checkedAt).toBeInstanceOf(Date);
    expect(await store.getIdentity('teams', 'U1')).toBeNull();
    expect(await store.getCheckpoint('poll:purchase.order')).toBeNull();
    await store.setCheckpoint('poll:purchase.order', '2026-11-20T09:00:00Z');
    await store.setCheckpoint('poll:purchase.order', '2026-11-20T10:00:00Z');
    expect(await store.getCheckpoint('poll:purchase.order')).toBe('2026-11-20T10:00:00Z');
  });
});

describe('Store errors and persistence', () => {
  it('migrates a fresh schema from four processes starting together, and refuses a newer schema', async () => {
    const handle = await postgresDatabase.connect();
    try {
      const stores = await Promise.all(
        [1, 2, 3, 4].map(() => PgStore.connect(handle.connectionString, { schema: handle.schema, poolSize: 2 })),
      );
      const applied = await stores[0]!.pool.query(`SELECT version FROM "${handle.schema}".chatops_migrations`);
      expect(applied.rows).toEqual([{ version: 1 }]);
      await stores[0]!.pool.query(
        `INSERT INTO "${handle.schema}".chatops_migrations (version, name) VALUES (99, 'future')`,
      );
      await Promise.all(stores.map((s) => s.close()));
      await expect(PgStore.connect(handle.connectionString, { schema: handle.schema })).rejects.toMatchObject({
        code: 'store.migration_failed',
        message: expect.stringContaining('newer'),
      });
    } finally {
      await handle.close();
    }
  });

  it('reports an unreachable database as transient store.unavailable naming DATABASE_URL', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const err = await PgStore.connect(`postgres://postgres:secret@127.0.0.1:${port}/db`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'store.unavailable', kind: 'transient' });
    expect((err as Error).message).toContain('DATABASE_URL');
    expect((err as Error).message).not.toContain('secret');
  });

  it('keeps embedded data across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'chatops-store-'));
    try {
      const first = await createStore({ dataDir });
      expect(first.embedded).toBe(true);
      const opened = await first.store.openCase(aNewCase());
      await first.audit.append({ type: 'case.opened', caseId: opened.case.id, data: { by: 'test' } });
      await first.store.setCheckpoint('k', 'v');
      await first.close();

      const second = await createStore({ dataDir });
      try {
        expect(await second.store.getCase(opened.case.id)).toEqual(opened.case);
        expect(await second.store.getCheckpoint('k')).toBe('v');
        expect(await second.audit.verify()).toMatchObject({ ok: true, count: 1 });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
