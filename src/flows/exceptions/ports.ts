import type { PostedMessageRef } from '../types.js';
import type { ExceptionItem, ExceptionStatus } from './types.js';

/** What opening an exception needs; the store fills id, status, version and dates. */
export type NewException = Omit<
  ExceptionItem,
  'id' | 'status' | 'statusBeforeSnooze' | 'version' | 'createdAt' | 'updatedAt' | 'closedAt'
>;

/** Which exceptions `ExceptionStore.list` returns, and from where. */
export interface ExceptionListFilter {
  status?: ExceptionStatus[];
  definitionId?: string;
  limit?: number;
  /** The last exception of the previous page: the listing continues after it. */
  afterId?: string;
}

/**
 * Persistent exceptions. Implemented on PostgreSQL (`PgExceptionStore`) and
 * in memory for tests, with the same rules:
 * - an external exception is unique by `key` for ever (a repeated event is the same exception);
 * - an Odoo exception is unique per definition and record while active (open, assigned, snoozed).
 */
export interface ExceptionStore {
  /** Opens unless one exists for the key (external) or is active for the record (Odoo); then returns that one. */
  open(input: NewException): Promise<{ created: boolean; item: ExceptionItem }>;
  get(id: string): Promise<ExceptionItem | null>;
  findByKey(key: string): Promise<ExceptionItem | null>;
  findActive(definitionId: string, odooModel: string, odooId: number): Promise<ExceptionItem | null>;
  /** The most recent exception of this definition for the record, whatever its status. */
  findLatest(definitionId: string, odooModel: string, odooId: number): Promise<ExceptionItem | null>;
  /**
   * Oldest first (creation time, then a fixed tie-break), at most `limit`
   * (default 1000). `afterId` continues after that exception in the same
   * order (keyset paging); an unknown id gives nothing. Use
   * `eachExceptionPage` (flows/paged.ts) to read them all.
   */
  list(filter: ExceptionListFilter): Promise<ExceptionItem[]>;
  /**
   * Saves the mutable state if nobody saved since it was read (`item.version`);
   * returns the saved item with the next version, or null on a conflict.
   * Setting a final status (resolved, auto_closed) sets `closedAt`.
   */
  save(item: ExceptionItem): Promise<ExceptionItem | null>;
  addPostedMessage(exceptionId: string, ref: PostedMessageRef): Promise<void>;
  listPostedMessages(exceptionId: string): Promise<PostedMessageRef[]>;
}
