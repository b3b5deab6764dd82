import { describe, expect, it } from 'vitest';
import { exceptionsReport } from '../../src/flows/queries/exceptions-query.js';
import { viewerFor } from '../../src/flows/queries/viewer.js';
import { buildDeps } from '../fakes/build-deps.js';
import { aNewException, PEOPLE } from '../fakes/builders.js';
import { InMemoryExceptionStore } from '../fakes/in-memory-exception-store.js';
import { InMemoryQueryStore } from '../fakes/in-memory-query-store.js';

async function world(sizes: Record<string, number>) {
  const w = buildDeps({ now: '2026-11-24T08:00:00Z' });
  const exceptions = new InMemoryExceptionStore(w.clock);
  w.deps.exceptions = exceptions;
  w.deps.queries = new InMemoryQueryStore(w.store, w.audit);
  for (const [definitionId, n] of Object.entries(sizes))
    for (let i = 0; i < n; i++) await exceptions.open(aNewException({ definitionId, title: `${definitionId} #${i}` }));
  const user = (await w.directory.users([PEOPLE.admin.odoo.id]))[0]!;
  const viewer = await viewerFor({ ...w.deps, queries: w.deps.queries }, user);
  return { w, viewer };
}

const linesOf = (text: string) => text.split('\n').filter((l) => l.startsWith('• '));

describe('/odoo exceptions pages', () => {
  it('walks every exception exactly once, 40 a page and 15 a type a page, keeping the groups and counts', async () => {
    const { w, viewer } = await world({ 'type-a': 12, 'type-b': 30, 'type-c': 50 });
    const seen: string[] = [];
    const pages: string[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const page = await exceptionsReport(w.deps, viewer, 'open', null, { offset });
      pages.push(page.text);
      const lines = linesOf(page.text);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.length).toBeLessThanOrEqual(40);
      for (const g of page.text.split('\n\n').filter((b) => b.startsWith('*')))
        expect(linesOf(g).length).toBeLessThanOrEqual(15);
      expect(page.text).toMatch(/^92 open exceptions/);
      seen.push(...lines.map((l) => /\] (type-\w #\d+) —/.exec(l)![1]!));
      expect(pages.length).toBeLessThan(10);
      if (page.more) expect(page.more.remaining).toBe(92 - seen.length);
      offset = page.more?.offset;
    }
    expect(seen).toHaveLength(92);
    expect(new Set(seen).size).toBe(92);
    // Page 1: a 12, b 15, c 13; page 2: b 15, c 15; page 3: c 15; page 4: c 7.
    expect(pages.map((p) => linesOf(p).length)).toEqual([40, 30, 15, 7]);
    expect(pages[0]).toContain('*type-a* (12)\n');
    expect(pages[0]).toContain('52 more not shown here.');
    expect(pages[1]).toMatch(/^92 open exceptions; 41–70:\n\n\*type-b\* \(30, 15 on earlier pages\)\n/);
    expect(pages[1]).not.toContain('type-a');
    expect(pages[1]).toContain('*type-c* (50, 13 on earlier pages)');
    expect(pages[1]).toContain('22 more after this page.');
    expect(pages[3]).toMatch(/^92 open exceptions; 86–92:/);
    expect(pages[3]).not.toContain('more after this page');
  });

  it('answers an offset past the end (a list that shrank) with the last page', async () => {
    const { w, viewer } = await world({ 'type-a': 20 });
    const last = await exceptionsReport(w.deps, viewer, 'open', 'type-a', { offset: 500 });
    expect(last.text).toMatch(/^20 open exceptions; 16–20:/);
    expect(last.more).toBeUndefined();
    const first = await exceptionsReport(w.deps, viewer, 'open', 'type-a');
    expect(first.more).toEqual({ offset: 15, remaining: 5 });
  });
});
