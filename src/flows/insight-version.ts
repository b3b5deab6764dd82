import type { CaseInsights } from './context-ports.js';

/**
 * A record's `write_date` as milliseconds, for ordering versions. Odoo writes
 * `YYYY-MM-DD HH:MM:SS` in UTC without a zone; ISO strings with `T`, a
 * fraction or a zone are read too. Null when absent or not a date, which
 * sorts before every real version.
 */
export function writeDateInstant(writeDate: string | null): number | null {
  if (!writeDate) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i.exec(writeDate.trim());
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Whether `next` may replace `current` on the insight board. Never for an
 * older record version (a slow process must not undo a newer card), and
 * never an accepted AI draft by none for the same version (a redraw that
 * gathered facts while the AI job finished). Every board adapter keeps this
 * rule; the PostgreSQL one in SQL, so racing processes agree.
 */
export function replacesInsights(next: CaseInsights, current: CaseInsights): boolean {
  const a = writeDateInstant(next.writeDate);
  const b = writeDateInstant(current.writeDate);
  if (b !== null && (a === null || a < b)) return false;
  const dropsDraft = (current.aiDraft ?? null) !== null && (next.aiDraft ?? null) === null;
  if (next.writeDate === current.writeDate && dropsDraft) return false;
  return true;
}
