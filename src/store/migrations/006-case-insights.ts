import type { Migration } from './migration.js';

/**
 * Risk flags, the fact-based summary and the accepted AI draft of each case
 * (`CaseInsights` as jsonb), so every process redraws the same card and a
 * restart does not ask the AI provider again. One row per case, replaced in
 * place; `write_date` is the record version as a time, for "later wins".
 */
export const caseInsightsMigration: Migration = {
  version: 6,
  name: 'case_insights',
  sql: (s) => `
CREATE TABLE ${s}.case_insights (
  case_id uuid PRIMARY KEY REFERENCES ${s}.cases (id) ON DELETE CASCADE,
  write_date timestamptz,
  data jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`,
};
