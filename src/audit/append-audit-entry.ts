import type pg from 'pg';
import type { AuditEntry, AuditEntryInput } from '../flows/types.js';
import { defaultSchema, quoteSchema } from '../store/schema-name.js';
import { auditHash, genesisHash } from './audit-hash.js';
import { type AuditRow, auditColumns, toAuditEntry } from './audit-row.js';

/** First half of the advisory lock that serialises appends; the second is hashtext(schema). */
export const auditLockKey = 0x61756474; // 'audt'

export interface AppendAuditOptions {
  schema?: string;
  /** Time of the entry; defaults to now. Stored and hashed with millisecond precision. */
  at?: Date;
}

/**
 * Appends one entry to the hash chain using `client`, which MUST be inside a
 * transaction (BEGIN … COMMIT): the advisory lock is held until it ends, so
 * the entry and whatever the caller changed with it commit together or not
 * at all, and no two appends read the same chain head.
 */
export async function appendAuditEntry(
  client: pg.ClientBase,
  entry: AuditEntryInput,
  options: AppendAuditOptions = {},
): Promise<AuditEntry> {
  const schema = options.schema ?? defaultSchema;
  const s = quoteSchema(schema);
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [auditLockKey, schema]);
  const head = await client.query<{ seq: string; hash: string }>(
    `SELECT seq, hash FROM ${s}.audit_log ORDER BY seq DESC LIMIT 1`,
  );
  const last = head.rows[0];
  const seq = last ? Number(last.seq) + 1 : 1;
  const prevHash = last ? last.hash : genesisHash;
  const at = new Date(Math.floor((options.at ?? new Date()).getTime()));
  // Hash what jsonb will give back: the JSON round trip of the input.
  const data = JSON.parse(JSON.stringify(entry.data ?? {})) as Record<string, unknown>;
  const fields = { seq, at, type: entry.type, caseId: entry.caseId ?? null, actor: entry.actor ?? null, data };
  const hash = auditHash(prevHash, fields);
  const inserted = await client.query<AuditRow>(
    `INSERT INTO ${s}.audit_log (${auditColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${auditColumns}`,
    [seq, at, fields.type, fields.caseId, fields.actor, JSON.stringify(data), prevHash, hash],
  );
  return toAuditEntry(inserted.rows[0]!);
}
