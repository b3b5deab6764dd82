import { auditHash, genesisHash } from '../../src/audit/audit-hash.js';
import type { AuditLog, Clock } from '../../src/flows/ports.js';
import type { AuditEntry, AuditEntryInput, AuditVerifyResult } from '../../src/flows/types.js';

const systemClock: Clock = { now: () => new Date() };

/** The hash-chained audit log in memory, hashing exactly like `PgAuditLog`. */
export class InMemoryAuditLog implements AuditLog {
  private readonly log: AuditEntry[] = [];

  constructor(private readonly clock: Clock = systemClock) {}

  async append(entry: AuditEntryInput): Promise<AuditEntry> {
    return this.appendNow(entry);
  }

  /** Synchronous append, so `InMemoryStore.finishDecision` can write it in the same step. */
  appendNow(entry: AuditEntryInput): AuditEntry {
    const last = this.log[this.log.length - 1];
    const seq = last ? last.seq + 1 : 1;
    const prevHash = last ? last.hash : genesisHash;
    const at = new Date(Math.floor(this.clock.now().getTime()));
    // Hash what jsonb would give back: the JSON round trip of the input.
    const data = JSON.parse(JSON.stringify(entry.data ?? {})) as Record<string, unknown>;
    const fields = { seq, at, type: entry.type, caseId: entry.caseId ?? null, actor: entry.actor ?? null, data };
    const stored: AuditEntry = { ...fields, prevHash, hash: auditHash(prevHash, fields) };
    this.log.push(stored);
    return structuredClone(stored);
  }

  async *entries(options: { caseId?: string; fromSeq?: number } = {}): AsyncIterable<AuditEntry> {
    for (const entry of this.list(options)) yield entry;
  }

  /** Entries in order, as an array, for assertions. */
  list(options: { caseId?: string; fromSeq?: number; type?: string } = {}): AuditEntry[] {
    return this.log
      .filter(
        (e) =>
          e.seq >= (options.fromSeq ?? 1) &&
          (options.caseId === undefined || e.caseId === options.caseId) &&
          (options.type === undefined || e.type === options.type),
      )
      .map((e) => structuredClone(e));
  }

  /** Test hook: changes a stored entry in place, the way a tamperer would. */
  tamper(seq: number, change: (entry: AuditEntry) => void): void {
    const entry = this.log.find((e) => e.seq === seq);
    if (!entry) throw new Error(`no audit entry ${seq} to tamper with`);
    change(entry);
  }

  async verify(): Promise<AuditVerifyResult> {
    let prevHash = genesisHash;
    let count = 0;
    for (const entry of this.log) {
      const expected = count + 1;
      if (entry.seq !== expected)
        return { ok: false, count, brokenAt: expected, reason: `gap in seq: expected ${expected}, found ${entry.seq}` };
      if (entry.prevHash !== prevHash)
        return { ok: false, count, brokenAt: entry.seq, reason: `prev_hash mismatch at entry ${entry.seq}` };
      const recomputed = auditHash(prevHash, entry);
      if (recomputed !== entry.hash)
        return { ok: false, count, brokenAt: entry.seq, reason: `hash mismatch at entry ${entry.seq}` };
      prevHash = entry.hash;
      count += 1;
    }
    return { ok: true, count, head: prevHash };
  }
}
