import { randomUUID } from 'node:crypto';
import { AppError } from '../../src/errors.js';
import type { CaseListFilter, Clock, NewCase, NewDecision, NewDelegation, Store } from '../../src/flows/ports.js';
import type {
  AuditEntryInput,
  Case,
  CaseStatus,
  Decision,
  DecisionStatus,
  Delegation,
  PostedMessageRef,
} from '../../src/flows/types.js';
import { activeCaseStatuses, closedCaseStatuses, initialTiers, noTimers } from '../../src/store/case-lifecycle.js';
import { type DecisionPatch, finalDecisionStatuses } from '../../src/store/sql-fragments.js';
import { caseNotFound, decisionNotFound, isUuid } from '../../src/store/store-errors.js';
import type { InMemoryAuditLog } from './in-memory-audit-log.js';
import { InMemoryDelegations } from './in-memory-delegations.js';

const systemClock: Clock = { now: () => new Date() };

/** What jsonb gives back: the JSON round trip (undefined properties dropped). */
function json<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export interface InMemoryStoreOptions {
  /** Where `finishDecision` appends, in the same step as the status change. */
  audit: InMemoryAuditLog;
  /** Source of `createdAt`/`updatedAt`/`checkedAt`; defaults to the system clock. */
  clock?: Clock;
}

/**
 * `Store` in memory with `PgStore`'s semantics. Every method changes state
 * synchronously after its first await-free checks, so what PostgreSQL does in
 * one statement or transaction is atomic here too.
 */
export class InMemoryStore implements Store {
  private readonly cases = new Map<string, Case>();
  private readonly decisions = new Map<string, Decision>();
  private readonly posted: Array<{ caseId: string; ref: PostedMessageRef }> = [];
  private readonly identities = new Map<string, { odooUserId: number; email: string; checkedAt: Date }>();
  private readonly checkpoints = new Map<string, string>();
  private readonly delegations: InMemoryDelegations;
  private readonly failures: Array<{ method: keyof Store; error: Error; skip: number }> = [];
  private readonly audit: InMemoryAuditLog;
  private readonly clock: Clock;
  private closed = false;

  constructor(options: InMemoryStoreOptions) {
    this.audit = options.audit;
    this.clock = options.clock ?? systemClock;
    this.delegations = new InMemoryDelegations(this.clock);
  }

  /**
   * Test hook: a later call of `method` throws `error` (default: a transient
   * store.unavailable): the next one, or the one after `okCalls` successful calls.
   */
  failNext(method: keyof Store, error?: Error, okCalls = 0): void {
    this.failures.push({
      method,
      skip: okCalls,
      error:
        error ??
        new AppError('store.unavailable', 'transient', `The test made the database unavailable for ${method}.`),
    });
  }

