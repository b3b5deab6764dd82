import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { AppError } from '../errors.js';
import type { CaseListFilter, Logger, NewCase, NewDecision, NewDelegation, Store } from '../flows/ports.js';
import type {
  AuditEntryInput,
  Case,
  CaseStatus,
  Decision,
  DecisionStatus,
  Delegation,
  PostedMessageRef,
} from '../flows/types.js';
import { activeCaseStatuses, closedCaseStatuses, initialTiers, noTimers } from './case-lifecycle.js';
import { Database } from './database.js';
import { migrate } from './migrate.js';
import { PgDecisions } from './pg-decisions.js';
import { PgDelegations } from './pg-delegations.js';
import { type CaseRow, caseColumns, type PostedMessageRow, toCase, toPostedMessage } from './rows.js';
import { defaultSchema, quoteSchema } from './schema-name.js';
import { caseFilterSql, type DecisionPatch } from './sql-fragments.js';
import { caseNotFound, describeTarget, isUuid, storeErrorCodes, toStoreError } from './store-errors.js';

/** The SQL list of active statuses; the same as the `cases_one_active` index predicate (migration 003). */
const activeStatusList = activeCaseStatuses.map((s) => `'${s}'`).join(', ');

export interface PgStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  logger?: Logger;
  /** Schema for every table (default `chatops`); tests isolate themselves with their own. */
  schema?: string;
  /** Clock for audit entry times; defaults to the system clock. */
  now?: () => Date;
}

/** The store on PostgreSQL (or the embedded PGlite server), through `pg`. */
export class PgStore implements Store {
  readonly schema: string;
  private readonly t: { cases: string; decisions: string; posted: string; identities: string; checkpoints: string };
  private readonly decisions: PgDecisions;
  private readonly delegations: PgDelegations;
  private closed = false;

  private constructor(
    readonly db: Database,
    private readonly options: PgStoreOptions,
  ) {
    this.schema = options.schema ?? defaultSchema;
    const s = quoteSchema(this.schema);
    this.t = {
      cases: `${s}.cases`,
      decisions: `${s}.decisions`,
      posted: `${s}.posted_messages`,
      identities: `${s}.identities`,
      checkpoints: `${s}.checkpoints`,
    };
    this.decisions = new PgDecisions(db, this.t, this.schema, () => this.now());
    this.delegations = new PgDelegations(db, `${s}.delegations`);
  }

