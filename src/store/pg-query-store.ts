import { type AuditRow, auditColumns, toAuditEntry } from '../audit/audit-row.js';
import type { QueryStore } from '../flows/queries/ports.js';
import type { AuditEntry, Case } from '../flows/types.js';
import type { Database } from './database.js';
import { type CaseRow, caseColumns, toCase } from './rows.js';
import { defaultSchema, quoteSchema } from './schema-name.js';

/** Statuses in which a case waits for a person (not `deciding`: then the worker is busy with it). */
const WAITING = ['open', 'info_requested'];

/** Read-only SQL over the store's `cases` and `audit_log` tables for `/odoo status`, `pending` and `sla`. */
export class PgQueryStore implements QueryStore {
  private readonly cases: string;
  private readonly audit: string;

  constructor(
    private readonly db: Database,
    options: { schema?: string } = {},
  ) {
    const s = quoteSchema(options.schema ?? defaultSchema);
    this.cases = `${s}.cases`;
    this.audit = `${s}.audit_log`;
  }

  async casesByReference(reference: string, limit = 20, offset = 0): Promise<Case[]> {
    const r = await this.db.query<CaseRow>(
      'find cases by reference',
      `SELECT ${caseColumns} FROM ${this.cases} WHERE lower(snapshot->>'reference') = lower($1)
       ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [reference, limit, offset],
    );
    return r.rows.map(toCase);
  }

  async recentReferences(limit: number): Promise<Array<{ caseId: string; reference: string }>> {
    const r = await this.db.query<{ id: string; reference: string }>(
      'list case references',
      `SELECT id, snapshot->>'reference' AS reference FROM ${this.cases}
       WHERE snapshot->>'reference' IS NOT NULL ORDER BY created_at DESC, id LIMIT $1`,
      [limit],
    );
    return r.rows.map((row) => ({ caseId: row.id, reference: row.reference }));
  }

  async waitingCases(filter: { flowId?: string | undefined }): Promise<Case[]> {
    const r = await this.db.query<CaseRow>(
      'list waiting cases',
      `SELECT ${caseColumns} FROM ${this.cases} WHERE status = ANY($1::text[]) AND ($2::text IS NULL OR flow_id = $2)
       ORDER BY created_at, id`,
      [WAITING, filter.flowId ?? null],
    );
    return r.rows.map(toCase);
  }

  async casesOpenedSince(since: Date, filter: { flowId?: string | undefined }): Promise<Case[]> {
    const r = await this.db.query<CaseRow>(
      'list cases opened in a period',
      `SELECT ${caseColumns} FROM ${this.cases} WHERE created_at >= $1 AND ($2::text IS NULL OR flow_id = $2)
       ORDER BY created_at, id`,
      [since, filter.flowId ?? null],
    );
    return r.rows.map(toCase);
  }

  async lastCaseEvents(caseId: string, limit: number): Promise<AuditEntry[]> {
    const r = await this.db.query<AuditRow>(
      'read the audit events of a case',
      `SELECT ${auditColumns} FROM ${this.audit} WHERE case_id = $1 ORDER BY seq DESC LIMIT $2`,
      [caseId, limit],
    );
    return r.rows.map(toAuditEntry).reverse();
  }

  async eventsSince(since: Date, types: string[]): Promise<AuditEntry[]> {
    const r = await this.db.query<AuditRow>(
      'read audit events of a period',
      `SELECT ${auditColumns} FROM ${this.audit} WHERE at >= $1 AND type = ANY($2::text[]) ORDER BY seq`,
      [since, types],
    );
    return r.rows.map(toAuditEntry);
  }
}
