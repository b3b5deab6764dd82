import type { CaseInsights, InsightBoard } from '../flows/context-ports.js';
import { writeDateInstant } from '../flows/insight-version.js';
import type { Database } from './database.js';
import { defaultSchema, quoteSchema } from './schema-name.js';
import { isUuid } from './store-errors.js';

/**
 * `InsightBoard` on the store's `case_insights` table (migration 6), on
 * PostgreSQL or the embedded PGlite. Every web and worker process reads the
 * same row, so a Teams refresh in a `web` process shows the draft a worker
 * accepted, and a restart finds it without asking the provider again.
 *
 * One row per case, replaced in place, so the table grows with `cases` and no
 * faster. The upsert's WHERE is `replacesInsights` (src/flows/insight-version.ts)
 * in SQL: it runs under the row lock, so of two racing puts the later record
 * version wins whatever order they commit in.
 */
export class PgInsightBoard implements InsightBoard {
  private readonly table: string;

  constructor(
    private readonly db: Database,
    options: { schema?: string } = {},
  ) {
    this.table = `${quoteSchema(options.schema ?? defaultSchema)}.case_insights`;
  }

  async get(caseId: string): Promise<CaseInsights | null> {
    if (!isUuid(caseId)) return null;
    const r = await this.db.query<{ data: CaseInsights }>(
      'read the risk flags and AI draft of a case',
      `SELECT data FROM ${this.table} WHERE case_id = $1`,
      [caseId],
    );
    return r.rows[0]?.data ?? null;
  }

  async put(caseId: string, insights: CaseInsights): Promise<void> {
    const instant = writeDateInstant(insights.writeDate);
    await this.db.query(
      'save the risk flags and AI draft of a case',
      `INSERT INTO ${this.table} AS t (case_id, write_date, data) VALUES ($1, $2, $3)
       ON CONFLICT (case_id) DO UPDATE SET write_date = EXCLUDED.write_date, data = EXCLUDED.data, updated_at = now()
       WHERE NOT (
         (t.write_date IS NOT NULL AND (EXCLUDED.write_date IS NULL OR EXCLUDED.write_date < t.write_date))
         OR (EXCLUDED.data->>'writeDate' IS NOT DISTINCT FROM t.data->>'writeDate'
             AND t.data->>'aiDraft' IS NOT NULL AND EXCLUDED.data->>'aiDraft' IS NULL)
       )`,
      [caseId, instant === null ? null : new Date(instant), JSON.stringify(insights)],
    );
  }
}
