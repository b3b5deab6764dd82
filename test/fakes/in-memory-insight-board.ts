import type { CaseInsights, InsightBoard } from '../../src/flows/context-ports.js';
import { replacesInsights } from '../../src/flows/insight-version.js';

/**
 * The insight board in a Map, for unit tests; the same "later version wins"
 * rule as `PgInsightBoard` (test/integration/insight-board-contract.test.ts).
 * Copies in and out, as the JSON column does, so a caller cannot change what
 * another process would read.
 */
export class InMemoryInsightBoard implements InsightBoard {
  private readonly rows = new Map<string, CaseInsights>();

  async get(caseId: string): Promise<CaseInsights | null> {
    const row = this.rows.get(caseId);
    return row ? structuredClone(row) : null;
  }

  async put(caseId: string, insights: CaseInsights): Promise<void> {
    const current = this.rows.get(caseId);
    if (!current || replacesInsights(insights, current)) this.rows.set(caseId, structuredClone(insights));
  }
}