  async openCase(input: NewCase): Promise<{ created: boolean; case: Case }> {
    this.check('openCase');
    const active = this.active(input.flowId, input.odooModel, input.odooId);
    if (active) return { created: false, case: structuredClone(active) };
    const now = this.clock.now();
    const c: Case = {
      id: randomUUID(),
      flowId: input.flowId,
      odooModel: input.odooModel,
      odooId: input.odooId,
      status: 'open',
      snapshot: json(input.snapshot),
      requesterIds: [...input.requesterIds],
      approvers: json(input.approvers),
      tiers: json(initialTiers(input, now)),
      currentTier: 0,
      timers: json(input.timers ?? noTimers()),
      infoRequests: [],
      decisionId: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    this.cases.set(c.id, c);
    return { created: true, case: structuredClone(c) };
  }

  async getCase(id: string): Promise<Case | null> {
    this.check('getCase');
    const c = this.cases.get(id);
    return c ? structuredClone(c) : null;
  }

  async findActiveCase(flowId: string, odooModel: string, odooId: number): Promise<Case | null> {
    this.check('findActiveCase');
    const c = this.active(flowId, odooModel, odooId);
    return c ? structuredClone(c) : null;
  }

  async findLatestCase(flowId: string, odooModel: string, odooId: number): Promise<Case | null> {
    this.check('findActiveCase');
    const all = [...this.cases.values()].filter(
      (c) => c.flowId === flowId && c.odooModel === odooModel && c.odooId === odooId,
    );
    const latest = all.at(-1);
    return latest ? structuredClone(latest) : null;
  }

  /** Oldest first, ties in the order opened; `limit` defaults to 100; `afterId` continues after that case. */
  async listCases(filter: CaseListFilter): Promise<Case[]> {
    this.check('listCases');
    const ordered = [...this.cases.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const start = filter.afterId === undefined ? 0 : ordered.findIndex((c) => c.id === filter.afterId) + 1;
    if (start === 0 && filter.afterId !== undefined) return [];
    return ordered
      .slice(start)
      .filter(
        (c) =>
          (!filter.status || filter.status.includes(c.status)) &&
          (filter.flowId === undefined || c.flowId === filter.flowId),
      )
      .slice(0, filter.limit ?? 100)
      .map((c) => structuredClone(c));
  }

  async updateCaseSnapshot(id: string, snapshot: Case['snapshot']): Promise<void> {
    this.check('updateCaseSnapshot');
    const c = this.caseOrThrow(id);
    c.snapshot = json(snapshot);
    c.updatedAt = this.clock.now();
    c.version += 1;
  }

  async claimCase(caseId: string, decisionId: string): Promise<boolean> {
    this.check('claimCase');
    const c = this.cases.get(caseId);
    if (c?.status !== 'open' || !isUuid(decisionId)) return false;
    c.status = 'deciding';
    c.decisionId = decisionId;
    c.updatedAt = this.clock.now();
    c.version += 1;
    return true;
  }

  /** Final statuses set `closedAt` (once); going back to an active status clears it. */
  async setCaseStatus(caseId: string, status: CaseStatus): Promise<void> {
    this.check('setCaseStatus');
    const c = this.caseOrThrow(caseId);
    const now = this.clock.now();
    c.status = status;
    c.updatedAt = now;
    c.version += 1;
    c.closedAt = closedCaseStatuses.includes(status) ? (c.closedAt ?? now) : null;
  }

  /** `requesterIds` and the identity fields never change; null when `c.version` is not the stored one. */
  async saveCase(c: Case): Promise<Case | null> {
    this.check('saveCase');
    const stored = this.cases.get(c.id);
    if (!stored || stored.version !== c.version) return null;
    const now = this.clock.now();
    const saved: Case = {
      ...stored,
      status: c.status,
      snapshot: json(c.snapshot),
      approvers: json(c.approvers),
      tiers: json(c.tiers),
      currentTier: c.currentTier,
      timers: json(c.timers),
      infoRequests: json(c.infoRequests),
      decisionId: c.decisionId,
      version: stored.version + 1,
      updatedAt: now,
      closedAt: closedCaseStatuses.includes(c.status) ? (stored.closedAt ?? now) : null,
    };
    this.cases.set(c.id, saved);
    return structuredClone(saved);
  }

  async addDelegation(input: NewDelegation): Promise<Delegation> {
    this.check('addDelegation');
    return this.delegations.add(input);
  }

  async endDelegations(fromOdooUserId: number, at: Date): Promise<number> {
    this.check('endDelegations');
    return this.delegations.end(fromOdooUserId, at);
  }

  async listDelegations(filter: { activeAt: Date; fromOdooUserId?: number }): Promise<Delegation[]> {
    this.check('listDelegations');
    return this.delegations.list(filter);
  }

  async recordDecision(input: NewDecision): Promise<{ created: boolean; decision: Decision }> {
    this.check('recordDecision');
    const existing = [...this.decisions.values()].find((d) => d.idempotencyKey === input.idempotencyKey);
    if (existing) return { created: false, decision: structuredClone(existing) };
    if (!this.cases.has(input.caseId)) throw caseNotFound(input.caseId);
    const now = this.clock.now();
    const d: Decision = {
      id: randomUUID(),
      caseId: input.caseId,
      idempotencyKey: input.idempotencyKey,
      action: input.action,
      actor: json(input.actor),
      reason: input.reason,
      tier: input.tier ?? null,
      cardWriteDate: input.cardWriteDate,
      status: 'queued',
      odooUserId: null,
      odooUserName: null,
      outcome: null,
      appliedAt: null,
      chatterPostedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    this.decisions.set(d.id, d);
    return { created: true, decision: structuredClone(d) };
  }

  async getDecision(id: string): Promise<Decision | null> {
    this.check('getDecision');
    const d = this.decisions.get(id);
    return d ? structuredClone(d) : null;
  }

  /** Queued or applying decisions last touched before `olderThan`, oldest first. */
  async listUnfinishedDecisions(olderThan: Date): Promise<Decision[]> {
    this.check('listUnfinishedDecisions');
    return [...this.decisions.values()]
      .filter((d) => (d.status === 'queued' || d.status === 'applying') && d.updatedAt < olderThan)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((d) => structuredClone(d));
  }

  async updateDecision(id: string, patch: DecisionPatch): Promise<Decision> {
    this.check('updateDecision');
    const d = this.decisions.get(id);
    if (!d) throw decisionNotFound(id);
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) (d as unknown as Record<string, unknown>)[key] = value;
    }
    d.updatedAt = this.clock.now();
    return structuredClone(d);
  }

  /** A null `outcome` keeps the outcome already recorded. */
  async finishDecision(
    id: string,
    status: Extract<DecisionStatus, 'applied' | 'refused' | 'superseded' | 'failed'>,
    outcome: string | null,
    audit: AuditEntryInput,
  ): Promise<boolean> {
    this.check('finishDecision');
    const d = this.decisions.get(id);
    if (!d || finalDecisionStatuses.includes(d.status)) return false;
    d.status = status;
    d.outcome = outcome ?? d.outcome;
    d.updatedAt = this.clock.now();
    this.audit.appendNow(audit);
    return true;
  }

  /** Adding the same message twice is a no-op. */
  async addPostedMessage(caseId: string, ref: PostedMessageRef): Promise<void> {
    this.check('addPostedMessage');
    if (!this.cases.has(caseId)) throw caseNotFound(caseId);
    const same = (r: PostedMessageRef) =>
      r.platform === ref.platform && r.channelId === ref.channelId && r.messageId === ref.messageId;
    if (this.posted.some((p) => same(p.ref))) return;
    this.posted.push({ caseId, ref: json(ref) });
  }

  async listPostedMessages(caseId: string): Promise<PostedMessageRef[]> {
    this.check('listPostedMessages');
    return this.posted.filter((p) => p.caseId === caseId).map((p) => structuredClone(p.ref));
  }

  async getIdentity(
    platform: string,
    chatUserId: string,
  ): Promise<{ odooUserId: number; email: string; checkedAt: Date } | null> {
    this.check('getIdentity');
    const found = this.identities.get(`${platform}\n${chatUserId}`);
    return found ? structuredClone(found) : null;
  }

  async saveIdentity(platform: string, chatUserId: string, odooUserId: number, email: string): Promise<void> {
    this.check('saveIdentity');
    this.identities.set(`${platform}\n${chatUserId}`, { odooUserId, email, checkedAt: this.clock.now() });
  }

  async getCheckpoint(key: string): Promise<string | null> {
    this.check('getCheckpoint');
    return this.checkpoints.get(key) ?? null;
  }

  async setCheckpoint(key: string, value: string): Promise<void> {
    this.check('setCheckpoint');
    this.checkpoints.set(key, value);
  }

  async claimCheckpoint(key: string, value: string): Promise<boolean> {
    this.check('claimCheckpoint');
    if (this.checkpoints.has(key)) return false;
    this.checkpoints.set(key, value);
    return true;
  }

  async ping(): Promise<void> {
    this.check('ping');
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private check(method: keyof Store): void {
    if (this.closed)
      throw new AppError('store.unavailable', 'transient', `The in-memory store was closed before ${method}.`);
    const i = this.failures.findIndex((f) => f.method === method);
    const failure = this.failures[i];
    if (!failure) return;
    if (failure.skip > 0) {
      failure.skip -= 1;
      return;
    }
    this.failures.splice(i, 1);
    throw failure.error;
  }

  private active(flowId: string, odooModel: string, odooId: number): Case | undefined {
    return [...this.cases.values()].find(
      (c) =>
        c.flowId === flowId &&
        c.odooModel === odooModel &&
        c.odooId === odooId &&
        activeCaseStatuses.includes(c.status),
    );
  }

  private caseOrThrow(id: string): Case {
    const c = this.cases.get(id);
    if (!c) throw caseNotFound(id);
    return c;
  }
}
