import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateBlocks, validateView } from '../../src/sandbox/slack/block-kit-limits.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const x = (n: number) => 'x'.repeat(n);
const button = (overrides: Record<string, unknown> = {}) => ({
  type: 'button',
  text: plain('Approve'),
  action_id: 'approval.approve',
  value: 'case-1',
  ...overrides,
});
const actions = (...elements: unknown[]) => ({ type: 'actions', block_id: 'approval.actions', elements });

describe('validateBlocks', () => {
  it('accepts a realistic approval card', () => {
    const card = [
      { type: 'header', text: plain('Purchase order PO00042') },
      { type: 'section', text: mrkdwn('*Vendor:* Acme'), fields: [mrkdwn('*Amount*'), mrkdwn('12,000 EUR')] },
      {
        type: 'context',
        elements: [mrkdwn('Tier 1 of 2'), { type: 'image', image_url: 'https://x/y.png', alt_text: 'a' }],
      },
      { type: 'divider' },
      actions(
        button({ style: 'primary' }),
        button({
          action_id: 'approval.reject',
          style: 'danger',
          confirm: { title: plain('Reject?'), text: mrkdwn('Sure?'), confirm: plain('Reject'), deny: plain('Back') },
        }),
      ),
    ];
    expect(validateBlocks(card, 'message')).toEqual([]);
  });

  it('holds section text to 1..3000 characters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3100 }), (n) => {
        const errors = validateBlocks([{ type: 'section', text: mrkdwn(x(n)) }], 'message');
        return n >= 1 && n <= 3000 ? errors.length === 0 : errors.length === 1;
      }),
      { numRuns: 50 },
    );
    expect(validateBlocks([{ type: 'section', text: mrkdwn('') }], 'message')).toEqual([
      'must be more than 0 characters [json-pointer:/blocks/0/text/text]',
    ]);
  });

  it.each([
    [
      'header text',
      [{ type: 'header', text: plain(x(151)) }],
      'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
    ],
    [
      'section fields count',
      [{ type: 'section', fields: Array(11).fill(mrkdwn('a')) }],
      'no more than 10 items allowed [json-pointer:/blocks/0/fields]',
    ],
    [
      'section field text',
      [{ type: 'section', fields: [mrkdwn(x(2001))] }],
      'must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]',
    ],
    [
      'button text',
      [actions(button({ text: plain(x(76)) }))],
      'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    ],
    [
      'button value',
      [actions(button({ value: x(2001) }))],
      'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
    ],
    [
      'button url',
      [actions(button({ url: x(3001) }))],
      'must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]',
    ],
    [
      'action_id',
      [actions(button({ action_id: x(256) }))],
      'must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
    ],
    [
      'block_id',
      [{ type: 'divider', block_id: x(256) }],
      'must be less than 256 characters [json-pointer:/blocks/0/block_id]',
    ],
    [
      'actions elements',
      [actions(...Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })))],
      'no more than 25 items allowed [json-pointer:/blocks/0/elements]',
    ],
    [
      'context elements',
      [{ type: 'context', elements: Array(11).fill(mrkdwn('a')) }],
      'no more than 10 items allowed [json-pointer:/blocks/0/elements]',
    ],
    [
      'confirm title',
      [actions(button({ confirm: { title: plain(x(101)), text: plain('t'), confirm: plain('y'), deny: plain('n') } }))],
      'must be less than 101 characters [json-pointer:/blocks/0/elements/0/confirm/title/text]',
    ],
    [
      'confirm text',
      [actions(button({ confirm: { title: plain('t'), text: plain(x(301)), confirm: plain('y'), deny: plain('n') } }))],
      'must be less than 301 characters [json-pointer:/blocks/0/elements/0/confirm/text/text]',
    ],
    [
      'confirm deny',
      [actions(button({ confirm: { title: plain('t'), text: plain('t'), confirm: plain('y'), deny: plain(x(31)) } }))],
      'must be less than 31 characters [json-pointer:/blocks/0/elements/0/confirm/deny/text]',
    ],
    [
      'header needs plain_text',
      [{ type: 'header', text: mrkdwn('h') }],
      'must be a valid enum value [json-pointer:/blocks/0/text/type]',
    ],
    ['unknown block type', [{ type: 'carousel' }], 'unsupported type: carousel [json-pointer:/blocks/0/type]'],
    [
      'element in the wrong block',
      [actions({ type: 'plain_text_input', action_id: 'a' })],
      'unsupported type: plain_text_input [json-pointer:/blocks/0/elements/0/type]',
    ],
    [
      'duplicate action_id',
      [actions(button(), button())],
      'duplicate action_id: approval.approve [json-pointer:/blocks/0/elements/1/action_id]',
    ],
    [
      'duplicate block_id',
      [
        { type: 'divider', block_id: 'b' },
        { type: 'divider', block_id: 'b' },
      ],
      'duplicate block_id: b [json-pointer:/blocks/1/block_id]',
    ],
    ['missing section text', [{ type: 'section' }], 'missing required field: text [json-pointer:/blocks/0]'],
    [
      'button without text',
      [actions({ type: 'button', action_id: 'a' })],
      'missing required field: text [json-pointer:/blocks/0/elements/0]',
    ],
  ])('refuses an over-limit %s', (_name, blocks, error) => {
    expect(validateBlocks(blocks, 'message')).toEqual([error]);
  });

  it('allows the same action_id in different blocks', () => {
    expect(validateBlocks([actions(button()), { ...actions(button()), block_id: 'other' }], 'message')).toEqual([]);
  });

  it('allows 50 blocks in a message and 100 in a modal', () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(validateBlocks(blocks(50), 'message')).toEqual([]);
    expect(validateBlocks(blocks(51), 'message')).toEqual(['no more than 50 items allowed [json-pointer:/blocks]']);
    expect(validateBlocks(blocks(100), 'modal')).toEqual([]);
    expect(validateBlocks(blocks(101), 'modal')).toEqual(['no more than 100 items allowed [json-pointer:/blocks]']);
  });

  it('checks plain_text_input lengths', () => {
    const input = (element: Record<string, unknown>) => [
      { type: 'input', label: plain('Reason'), element: { type: 'plain_text_input', action_id: 'r', ...element } },
    ];
    expect(validateBlocks(input({ multiline: true, min_length: 10, max_length: 3000 }), 'modal')).toEqual([]);
    expect(validateBlocks(input({ min_length: 3001 }), 'modal')).toEqual([
      'must be a number between 0 and 3000 [json-pointer:/blocks/0/element/min_length]',
    ]);
    expect(validateBlocks(input({ min_length: 20, max_length: 10 }), 'modal')).toHaveLength(1);
  });

  it('refuses what is not an array of objects', () => {
    expect(validateBlocks('nope', 'message')).toEqual(['must provide an array [json-pointer:/blocks]']);
    expect(validateBlocks([null], 'message')).toEqual(['must provide an object [json-pointer:/blocks/0]']);
  });
});

