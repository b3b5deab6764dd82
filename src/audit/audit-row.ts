import type { AuditEntry } from '../flows/types.js';

export interface AuditRow {
  seq: string | number;
  at: Date;
  type: string;
  case_id: string | null;
  actor: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export const auditColumns = 'seq, at, type, case_id, actor, data, prev_hash, hash';

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    type: row.type,
    caseId: row.case_id,
    actor: row.actor,
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
