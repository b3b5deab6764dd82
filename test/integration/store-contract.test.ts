import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgAuditLog } from '../../src/audit/pg-audit-log.js';
import { AppError } from '../../src/errors.js';
import type { AuditLog, NewCase, NewDecision, NewDelegation, Store } from '../../src/flows/ports.js';
import type { Case, CaseSnapshot, CaseTier, CaseTimers } from '../../src/flows/types.js';
import { createStore } from '../../src/store/create-store.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
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

const noTimers: CaseTimers = {
  remindAt: null,
  escalateAt: null,
  expireAt: null,
  reminders: 0,
  escalated: false,
  pausedAt: null,
};

/** A manager tier (current) and a finance tier needing two of three, one of them required. */
function twoTiers(): CaseTier[] {
  const cfo = { odooUserId: 12, name: 'Carla CFO', email: 'carla@example.com', tz: 'Europe/Brussels' };
  return [
    {
      index: 0,
      name: 'Manager',
      approvers: [{ odooUserId: 2, name: 'Mitchell Admin', email: 'admin@example.com', via: 'manager of Marc' }],
      minApprovals: 1,
      required: [],
      approvals: [],
      escalated: [],
      startedAt: '2026-11-20T09:00:00.000Z',
    },
    {
      index: 1,
      name: 'Finance',
      approvers: [
        cfo,
        { odooUserId: 13, name: 'Dan Controller', email: null, onBehalfOf: { odooUserId: 14, name: 'Fay' } },
        { odooUserId: 15, name: 'Gus Treasurer', email: 'gus@example.com' },
      ],
      minApprovals: 2,
      required: [cfo],
      approvals: [],
      escalated: [],
      startedAt: null,
    },
  ];
}

