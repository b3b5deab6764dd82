import type { ExceptionListFilter, ExceptionStore } from './exceptions/ports.js';
import type { ExceptionItem } from './exceptions/types.js';
import type { CaseListFilter, Store } from './ports.js';
import type { Case } from './types.js';

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
