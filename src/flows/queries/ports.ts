import type { AuditEntry, Case } from '../types.js';

/**
 * Read-only questions about cases and the audit log for the `/odoo status`,
 * `pending` and `sla` commands. Kept apart from `Store` so answering a
 * question can never change a case; implemented in SQL (`PgQueryStore`) and
 * over the in-memory fakes for tests.
 */
export interface QueryStore {
  /**
   * Cases whose reference is `reference` (case-insensitive), newest first; `offset` skips that many,
   * so a document re-submitted many times can be read a page at a time.
   */
  casesByReference(reference: string, limit?: number, offset?: number): Promise<Case[]>;
  /** Ids and references of the most recent cases, newest first, for "did you mean" suggestions. */
  recentReferences(limit: number): Promise<Array<{ caseId: string; reference: string }>>;
  /** Cases waiting for someone (`open`, `info_requested`), oldest first. */
  waitingCases(filter: { flowId?: string | undefined }): Promise<Case[]>;
  /** Cases opened at or after `since`, oldest first. */
  casesOpenedSince(since: Date, filter: { flowId?: string | undefined }): Promise<Case[]>;
  /** The last `limit` audit entries of a case, oldest of them first. */
  lastCaseEvents(caseId: string, limit: number): Promise<AuditEntry[]>;
  /** Audit entries of these types written at or after `since`, in order. */
  eventsSince(since: Date, types: string[]): Promise<AuditEntry[]>;
}
