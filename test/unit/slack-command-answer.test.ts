import { describe, expect, it } from 'vitest';
import { COMMAND_MORE_ACTION } from '../../src/bot/commands/run-command.js';
import { COMMAND_SHARE_ACTION, type TextReply } from '../../src/bot/commands/share-answer.js';
import { commandAnswer, sharedAnswer, shareValueSchema } from '../../src/bot/slack/slack-command-answer.js';
import { validateBlocks } from '../../src/sandbox/slack/block-kit-limits.js';

type Block = { type: string; text?: { text: string }; elements?: Array<{ action_id?: string; value?: string }> };

const buttons = (m: { blocks?: unknown }) =>
  Object.fromEntries(
    ((m.blocks ?? []) as Block[])
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? [])
      .map((e) => [e.action_id, e.value]),
  );

/** An answer as long as the longest `exceptions` page: 40 long lines. */
function longReply(overrides: Partial<TextReply> = {}): TextReply {
  const lines = Array.from({ length: 40 }, (_, i) => `• [high] ${'Vendor bill does not match '.repeat(6)}#${i}`);
  return {
    kind: 'text',
    text: `58 open exceptions:\n\n*usage-sync* (58)\n${lines.join('\n')}`,
    more: { query: 'exceptions open', offset: 40 },
    share: { query: 'exceptions open usage-sync', offset: 0 },
    ...overrides,
  };
}

describe('Slack command answers', () => {
  it('splits a long answer into valid sections, with Show more, Share and the note on what sharing does', () => {
    const m = commandAnswer(longReply(), '/odoo', { askerId: 'U0ASKER01' });
    expect('blocks' in m && validateBlocks(m.blocks, 'message')).toEqual([]);
    const b = buttons(m);
    expect(Object.keys(b)).toEqual([COMMAND_MORE_ACTION, COMMAND_SHARE_ACTION]);
    const share = shareValueSchema.parse(JSON.parse(b[COMMAND_SHARE_ACTION]!));
    expect(share).toMatchObject({ q: 'exceptions open usage-sync', o: 0, c: '/odoo', u: 'U0ASKER01' });
    expect(JSON.stringify(m)).toContain('Only you can see this.');
  });

  it('keeps the Share value small even for the longest query, and gives each answer its own key', () => {
    const reply = longReply({ share: { query: `status ${'X'.repeat(80)}`, offset: 10_000 } });
    const a = buttons(commandAnswer(reply, '/odoo-approvals-long-name', { askerId: 'W0123456789ABCDEF' }));
    const b = buttons(commandAnswer(reply, '/odoo-approvals-long-name', { askerId: 'W0123456789ABCDEF' }));
    expect(a[COMMAND_SHARE_ACTION]!.length).toBeLessThan(400);
    expect(JSON.parse(a[COMMAND_SHARE_ACTION]!).k).not.toBe(JSON.parse(b[COMMAND_SHARE_ACTION]!).k);
  });

  it('offers no Share without an asker or a shareable answer, and none once shared', () => {
    expect(commandAnswer(longReply({ more: undefined }), '/odoo', null)).toEqual({
      response_type: 'ephemeral',
      text: longReply().text,
    });
    expect(buttons(commandAnswer(longReply({ share: undefined }), '/odoo', { askerId: 'U1' }))).toEqual({
      [COMMAND_MORE_ACTION]: expect.any(String),
    });
    const shared = commandAnswer(longReply(), '/odoo', 'shared');
    expect(Object.keys(buttons(shared))).toEqual([COMMAND_MORE_ACTION]);
    expect(JSON.stringify(shared)).toContain('You shared this answer');
  });

  it('shares visibly from the person, and never lets Odoo data or typed text notify the channel', () => {
    const reply: TextReply = {
      kind: 'text',
      text: '1 open exception:\n\n*usage-sync* (1)\n• [high] Sync failed for <!channel> & <@U0BOSS> — 1 business h old',
      share: { query: 'status <!here>`x`', offset: 0 },
    };
    const m = sharedAnswer(reply, '/odoo', 'U0ASKER01');
    expect(m).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(m.text).toMatch(/^Shared by <@U0ASKER01> · `\/odoo status !herex`:\n/);
    const json = JSON.stringify(m);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<@U0BOSS>');
    expect(m.text).toContain('Sync failed for &lt;!channel&gt; &amp; &lt;@U0BOSS&gt;');
    expect(validateBlocks(m.blocks, 'message')).toEqual([]);
  });
});