let nextUserId = 50_000;
function aNewDelegation(fromOdooUserId: number, overrides: Partial<NewDelegation> = {}): NewDelegation {
  return {
    fromOdooUserId,
    fromName: `User ${fromOdooUserId}`,
    toOdooUserId: 9,
    toName: 'Bob Approver',
    startsAt: new Date('2026-12-01T00:00:00Z'),
    endsAt: new Date('2026-12-24T00:00:00Z'),
    source: 'chat',
    createdBy: 'slack:U123',
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
    // Oldest first: keep the two creation times apart (the embedded clock can tick coarsely).
    await new Promise((r) => setTimeout(r, 5));
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

  it('pages through cases after an id: every case once, in order, while statuses change', async () => {
    const flowId = `flow-${randomUUID()}`;
    // Opened together: creation times may tie (and PostgreSQL keeps microseconds a JS Date drops).
    const opened = await Promise.all(Array.from({ length: 11 }, () => store.openCase(aNewCase({ flowId }))));
    const all = await store.listCases({ flowId, limit: 100 });
    expect(new Set(all.map((c) => c.id))).toEqual(new Set(opened.map((o) => o.case.id)));
    const paged: string[] = [];
    let afterId: string | undefined;
    for (let page = 0; page < 10; page++) {
      const rows = await store.listCases({ flowId, status: ['open'], limit: 3, ...(afterId ? { afterId } : {}) });
      paged.push(...rows.map((c) => c.id));
      if (rows.length < 3) break;
      afterId = rows.at(-1)!.id;
      // The cursor case leaves the filter; the next page still starts right after it.
      await store.setCaseStatus(afterId, 'approved');
    }
    expect(paged).toEqual(all.map((c) => c.id));
    expect(await store.listCases({ flowId, afterId: all.at(-1)!.id })).toEqual([]);
    expect(await store.listCases({ flowId, afterId: randomUUID() })).toEqual([]);
    expect(await store.listCases({ flowId, afterId: 'not-a-uuid' })).toEqual([]);
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

  it('claims a checkpoint once, even when claims race', async () => {
    const claims = await Promise.all(['a', 'b', 'c'].map((v) => store.claimCheckpoint('share.slack.k1', v)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = ['a', 'b', 'c'][claims.indexOf(true)];
    expect(await store.getCheckpoint('share.slack.k1')).toBe(winner);
    expect(await store.claimCheckpoint('share.slack.k1', 'd')).toBe(false);
    expect(await store.claimCheckpoint('share.slack.k2', 'e')).toBe(true);
  });

  it('opens a case with one default tier of its approvers, no timers and version 1', async () => {
    const input = aNewCase();
    const before = Date.now();
    const opened = (await store.openCase(input)).case;
    expect(opened).toMatchObject({ currentTier: 0, timers: noTimers, infoRequests: [], version: 1 });
    expect(opened.tiers).toEqual([
      {
        index: 0,
        name: 'Approval',
        approvers: input.approvers,
        minApprovals: 1,
        required: [],
        approvals: [],
        escalated: [],
        startedAt: expect.any(String),
      },
    ]);
    expect(Date.parse(opened.tiers[0]!.startedAt!)).toBeGreaterThanOrEqual(before - 1000);
    const given = aNewCase({ tiers: twoTiers(), timers: { ...noTimers, remindAt: '2026-11-21T09:00:00.000Z' } });
    const withTiers = (await store.openCase(given)).case;
    expect(withTiers.tiers).toEqual(given.tiers);
    expect(withTiers.timers).toEqual(given.timers);
    expect(await store.getCase(withTiers.id)).toEqual(withTiers);
  });

  it('saves every field of a case and bumps its version', async () => {
    const opened = (await store.openCase(aNewCase({ tiers: twoTiers() }))).case;
    const decisionId = randomUUID();
    const tiers = twoTiers();
    tiers[0]!.approvals.push({
      odooUserId: 2,
      name: 'Mitchell Admin',
      decisionId,
      at: '2026-11-20T10:00:00.000Z',
      platform: 'slack',
      onBehalfOf: { odooUserId: 9, name: 'Bob Approver' },
    });
    tiers[0]!.escalated.push({ odooUserId: 12, name: 'Carla CFO', email: null, via: 'escalation' });
    tiers[1]!.startedAt = '2026-11-20T10:00:00.000Z';
    const changed: Case = {
      ...opened,
      status: 'info_requested',
      snapshot: aSnapshot({ amount: 99_999.99, reference: 'P00043 — café ✓' }),
      approvers: tiers[1]!.approvers,
      tiers,
      currentTier: 1,
      timers: {
        remindAt: '2026-11-21T09:00:00.000Z',
        escalateAt: '2026-11-23T09:00:00.000Z',
        expireAt: null,
        reminders: 2,
        escalated: true,
        pausedAt: '2026-11-20T11:00:00.000Z',
      },
      infoRequests: [
        {
          id: randomUUID(),
          askedBy: { odooUserId: 2, name: 'Mitchell Admin' },
          question: 'Why "three" desks?',
          askedAt: '2026-11-20T11:00:00.000Z',
          answer: null,
          answeredBy: null,
          answeredAt: null,
        },
      ],
      decisionId,
    };
    const saved = await store.saveCase(changed);
    expect(saved).toEqual({ ...changed, version: opened.version + 1, updatedAt: expect.any(Date) });
    expect(saved!.updatedAt.getTime()).toBeGreaterThanOrEqual(opened.updatedAt.getTime());
    expect(saved!.closedAt).toBeNull();
    expect(await store.getCase(opened.id)).toEqual(saved);
    expect(await store.saveCase({ ...changed, id: randomUUID() })).toBeNull();
  });

  it('lets exactly one of 10 concurrent saves of the same version win', async () => {
    const opened = (await store.openCase(aNewCase())).case;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.saveCase({ ...opened, timers: { ...opened.timers, reminders: i + 1 } }),
      ),
    );
    const winners = results.filter((r): r is Case => r !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.version).toBe(opened.version + 1);
    expect(await store.getCase(opened.id)).toEqual(winners[0]);
    expect(await store.saveCase(opened)).toBeNull();
    expect(await store.saveCase({ ...winners[0]!, status: 'deciding' })).toMatchObject({
      status: 'deciding',
      version: opened.version + 2,
    });
  });

  it('bumps the version on claim, status and snapshot changes, so a save of an older read conflicts', async () => {
    const opened = (await store.openCase(aNewCase())).case;
    expect(await store.claimCase(opened.id, randomUUID())).toBe(true);
    const claimed = await store.getCase(opened.id);
    expect(claimed?.version).toBe(opened.version + 1);
    expect(await store.saveCase({ ...opened, status: 'approved' })).toBeNull();
    await store.setCaseStatus(opened.id, 'open');
    const reopened = await store.getCase(opened.id);
    expect(reopened?.version).toBe(opened.version + 2);
    expect(await store.saveCase({ ...claimed!, status: 'approved' })).toBeNull();
    await store.updateCaseSnapshot(opened.id, aSnapshot({ amount: 1 }));
    expect(await store.saveCase({ ...reopened!, status: 'approved' })).toBeNull();
    const latest = (await store.getCase(opened.id))!;
    expect(latest).toMatchObject({ version: opened.version + 3, status: 'open', snapshot: { amount: 1 } });
    expect(await store.saveCase({ ...latest, status: 'approved' })).toMatchObject({ version: opened.version + 4 });
  });

  it('claims only open cases, not ones waiting for information', async () => {
    const opened = (await store.openCase(aNewCase())).case;
    const waiting = await store.saveCase({ ...opened, status: 'info_requested' });
    expect(waiting?.status).toBe('info_requested');
    expect(await store.claimCase(opened.id, randomUUID())).toBe(false);
    expect(await store.getCase(opened.id)).toEqual(waiting);
  });

  it('counts a case waiting for information as the active case of its record', async () => {
    const input = aNewCase();
    const opened = (await store.openCase(input)).case;
    await store.setCaseStatus(opened.id, 'info_requested');
    const again = await store.openCase(input);
    expect(again.created).toBe(false);
    expect(again.case).toMatchObject({ id: opened.id, status: 'info_requested', closedAt: null });
    expect(await store.findActiveCase(input.flowId, input.odooModel, input.odooId)).toMatchObject({ id: opened.id });
  });

  it('finds the latest case of a record whatever its status', async () => {
    const input = aNewCase();
    expect(await store.findLatestCase(input.flowId, input.odooModel, input.odooId)).toBeNull();
    const first = (await store.openCase(input)).case;
    await store.setCaseStatus(first.id, 'rejected');
    expect(await store.findLatestCase(input.flowId, input.odooModel, input.odooId)).toMatchObject({
      id: first.id,
      status: 'rejected',
    });
    await new Promise((r) => setTimeout(r, 5));
    const second = (await store.openCase(input)).case;
    expect(await store.findLatestCase(input.flowId, input.odooModel, input.odooId)).toMatchObject({
      id: second.id,
      status: 'open',
    });
    expect(await store.findLatestCase('another-flow', input.odooModel, input.odooId)).toBeNull();
  });

  it('closes an expired case once, and reopening clears closedAt', async () => {
    const input = aNewCase();
    const opened = (await store.openCase(input)).case;
    const expired = await store.saveCase({ ...opened, status: 'expired' });
    expect(expired?.closedAt).toBeInstanceOf(Date);
    expect(await store.findActiveCase(input.flowId, input.odooModel, input.odooId)).toBeNull();
    const later = await store.saveCase({ ...expired!, timers: { ...expired!.timers, reminders: 3 } });
    expect(later?.closedAt).toEqual(expired?.closedAt);
    await store.setCaseStatus(opened.id, 'open');
    expect((await store.getCase(opened.id))?.closedAt).toBeNull();
    await store.setCaseStatus(opened.id, 'expired');
    expect((await store.getCase(opened.id))?.closedAt).toBeInstanceOf(Date);
    expect((await store.openCase(input)).created).toBe(true);
  });

  it('records the tier a decision was clicked on', async () => {
    const opened = (await store.openCase(aNewCase())).case;
    const onTier = await store.recordDecision(aNewDecision(opened.id, { tier: 1 }));
    expect(onTier.decision.tier).toBe(1);
    expect((await store.getDecision(onTier.decision.id))?.tier).toBe(1);
    const untiered = await store.recordDecision(aNewDecision(opened.id));
    expect(untiered.decision.tier).toBeNull();
    expect((await store.getDecision(untiered.decision.id))?.tier).toBeNull();
  });

  it('adds, lists by active window and ends delegations', async () => {
    const from = nextUserId++;
    const other = nextUserId++;
    const day = (d: number) => new Date(Date.UTC(2026, 11, d));
    const hour = (at: Date) => new Date(at.getTime() + 3_600_000);
    const chat = await store.addDelegation(aNewDelegation(from, { startsAt: day(1), endsAt: day(24) }));
    expect(chat).toMatchObject({ ...aNewDelegation(from), startsAt: day(1), endsAt: day(24), id: expect.any(String) });
    expect(chat.createdAt).toBeInstanceOf(Date);
    const later = await store.addDelegation(aNewDelegation(from, { startsAt: day(10), endsAt: day(31) }));
    const standing = await store.addDelegation(
      aNewDelegation(from, { source: 'policy', createdBy: 'policy.yaml', startsAt: hour(day(1)), endsAt: day(31) }),
    );
    const others = await store.addDelegation(aNewDelegation(other, { startsAt: day(1), endsAt: day(31) }));

    const ids = async (activeAt: Date, fromOdooUserId?: number) =>
      (await store.listDelegations({ activeAt, fromOdooUserId })).map((d) => d.id);
    expect(await ids(day(5), from)).toEqual([chat.id, standing.id]);
    expect(await ids(day(10), from)).toEqual([chat.id, standing.id, later.id]);
    expect(await ids(day(24), from)).toEqual([standing.id, later.id]);
    expect(await ids(new Date(day(1).getTime() - 1), from)).toEqual([]);
    expect(await ids(day(1), from)).toEqual([chat.id]);
    expect(await ids(day(5))).toEqual(expect.arrayContaining([chat.id, standing.id, others.id]));
    expect(await store.listDelegations({ activeAt: day(5), fromOdooUserId: from })).toEqual([chat, standing]);

    expect(await store.endDelegations(from, day(12))).toBe(2);
    expect(await ids(day(11), from)).toEqual([chat.id, standing.id, later.id]);
    expect(await ids(day(12), from)).toEqual([standing.id]);
    const ended = await store.listDelegations({ activeAt: day(11), fromOdooUserId: from });
    expect(ended.find((d) => d.id === chat.id)?.endsAt).toEqual(day(12));
    expect(await ids(day(12), other)).toEqual([others.id]);
    expect(await store.endDelegations(from, day(12))).toBe(0);
  });
});

describe('Store errors and persistence', () => {
  it('migrates a fresh schema from four processes starting together, and refuses a newer schema', async () => {
    const handle = await postgresDatabase.connect();
    try {
      const stores = await Promise.all(
        [1, 2, 3, 4].map(() => PgStore.connect(handle.connectionString, { schema: handle.schema, poolSize: 2 })),
      );
      const applied = await stores[0]!.pool.query(
        `SELECT version FROM "${handle.schema}".chatops_migrations ORDER BY version`,
      );
      expect(applied.rows).toEqual(migrations.map((m) => ({ version: m.version })));
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

  it.each(testDatabases)(
    'upgrades cases opened before tiers to one tier of their approvers ($name)',
    async (database) => {
      const handle = await database.connect();
      const pool = new pg.Pool({ connectionString: handle.connectionString, max: 2 });
      try {
        const s = `"${handle.schema}"`;
        await migrate(pool, { schema: handle.schema, migrations: migrations.filter((m) => m.version < 3) });
        const approvers = [
          { odooUserId: 2, name: 'Mitchell Admin', email: 'admin@example.com', tz: 'Europe/Brussels' },
        ];
        const id = randomUUID();
        await pool.query(
          `INSERT INTO ${s}.cases (id, flow_id, odoo_model, odoo_id, status, snapshot, requester_ids, approvers, created_at)
         VALUES ($1, 'purchase-approval', 'purchase.order', 42, 'open', $2, '{7}', $3, '2026-11-20T09:00:00.123Z')`,
          [id, JSON.stringify(aSnapshot()), JSON.stringify(approvers)],
        );
        const store = await PgStore.connect(handle.connectionString, { schema: handle.schema, poolSize: 2 });
        try {
          const upgraded = await store.getCase(id);
          expect(upgraded).toMatchObject({ currentTier: 0, timers: noTimers, infoRequests: [], version: 1 });
          expect(upgraded?.tiers).toEqual([
            {
              index: 0,
              name: 'Approval',
              approvers,
              minApprovals: 1,
              required: [],
              approvals: [],
              escalated: [],
              startedAt: '2026-11-20T09:00:00.123Z',
            },
          ]);
          const again = await store.openCase({
            flowId: 'purchase-approval',
            odooModel: 'purchase.order',
            odooId: 42,
            snapshot: aSnapshot(),
            requesterIds: [7],
            approvers,
          });
          expect(again).toMatchObject({ created: false, case: { id } });
          await store.setCaseStatus(id, 'info_requested');
          await expect(
            pool.query(
              `INSERT INTO ${s}.cases (id, flow_id, odoo_model, odoo_id, status, snapshot)
             VALUES ($1, 'purchase-approval', 'purchase.order', 42, 'open', '{}')`,
              [randomUUID()],
            ),
          ).rejects.toMatchObject({ code: '23505' });
        } finally {
          await store.close();
        }
      } finally {
        await pool.end();
        await handle.close();
      }
    },
  );

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
