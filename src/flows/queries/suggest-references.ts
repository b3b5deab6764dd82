/** Most suggestions a near miss gets. */
export const MAX_SUGGESTIONS = 3;

/** Levenshtein distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/**
 * Ranks known references against what was typed: same start first, then
 * containing it, then within a small edit distance (1 per 4 characters, at
 * least 1, at most 3). Case-insensitive; returns distinct references, best first.
 */
export function rankReferences(typed: string, references: string[]): string[] {
  const q = typed.toLowerCase();
  if (!q) return [];
  const maxEdits = Math.min(3, Math.max(1, Math.floor(q.length / 4)));
  const scored: Array<{ ref: string; score: number }> = [];
  const seen = new Set<string>();
  for (const ref of references) {
    const r = ref.toLowerCase();
    if (seen.has(r) || r === q) continue;
    seen.add(r);
    let score: number | null = null;
    if (r.startsWith(q) || q.startsWith(r)) score = Math.abs(r.length - q.length) / 1000;
    else if (r.includes(q)) score = 1 + r.length / 1000;
    else {
      const d = editDistance(q, r, maxEdits);
      if (d <= maxEdits) score = 2 + d;
    }
    if (score !== null) scored.push({ ref, score });
  }
  return scored.sort((a, b) => a.score - b.score || a.ref.localeCompare(b.ref)).map((s) => s.ref);
}
