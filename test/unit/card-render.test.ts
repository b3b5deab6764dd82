import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderBlockKit } from '../../src/bot/slack/render-block-kit.js';
import { buildCard } from '../../src/flows/build-card.js';
import { ACTION_IDS } from '../../src/flows/card.js';
import type { Case, CaseLine, CaseSnapshot, CaseStatus, Decision } from '../../src/flows/types.js';
import { validateBlocks } from '../../src/sandbox/slack/block-kit-limits.js';
import { aCase, aDecision, aFlow, aLine, aSnapshot, someLines } from '../support/builders.js';

const STATUSES: CaseStatus[] = ['open', 'deciding', 'approved', 'rejected', 'cancelled', 'failed'];

function render(c: Case, decision: Decision | null = null, notice?: string | null) {
  const card = buildCard(aFlow(), c, decision, notice);
  const slack = renderBlockKit(card);
  expect(validateBlocks(slack.blocks, 'message')).toEqual([]);
  expect(slack.text.length).toBeGreaterThan(0);
  return { card, slack, json: JSON.stringify(slack.blocks) };
}

type Block = { type: string; block_id?: string; elements?: Array<Record<string, unknown>>; text?: { text: string } };
const blocksOf = (slack: { blocks: unknown[] }) => slack.blocks as Block[];
const decisionButtons = (slack: { blocks: unknown[] }) =>
  blocksOf(slack)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.action_id === ACTION_IDS.approve || e.action_id === ACTION_IDS.reject);
const statusText = (slack: { blocks: unknown[] }) => blocksOf(slack).find((b) => b.block_id === 'status')?.text?.text;

