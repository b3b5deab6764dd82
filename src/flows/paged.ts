import type { ExceptionListFilter, ExceptionStore } from './exceptions/ports.js';
import type { ExceptionItem } from './exceptions/types.js';
import type { CaseListFilter, DocumentSource, Logger, Store } from './ports.js';
import type { Case, Domain } from './types.js';

/**
 * Rows per page when a use case walks a whole listing (reconciler, digests,
 * pollers): small enough to keep memory and one query short, large enough
 * that 5,000 open cases are ten queries.
 */
export const PAGE_SIZE = 500;

/**
 * Every row a keyset listing returns, one page at a time: each page starts
 * after the last id of the previous one, so nothing is capped and a row
 * changing status while we walk neither repeats nor shifts the pages.
 */
export async function* pagesOf<T extends { id: string }>(
  list: (afterId: string | undefined, limit: number) => Promise<T[]>,
  size = PAGE_SIZE,
): AsyncGenerator<T[]> {
  let afterId: string | undefined;
  for (;;) {
    const page = await list(afterId, size);
    if (page.length > 0) yield page;
    if (page.length < size) return;
    afterId = page[page.length - 1]!.id;
  }
}

/** Every case matching the filter (its `limit` is the page size), oldest first, page by page. */
export function eachCasePage(
  store: Pick<Store, 'listCases'>,
  filter: Omit<CaseListFilter, 'afterId'>,
): AsyncGenerator<Case[]> {
  const { limit, ...rest } = filter;
  return pagesOf((afterId, size) => store.listCases({ ...rest, limit: size, ...(afterId ? { afterId } : {}) }), limit);
}

/** Every exception matching the filter (its `limit` is the page size), oldest first, page by page. */
export function eachExceptionPage(
  store: Pick<ExceptionStore, 'list'>,
  filter: Omit<ExceptionListFilter, 'afterId'>,
): AsyncGenerator<ExceptionItem[]> {
  const { limit, ...rest } = filter;
  return pagesOf((afterId, size) => store.list({ ...rest, limit: size, ...(afterId ? { afterId } : {}) }), limit);
}

/** All rows of a paged listing in one array, for callers that need the whole set (sorting, counting). */
export async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

/** Odoo records per page when a poller walks a domain: one `search_read` of ids and dates. */
export const RECORD_PAGE = 500;

/**
 * Pages one poll reads at most (10,000 records); the walk stops at a page
 * boundary and the next poll continues from there, so a huge backlog neither
 * holds the poll job for minutes nor is cut off.
 */
export const RECORD_PAGES_PER_POLL = 20;

export interface RecordWalk {
  model: string;
  domain: Domain;
  /** Only records changed at or after this instant (null: any time). */
  since: Date | null;
  /** Continue after this id (0: from the first record). */
  afterId: number;
  /** For the progress log: `purchase.order records for flow purchase-orders`. */
  what: string;
}

/**
 * Reads every record matching the walk's domain in id order, a page at a
 * time, handing each page to `onPage`, until a short page (`done`) or
 * RECORD_PAGES_PER_POLL pages; `afterId` is where the next poll continues.
 * Long walks log their progress at info.
 */
export async function walkRecords(
  deps: { documents: Pick<DocumentSource, 'changedSince'>; log: Pick<Logger, 'info'> },
  walk: RecordWalk,
  onPage: (rows: Array<{ id: number; writeDate: Date | null }>) => Promise<void>,
  limits: { pageSize?: number; maxPages?: number } = {},
): Promise<{ read: number; afterId: number; done: boolean }> {
  const size = limits.pageSize ?? RECORD_PAGE;
  const maxPages = limits.maxPages ?? RECORD_PAGES_PER_POLL;
  let { afterId } = walk;
  let read = 0;
  for (let page = 0; page < maxPages; page++) {
    const rows = await deps.documents.changedSince(walk.model, walk.domain, walk.since, { afterId, limit: size });
    if (rows.length) await onPage(rows);
    read += rows.length;
    if (rows.length < size) return { read, afterId: 0, done: true };
    afterId = rows[rows.length - 1]!.id;
    deps.log.info({ odooModel: walk.model, read, afterId }, `polled ${count(read)} ${walk.what} so far`);
  }
  deps.log.info(
    { odooModel: walk.model, read, afterId },
    `polled ${count(read)} ${walk.what}, the most one poll reads; the next poll continues after id ${afterId}`,
  );
  return { read, afterId, done: false };
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