describe('validateView', () => {
  const modal = (overrides: Record<string, unknown> = {}) => ({
    type: 'modal',
    callback_id: 'approval.reject',
    title: plain('Reject PO00042'),
    submit: plain('Reject'),
    close: plain('Cancel'),
    private_metadata: '{"caseId":"c1"}',
    blocks: [
      {
        type: 'input',
        block_id: 'reason',
        label: plain('Reason'),
        element: { type: 'plain_text_input', action_id: 'r' },
      },
    ],
    ...overrides,
  });

  it('accepts a reject modal', () => {
    expect(validateView(modal())).toEqual([]);
  });

  it.each([
    ['title', { title: plain(x(25)) }, 'must be less than 25 characters [json-pointer:/view/title/text]'],
    ['submit', { submit: plain(x(25)) }, 'must be less than 25 characters [json-pointer:/view/submit/text]'],
    ['close', { close: plain(x(25)) }, 'must be less than 25 characters [json-pointer:/view/close/text]'],
    [
      'private_metadata',
      { private_metadata: x(3001) },
      'must be less than 3001 characters [json-pointer:/view/private_metadata]',
    ],
    ['callback_id', { callback_id: x(256) }, 'must be less than 256 characters [json-pointer:/view/callback_id]'],
    ['missing submit with inputs', { submit: undefined }, 'missing required field: submit [json-pointer:/view]'],
    [
      'block errors',
      { blocks: [{ type: 'header', text: plain(x(151)) }] },
      'must be less than 151 characters [json-pointer:/view/blocks/0/text/text]',
    ],
  ])('refuses an invalid %s', (_name, overrides, error) => {
    expect(validateView(modal(overrides))).toEqual([error]);
  });
});

describe('on untrusted input', () => {
  it('never throws and always returns strings', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (blocks, view) => {
        const all = [...validateBlocks(blocks, 'message'), ...validateBlocks([blocks], 'modal'), ...validateView(view)];
        return all.every((e) => typeof e === 'string');
      }),
      { numRuns: 300 },
    );
  });
});
