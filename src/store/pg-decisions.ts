import { randomUUID } from 'node:crypto';
import { appendAuditEntry } from '../audit/append-audit-entry.js';
import type { NewDecision } from '../flows/ports.js';
import type { AuditEntryInput, Decision, DecisionStatus } from '../flows/types.js';
import type { Database } from './database.js';
import { type DecisionRow, decisionColumns, toDecision } from './rows.js';
import { type DecisionPatch, decisionPatchSql, finalDecisionStatuses } from './sql-fragments.js';
import { caseNotFound, decisionNotFound, isUuid } from './store-errors.js';

/** Decisions in PostgreSQL, for `PgStore`: one per click, finished once, with its audit entry. */
export class PgDecisions {
  constructor(
    private readonly db: Database,
    /** Quoted table names. */
    private readonly t: { cases: string; decisions: string },
    /** Unquoted schema, for the audit log appended with a finished decision. */
    private readonly schema: string,
    private readonly now: () => Date,
  ) {}

  async recordDecision(input: NewDecision): Promise<{ created: boolean; decision: Decision }> {
    if (!isUuid(input.caseId)) throw caseNotFound(input.caseId);
    return this.db.transaction('record a decision', async (client) => {
      const inserted = await client.query<DecisionRow>(
        `INSERT INTO ${this.t.decisions}
           (id, case_id, idempotency_key, action, actor, reason, card_write_date, tier, status)
         SELECT $1, c.id, $3, $4, $5, $6, $7, $8, 'queued' FROM ${this.t.cases} c WHERE c.id = $2
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING ${decisionColumns}`,
        [
          randomUUID(),
          input.caseId,
          input.idempotencyKey,
          input.action,
          JSON.stringify(input.actor),
          input.reason,
          input.cardWriteDate,
          input.tier ?? null,
        ],
      );
      if (inserted.rows[0]) return { created: true, decision: toDecision(inserted.rows[0]) };
      const existing = await client.query<DecisionRow>(
        `SELECT ${decisionColumns} FROM ${this.t.decisions} WHERE idempotency_key = $1`,
        [input.idempotencyKey],
      );
      if (!existing.rows[0]) throw caseNotFound(input.caseId);
      return { created: false, decision: toDecision(existing.rows[0]) };
    });
  }

  async getDecision(id: string): Promise<Decision | null> {
    if (!isUuid(id)) return null;
    const r = await this.db.query<DecisionRow>(
      'read a decision',
      `SELECT ${decisionColumns} FROM ${this.t.decisions} WHERE id = $1`,
      [id],
    );
    return r.rows[0] ? toDecision(r.rows[0]) : null;
  }

  /** Queued or applying decisions last touched before `olderThan`, oldest first. */
  async listUnfinishedDecisions(olderThan: Date): Promise<Decision[]> {
    const r = await this.db.query<DecisionRow>(
      'list unfinished decisions',
      `SELECT ${decisionColumns} FROM ${this.t.decisions}
       WHERE status IN ('queued', 'applying') AND updated_at < $1 ORDER BY created_at, id`,
      [olderThan],
    );
    return r.rows.map(toDecision);
  }

  async updateDecision(id: string, patch: DecisionPatch): Promise<Decision> {
    if (!isUuid(id)) throw decisionNotFound(id);
    const values: unknown[] = [id];
    const sets = decisionPatchSql(patch, values);
    const r = await this.db.query<DecisionRow>(
      'update a decision',
      `UPDATE ${this.t.decisions} SET ${sets} WHERE id = $1 RETURNING ${decisionColumns}`,
      values,
    );
    if (!r.rows[0]) throw decisionNotFound(id);
    return toDecision(r.rows[0]);
  }

  /** A null `outcome` keeps the outcome already recorded. */
  async finishDecision(
    id: string,
    status: Extract<DecisionStatus, 'applied' | 'refused' | 'superseded' | 'failed'>,
    outcome: string | null,
    audit: AuditEntryInput,
  ): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.db.transaction('finish a decision', async (client) => {
      const r = await client.query(
        `UPDATE ${this.t.decisions} SET status = $2, outcome = COALESCE($3, outcome), updated_at = now()
         WHERE id = $1 AND status <> ALL($4::text[]) RETURNING id`,
        [id, status, outcome, finalDecisionStatuses],
      );
      if (r.rowCount !== 1) return false;
      await appendAuditEntry(client, audit, { schema: this.schema, at: this.now() });
      return true;
    });
  }
}
