import type pg from 'pg';
import type { AuditLog } from '../flows/ports.js';
import type { AuditEntry, AuditEntryInput, AuditVerifyResult } from '../flows/types.js';
import { Database } from '../store/database.js';
import { defaultSchema, quoteSchema } from '../store/schema-name.js';
import { describeTarget } from '../store/store-errors.js';
import { appendAuditEntry } from './append-audit-entry.js';
import { auditHash, genesisHash } from './audit-hash.js';
import { type AuditRow, auditColumns, toAuditEntry } from './audit-row.js';

export interface PgAuditLogOptions {
  /** Schema of the `audit_log` table (the store's schema). */
  schema?: string;
  /** Rows per keyset page when reading; bounds memory for verify and export. */
  pageSize?: number;
  /** Clock for entry times; defaults to the system clock. */
  now?: () => Date;
}

/** The hash-chained audit log in the store's database (table `audit_log`). */
export class PgAuditLog implements AuditLog {
  private readonly db: Database;
  private readonly schema: string;
  private readonly table: string;
  private readonly pageSize: number;
  private readonly now: () => Date;

  constructor(pool: pg.Pool | Database, options: PgAuditLogOptions = {}) {
    this.db = pool instanceof Database ? pool : new Database(pool, describeTarget(pool.options.connectionString ?? ''));
    this.schema = options.schema ?? defaultSchema;
    this.table = `${quoteSchema(this.schema)}.audit_log`;
    this.pageSize = options.pageSize ?? 1000;
    this.now = options.now ?? (() => new Date());
  }

  append(entry: AuditEntryInput): Promise<AuditEntry> {
    return this.db.transaction('append to the audit log', (client) =>
      appendAuditEntry(client, entry, { schema: this.schema, at: this.now() }),
    );
  }

  async *entries(options: { caseId?: string; fromSeq?: number } = {}): AsyncIterable<AuditEntry> {
    let after = (options.fromSeq ?? 1) - 1;
    for (;;) {
      const values: unknown[] = [after, this.pageSize];
      let where = 'seq > $1';
      if (options.caseId !== undefined) {
        values.push(options.caseId);
        where += ' AND case_id = $3';
      }
      const page = await this.db.query<AuditRow>(
        'read the audit log',
        `SELECT ${auditColumns} FROM ${this.table} WHERE ${where} ORDER BY seq LIMIT $2`,
        values,
      );
      for (const row of page.rows) yield toAuditEntry(row);
      if (page.rows.length < this.pageSize) return;
      after = Number(page.rows[page.rows.length - 1]!.seq);
    }
  }

  /**
   * Walks the whole chain in seq order, one page in memory at a time, and
   * reports the first entry that does not follow from the one before it.
   */
  async verify(): Promise<AuditVerifyResult> {
    let expectedSeq = 1;
    let prevHash = genesisHash;
    let count = 0;
    for await (const entry of this.entries()) {
      if (entry.seq !== expectedSeq) {
        return {
          ok: false,
          count,
          brokenAt: expectedSeq,
          reason: `gap in seq: expected entry ${expectedSeq} but the next entry is ${entry.seq}; entries ${expectedSeq}..${entry.seq - 1} are missing`,
        };
      }
      if (entry.prevHash !== prevHash) {
        return {
          ok: false,
          count,
          brokenAt: entry.seq,
          reason: `prev_hash mismatch at entry ${entry.seq}: it names ${entry.prevHash} but entry ${entry.seq - 1} hashes to ${prevHash}`,
        };
      }
      const recomputed = auditHash(prevHash, entry);
      if (recomputed !== entry.hash) {
        return {
          ok: false,
          count,
          brokenAt: entry.seq,
          reason: `hash mismatch at entry ${entry.seq}: its content hashes to ${recomputed} but ${entry.hash} is stored, so the entry was changed after it was written`,
        };
      }
      prevHash = entry.hash;
      expectedSeq += 1;
      count += 1;
    }
    return { ok: true, count, head: prevHash };
  }
}
