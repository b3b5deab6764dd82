import { describe, expect, it } from 'vitest';
import { HOME_LIMITS, homeBlocks } from '../../src/bot/slack/slack-home.js';
import { exceptionsReport } from '../../src/flows/queries/exceptions-query.js';
import { viewerFor } from '../../src/flows/queries/viewer.js';
import { validateView } from '../../src/sandbox/slack/block-kit-limits.js';
import { buildDeps } from '../fakes/build-deps.js';
import { aNewException, PEOPLE } from '../fakes/builders.js';
import { InMemoryExceptionStore } from '../fakes/in-memory-exception-store.js';
import { InMemoryQueryStore } from '../fakes/in-memory-query-store.js';

const { admin } = PEOPLE;

function world() {
  const w = buildDeps({ now: '2026-11-24T08:00:00Z' });
  const exceptions = new InMemoryExceptionStore(w.clock);
  w.deps.exceptions = exceptions;
  w.deps.queries = new InMemoryQueryStore(w.store, w.audit);
  return { w, exceptions };
}

async function adminViewer(w: ReturnType<typeof buildDeps>) {
  const user = (await w.directory.users([admin.odoo.id]))[0]!;
  return viewerFor({ ...w.deps, queries: w.deps.queries! }, user);
}

describe('/odoo exceptions answers', () => {
  it('counts every open exception, shows at most 15 per type and 40 in all, and says how many more', async () => {
    const { w, exceptions } = world();
    for (let t = 0; t < 5; t++)
      for (let i = 0; i < 12; i++) await exceptions.open(aNewException({ definitionId: `type-${t}` }));
    for (let i = 0; i < 1100; i++) await exceptions.open(aNewException({ definitionId: 'big' }));
    const viewer = await adminViewer(w);

    const all = await exceptionsReport(w.deps, viewer, 'open', null);
    expect(all.text).toMatch(/^1160 open exceptions:/);
    const lines = all.text.split('\n').filter((l) => l.startsWith('• '));
    expect(lines).toHaveLength(40);
    expect(all.text).toContain('*type-0* (12)');
    expect(all.text).toContain('*type-3* (12)');
    expect(all.text).toContain('…and 8 more'); // type-3: 4 of 12 shown
    expect(all.text).toContain('*big* (1100)\n1100 not shown');
    expect(all.omitted).toBe(1120);
    expect(all.text).toMatch(
      /\n\n1120 more not shown here\. Write `exceptions <type>` to see one type, or `exceptions mine` for yours\.$/,
    );

    const big = await exceptionsReport(w.deps, viewer, 'open', 'big');
    expect(big.text).toMatch(/^1100 open exceptions:\n\n\*big\* \(1100\)\n/);
    expect(big.text).toContain('…and 1085 more');
    expect(big.omitted).toBe(1085);
  });
});

describe('Slack App Home', () => {
  const homeText = (blocks: unknown[]) => JSON.stringify(blocks);

  it('shows the first approvals and exceptions, then how many more and which command lists them', async () => {
    const { w, exceptions } = world();
    for (let i = 0; i < 25; i++) await w.openCaseFor(w.addOrder());
    for (let i = 0; i < 30; i++) await exceptions.open(aNewException());
    const blocks = await homeBlocks(w.deps, w.actor(admin.chat));
    expect(validateView({ type: 'home', blocks })).toEqual([]);
    const text = homeText(blocks);
    expect(text).toContain('25 cases waiting on you');
    expect(text).toContain('_…and 15 more waiting on you: `/odoo pending mine` lists them all._');
    expect(text).toContain('30 open exceptions');
    expect(text).toContain('…and 20 more');
    expect(text).toContain('20 more not shown here. `/odoo exceptions mine` lists them by type.');
    expect(text.match(/• \[high\]/g)).toHaveLength(10);
  });

  it('stays within 100 blocks and 3000 characters a section, however much there is', async () => {
    const { w, exceptions } = world();
    for (let i = 0; i < 4000; i++)
      await exceptions.open(
        aNewException({ definitionId: `exception-definition-with-a-long-name-${i}`.padEnd(63, 'x') }),
      );
    const blocks = await homeBlocks(w.deps, w.actor(admin.chat));
    expect(blocks.length).toBeLessThanOrEqual(HOME_LIMITS.blocks);
    expect(validateView({ type: 'home', blocks })).toEqual([]);
    const last = blocks.at(-2) as { text?: { text: string } };
    expect(last.text?.text).toMatch(/…and more: `\/odoo exceptions mine` lists them by type\.$/);
    expect(homeText(blocks)).toContain('Nothing is waiting on you.');
  });
});
