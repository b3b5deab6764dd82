import type { CaseInsights, InsightBoard } from '../flows/context-ports.js';
import { LruCache } from './lru-cache.js';

/**
 * Insights per case, in the worker's memory. Chosen over a table because the
 * Case type cannot carry them and everything here can be rebuilt: facts from
 * Odoo, the AI draft from the summarizer's cache (or a new request) after a
 * restart. A web-only process (Teams refresh) shows flags but no AI draft.
 */
export class MemoryInsightBoard implements InsightBoard {
  private readonly cache: LruCache<CaseInsights>;
  constructor(max = 2000) {
    this.cache = new LruCache(max);
  }
  get(caseId: string): CaseInsights | null {
    return this.cache.get(caseId) ?? null;
  }
  put(caseId: string, insights: CaseInsights): void {
    this.cache.set(caseId, insights);
  }
}