describe('buildCard + renderBlockKit', () => {
  it.each(STATUSES)('renders a %s case to valid Block Kit', (status) => {
    const decision =
      status === 'open' || status === 'cancelled' ? null : aDecision({ action: 'reject', reason: 'too dear' });
    const { slack } = render(aCase({ status }), decision);
    expect(statusText(slack)).toBeTruthy();
  });

  it.each(STATUSES)('renders a %s case without a decision', (status) => {
    render(aCase({ status }), null);
  });

  it('gives an open card approve and reject buttons carrying the case and write date', () => {
    const c = aCase();
    const { slack } = render(c);
    const buttons = decisionButtons(slack);
    expect(buttons.map((b) => b.action_id)).toEqual([ACTION_IDS.approve, ACTION_IDS.reject]);
    expect(buttons.map((b) => b.style)).toEqual(['primary', 'danger']);
    for (const b of buttons)
      expect(JSON.parse(b.value as string)).toEqual({ c: c.id, w: '2026-11-25T10:00:00Z', t: 0 });
  });

  it('carries a null write date when the snapshot has none', () => {
    const c = aCase({ snapshot: aSnapshot({ writeDate: null }) });
    const [approve] = decisionButtons(render(c).slack);
    expect(JSON.parse(approve?.value as string)).toEqual({ c: c.id, w: null, t: 0 });
  });

  it.each(STATUSES.filter((s) => s !== 'open'))('gives a %s card no decision buttons', (status) => {
    const { slack } = render(aCase({ status }), aDecision());
    expect(decisionButtons(slack)).toEqual([]);
  });

  it('keeps the Open in Odoo link on closed cards, and drops it without a URL', () => {
    const closed = render(aCase({ status: 'approved' }), aDecision()).json;
    expect(closed).toContain('approval.open_in_odoo');
    const noUrl = render(aCase({ status: 'approved', snapshot: aSnapshot({ url: null }) }), aDecision());
    expect(blocksOf(noUrl.slack).some((b) => b.type === 'actions')).toBe(false);
  });

  it('shows a notice under the status and turns a waiting card into a warning', () => {
    const { card, slack } = render(aCase(), null, 'Odoo is not answering; the card may be out of date.');
    expect(card.status.tone).toBe('warning');
    expect(statusText(slack)).toMatch(/^:warning: Waiting for approval by Mitchell Admin\nOdoo is not answering/);
  });

  it.each([
    [0, null],
    [5, null],
    [60, /and 55 more lines/],
  ])('renders %i lines', (count, more) => {
    const lines = someLines(Math.min(count, 5));
    const c = aCase({ snapshot: aSnapshot({ lines, lineCount: count }) });
    const { card, json } = render(c);
    if (count === 0) expect(card.table).toBeUndefined();
    else expect(card.table?.rows).toHaveLength(5);
    if (more) expect(json).toMatch(more);
    else expect(json).not.toMatch(/more line/);
  });

  it('says "1 more line" in the singular', () => {
    const c = aCase({ snapshot: aSnapshot({ lines: someLines(5), lineCount: 6 }) });
    expect(render(c).json).toMatch(/and 1 more line_/);
  });

  it('stays within limits with 5,000-character names everywhere', () => {
    const long = (ch: string) => ch.repeat(5000);
    const c = aCase({
      snapshot: aSnapshot({
        reference: long('R'),
        partner: long('V'),
        owner: long('O'),
        state: long('S'),
        lines: Array.from({ length: 5 }, () => aLine({ product: long('P'), description: long('D') })),
        lineCount: 60,
        url: `https://odoo.example.com/${long('u')}`,
      }),
      approvers: Array.from({ length: 20 }, (_, i) => ({ odooUserId: i, name: long('A'), email: null })),
    });
    for (const status of STATUSES)
      render({ ...c, status }, aDecision({ reason: long('r'), outcome: long('o') }), long('n'));
  });

  it('escapes mrkdwn control characters from Odoo data', () => {
    const c = aCase({
      snapshot: aSnapshot({
        partner: 'Smith & Sons <script>',
        owner: '<!channel>',
        lines: [aLine({ product: 'Bolts <M8> & nuts' })],
        lineCount: 1,
      }),
    });
    const { json } = render(c);
    expect(json).toContain('Smith &amp; Sons &lt;script&gt;');
    expect(json).toContain('&lt;!channel&gt;');
    expect(json).toContain('Bolts &lt;M8&gt; &amp; nuts');
    const mrkdwn = blocksOf(render(c).slack)
      .filter((b) => b.type === 'section')
      .map((b) => JSON.stringify(b));
    for (const text of mrkdwn) expect(text).not.toMatch(/<!channel>|<script>/);
  });

  it('renders any snapshot to valid Block Kit', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 300 });
    const maybe = fc.option(text, { nil: null });
    const line: fc.Arbitrary<CaseLine> = fc.record({
      product: text,
      description: text,
      quantity: fc.double({ noNaN: true }),
      unitPrice: fc.double({ noNaN: true }),
      subtotal: fc.double({ noNaN: true }),
    });
    const snapshot: fc.Arbitrary<CaseSnapshot> = fc
      .record({
        reference: text,
        partner: maybe,
        amount: fc.option(fc.double(), { nil: null }),
        currency: maybe,
        owner: maybe,
        date: maybe,
        state: maybe,
        writeDate: maybe,
        lines: fc.array(line, { maxLength: 8 }),
        extra: fc.nat({ max: 10_000 }),
        url: fc.option(fc.webUrl(), { nil: null }),
      })
      .map(({ extra, ...s }) => ({ ...s, lineCount: s.lines.length + extra }));
    const status = fc.constantFrom(...STATUSES);
    const decision = fc.option(
      fc.record({
        reason: maybe,
        outcome: maybe,
        odooUserName: maybe,
        action: fc.constantFrom('approve', 'reject' as const),
      }),
      { nil: null },
    );
    const approvers = fc.array(fc.record({ odooUserId: fc.nat(), name: text, email: fc.constant(null) }), {
      maxLength: 8,
    });
    fc.assert(
      fc.property(snapshot, status, decision, approvers, fc.option(text, { nil: null }), (s, st, d, a, notice) => {
        const c = aCase({ snapshot: s, status: st, approvers: a });
        const flow = aFlow();
        const slack = renderBlockKit(buildCard(flow, c, d ? aDecision(d) : null, notice));
        expect(validateBlocks(slack.blocks, 'message')).toEqual([]);
        expect(decisionButtons(slack).length).toBe(st === 'open' ? 2 : 0);
      }),
      { numRuns: 300 },
    );
  });
});