  /** Connects, runs pending migrations and returns a ready store. */
  static async connect(connectionString: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const target = describeTarget(connectionString);
    const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000 });
    // An idle client losing its connection must not crash the process; the next query reports it.
    pool.on('error', (err) => options.logger?.warn({ err, target }, 'idle database connection failed'));
    const store = new PgStore(new Database(pool, target), options);
    try {
      await migrate(store.db, { schema: store.schema, logger: options.logger });
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw toStoreError(err, target, 'connect and migrate');
    }
    return store;
  }

  /** The pool, for adapters that share the database (audit log, queue). */
  get pool(): pg.Pool {
    return this.db.pool;
  }

  async openCase(input: NewCase): Promise<{ created: boolean; case: Case }> {
    // The partial unique index allows one active case per record; the loop
    // covers the rare race where the conflicting case closes between our
    // INSERT and SELECT. The ON CONFLICT predicate must match the index's.
    const tiers = initialTiers(input, this.now());
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await this.db.transaction('open a case', async (client) => {
        const inserted = await client.query<CaseRow>(
          `INSERT INTO ${this.t.cases}
             (id, flow_id, odoo_model, odoo_id, status, snapshot, requester_ids, approvers, tiers, current_tier, timers)
           VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, 0, $9)
           ON CONFLICT (flow_id, odoo_model, odoo_id) WHERE status IN (${activeStatusList}) DO NOTHING
           RETURNING ${caseColumns}`,
          [
            randomUUID(),
            input.flowId,
            input.odooModel,
            input.odooId,
            JSON.stringify(input.snapshot),
            input.requesterIds,
            JSON.stringify(input.approvers),
            JSON.stringify(tiers),
            JSON.stringify(input.timers ?? noTimers()),
          ],
        );
        if (inserted.rows[0]) return { created: true, case: toCase(inserted.rows[0]) };
        const existing = await client.query<CaseRow>(this.activeCaseSql(), [
          input.flowId,
          input.odooModel,
          input.odooId,
        ]);
        return existing.rows[0] ? { created: false, case: toCase(existing.rows[0]) } : null;
      });
      if (result) return result;
    }
    throw new AppError(
      storeErrorCodes.retry,
      'transient',
      `Could not open a case for ${input.odooModel} ${input.odooId}: another case for it kept opening and closing; try again.`,
    );
  }

  async getCase(id: string): Promise<Case | null> {
    if (!isUuid(id)) return null;
    const r = await this.db.query<CaseRow>('read a case', `SELECT ${caseColumns} FROM ${this.t.cases} WHERE id = $1`, [
      id,
    ]);
    return r.rows[0] ? toCase(r.rows[0]) : null;
  }

  async findActiveCase(flowId: string, odooModel: string, odooId: number): Promise<Case | null> {
    const r = await this.db.query<CaseRow>('find an active case', this.activeCaseSql(), [flowId, odooModel, odooId]);
    return r.rows[0] ? toCase(r.rows[0]) : null;
  }

  async findLatestCase(flowId: string, odooModel: string, odooId: number): Promise<Case | null> {
    const r = await this.db.query<CaseRow>(
      'find the latest case',
      `SELECT ${caseColumns} FROM ${this.t.cases} WHERE flow_id = $1 AND odoo_model = $2 AND odoo_id = $3 ORDER BY created_at DESC LIMIT 1`,
      [flowId, odooModel, odooId],
    );
    return r.rows[0] ? toCase(r.rows[0]) : null;
  }

  /**
   * Oldest first; `limit` defaults to 100. `afterId` compares against the
   * stored `(created_at, id)` of that case in SQL: a JS Date has only
   * milliseconds, so a cursor carried through JS would repeat rows.
   */
  async listCases(filter: CaseListFilter): Promise<Case[]> {
    if (filter.afterId !== undefined && !isUuid(filter.afterId)) return [];
    const values: unknown[] = [];
    let where = caseFilterSql(filter, values);
    if (filter.afterId !== undefined) {
      values.push(filter.afterId);
      const after = `(created_at, id) > (SELECT created_at, id FROM ${this.t.cases} WHERE id = $${values.length})`;
      where = where ? `${where} AND ${after}` : `WHERE ${after}`;
    }
    values.push(filter.limit ?? 100);
    const r = await this.db.query<CaseRow>(
      'list cases',
      `SELECT ${caseColumns} FROM ${this.t.cases} ${where}
       ORDER BY created_at, id LIMIT $${values.length}`,
      values,
    );
    return r.rows.map(toCase);
  }

  async updateCaseSnapshot(id: string, snapshot: Case['snapshot']): Promise<void> {
    if (!isUuid(id)) throw caseNotFound(id);
    const r = await this.db.query(
      'update a case snapshot',
      `UPDATE ${this.t.cases} SET snapshot = $2, updated_at = now(), version = version + 1 WHERE id = $1`,
      [id, JSON.stringify(snapshot)],
    );
    if (r.rowCount === 0) throw caseNotFound(id);
  }

  async claimCase(caseId: string, decisionId: string): Promise<boolean> {
    if (!isUuid(caseId) || !isUuid(decisionId)) return false;
    const r = await this.db.query(
      'claim a case',
      `UPDATE ${this.t.cases} SET status = 'deciding', decision_id = $2, updated_at = now(), version = version + 1
       WHERE id = $1 AND status = 'open' RETURNING id`,
      [caseId, decisionId],
    );
    return r.rowCount === 1;
  }

  /** Final statuses set `closed_at` (once); going back to an active status clears it. */
  async setCaseStatus(caseId: string, status: CaseStatus): Promise<void> {
    if (!isUuid(caseId)) throw caseNotFound(caseId);
    const r = await this.db.query(
      'set a case status',
      `UPDATE ${this.t.cases} SET status = $2, updated_at = now(), version = version + 1,
         closed_at = CASE WHEN $2 = ANY($3::text[]) THEN COALESCE(closed_at, now()) ELSE NULL END
       WHERE id = $1`,
      [caseId, status, closedCaseStatuses],
    );
    if (r.rowCount === 0) throw caseNotFound(caseId);
  }

  /** `requesterIds` and the identity columns never change; `closed_at` follows `setCaseStatus`'s rule. */
  async saveCase(c: Case): Promise<Case | null> {
    if (!isUuid(c.id)) return null;
    const r = await this.db.query<CaseRow>(
      'save a case',
      `UPDATE ${this.t.cases} SET status = $2, snapshot = $3, approvers = $4, tiers = $5, current_tier = $6,
         timers = $7, info_requests = $8, decision_id = $9, updated_at = now(), version = version + 1,
         closed_at = CASE WHEN $2 = ANY($10::text[]) THEN COALESCE(closed_at, now()) ELSE NULL END
       WHERE id = $1 AND version = $11 RETURNING ${caseColumns}`,
      [
        c.id,
        c.status,
        JSON.stringify(c.snapshot),
        JSON.stringify(c.approvers),
        JSON.stringify(c.tiers),
        c.currentTier,
        JSON.stringify(c.timers),
        JSON.stringify(c.infoRequests),
        c.decisionId,
        closedCaseStatuses,
        c.version,
      ],
    );
    return r.rows[0] ? toCase(r.rows[0]) : null;
  }

  addDelegation(input: NewDelegation): Promise<Delegation> {
    return this.delegations.add(input);
  }

  endDelegations(fromOdooUserId: number, at: Date): Promise<number> {
    return this.delegations.end(fromOdooUserId, at);
  }

  listDelegations(filter: { activeAt: Date; fromOdooUserId?: number }): Promise<Delegation[]> {
    return this.delegations.list(filter);
  }

  recordDecision(input: NewDecision): Promise<{ created: boolean; decision: Decision }> {
    return this.decisions.recordDecision(input);
  }

  getDecision(id: string): Promise<Decision | null> {
    return this.decisions.getDecision(id);
  }

  listUnfinishedDecisions(olderThan: Date): Promise<Decision[]> {
    return this.decisions.listUnfinishedDecisions(olderThan);
  }

  updateDecision(id: string, patch: DecisionPatch): Promise<Decision> {
    return this.decisions.updateDecision(id, patch);
  }

  finishDecision(
    id: string,
    status: Extract<DecisionStatus, 'applied' | 'refused' | 'superseded' | 'failed'>,
    outcome: string | null,
    audit: AuditEntryInput,
  ): Promise<boolean> {
    return this.decisions.finishDecision(id, status, outcome, audit);
  }

  /** Adding the same message twice is a no-op. */
  async addPostedMessage(caseId: string, ref: PostedMessageRef): Promise<void> {
    if (!isUuid(caseId)) throw caseNotFound(caseId);
    await this.db
      .query(
        'remember a posted message',
        `INSERT INTO ${this.t.posted} (case_id, platform, channel_id, message_id, kind, recipient)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (platform, channel_id, message_id) DO NOTHING`,
        [caseId, ref.platform, ref.channelId, ref.messageId, ref.kind, ref.recipient ?? null],
      )
      .catch((err: unknown) => {
        throw (err as AppError).details?.sqlState === '23503' ? caseNotFound(caseId) : err;
      });
  }

  async listPostedMessages(caseId: string): Promise<PostedMessageRef[]> {
    if (!isUuid(caseId)) return [];
    const r = await this.db.query<PostedMessageRow>(
      'list posted messages',
      `SELECT platform, channel_id, message_id, kind, recipient FROM ${this.t.posted} WHERE case_id = $1 ORDER BY id`,
      [caseId],
    );
    return r.rows.map(toPostedMessage);
  }

  async getIdentity(
    platform: string,
    chatUserId: string,
  ): Promise<{ odooUserId: number; email: string; checkedAt: Date } | null> {
    const r = await this.db.query<{ odoo_user_id: number; email: string; checked_at: Date }>(
      'read an identity link',
      `SELECT odoo_user_id, email, checked_at FROM ${this.t.identities} WHERE platform = $1 AND chat_user_id = $2`,
      [platform, chatUserId],
    );
    const row = r.rows[0];
    return row ? { odooUserId: row.odoo_user_id, email: row.email, checkedAt: row.checked_at } : null;
  }

  async saveIdentity(platform: string, chatUserId: string, odooUserId: number, email: string): Promise<void> {
    await this.db.query(
      'save an identity link',
      `INSERT INTO ${this.t.identities} (platform, chat_user_id, odoo_user_id, email, checked_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (platform, chat_user_id)
       DO UPDATE SET odoo_user_id = EXCLUDED.odoo_user_id, email = EXCLUDED.email, checked_at = now()`,
      [platform, chatUserId, odooUserId, email],
    );
  }

  async getCheckpoint(key: string): Promise<string | null> {
    const r = await this.db.query<{ value: string }>(
      'read a checkpoint',
      `SELECT value FROM ${this.t.checkpoints} WHERE key = $1`,
      [key],
    );
    return r.rows[0]?.value ?? null;
  }

  async setCheckpoint(key: string, value: string): Promise<void> {
    await this.db.query(
      'save a checkpoint',
      `INSERT INTO ${this.t.checkpoints} (key, value, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [key, value],
    );
  }

  async claimCheckpoint(key: string, value: string): Promise<boolean> {
    const r = await this.db.query<{ key: string }>(
      'claim a checkpoint',
      `INSERT INTO ${this.t.checkpoints} (key, value, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, value],
    );
    return r.rows.length === 1;
  }

  async ping(): Promise<void> {
    await this.db.query('check the database', 'SELECT 1');
  }

  /** Ends the pool; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.pool.end();
  }

  private activeCaseSql(): string {
    return `SELECT ${caseColumns} FROM ${this.t.cases}
            WHERE flow_id = $1 AND odoo_model = $2 AND odoo_id = $3 AND status IN (${activeStatusList})`;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
