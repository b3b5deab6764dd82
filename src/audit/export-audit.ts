import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { AuditLog } from '../flows/ports.js';
import type { AuditEntry } from '../flows/types.js';

export type AuditExportFormat = 'jsonl' | 'csv';

/** CSV columns, in order; `data` is the entry's JSON. */
export const auditCsvColumns = ['seq', 'at', 'type', 'case_id', 'actor', 'data', 'prev_hash', 'hash'] as const;

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function toJsonLine(entry: AuditEntry): string {
  return `${JSON.stringify({
    seq: entry.seq,
    at: entry.at.toISOString(),
    type: entry.type,
    caseId: entry.caseId,
    actor: entry.actor,
    data: entry.data,
    prevHash: entry.prevHash,
    hash: entry.hash,
  })}\n`;
}

function toCsvLine(entry: AuditEntry): string {
  const fields = [
    String(entry.seq),
    entry.at.toISOString(),
    entry.type,
    entry.caseId ?? '',
    entry.actor ?? '',
    JSON.stringify(entry.data),
    entry.prevHash,
    entry.hash,
  ];
  return `${fields.map(csvField).join(',')}\r\n`;
}

/**
 * Streams every entry to `out` (JSON Lines, or CSV with a header row),
 * respecting back-pressure, and returns how many entries were written. Does
 * not end `out`. An empty `case_id` or `actor` in CSV means null.
 */
export async function exportAudit(audit: AuditLog, format: AuditExportFormat, out: Writable): Promise<number> {
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  if (format === 'csv') await write(`${auditCsvColumns.join(',')}\r\n`);
  let count = 0;
  for await (const entry of audit.entries()) {
    await write(format === 'csv' ? toCsvLine(entry) : toJsonLine(entry));
    count += 1;
  }
  return count;
}
