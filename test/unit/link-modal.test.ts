import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LINK_MODAL_CALLBACK,
  LINK_MODAL_IDS,
  type LinkSubmissionView,
  linkModalView,
  parseLinkSubmission,
} from '../../src/bot/slack/link-modal.js';
import { validateView } from '../../src/sandbox/slack/block-kit-limits.js';

/** A `view_submission` view as Slack sends it, reduced to its state. */
function aSubmission(value: string | null | undefined): LinkSubmissionView {
  return { state: { values: { [LINK_MODAL_IDS.apiKeyBlock]: { [LINK_MODAL_IDS.apiKeyInput]: { value } } } } };
}

function anApiKey(): string {
  return randomBytes(20).toString('hex');
}

describe('linkModalView', () => {
  it('is a modal Slack accepts, with the callback, the key input and the hint', () => {
    const view = linkModalView({ odooUrl: 'https://odoo.example.com/', login: 'marc@example.com' });
    expect(validateView(view)).toEqual([]);
    expect(view.callback_id).toBe(LINK_MODAL_CALLBACK);
    expect(LINK_MODAL_CALLBACK).toBe('identity.link_modal');
    const input = view.blocks.find((b) => b.type === 'input');
    expect(input).toMatchObject({
      block_id: LINK_MODAL_IDS.apiKeyBlock,
      element: { type: 'plain_text_input', action_id: LINK_MODAL_IDS.apiKeyInput },
    });
    const text = JSON.stringify(view);
    expect(text).toContain('My Profile → Account Security → New API Key');
    expect(text).toContain('stored encrypted');
    expect(text).toContain('only to approve as you');
    expect(text).toContain('*marc@example.com*');
    expect(text).toContain('<https://odoo.example.com|https://odoo.example.com>');
  });

  it('shows the login only as context, never as an editable input', () => {
    const view = linkModalView({ odooUrl: 'https://odoo.example.com', login: 'marc@example.com' });
    const inputs = view.blocks.filter((b) => b.type === 'input');
    expect(inputs).toHaveLength(1);
    const context = view.blocks.find((b) => b.type === 'context');
    expect(JSON.stringify(context)).toContain('marc@example.com');
  });

  it('is valid without a login, when already linked, and with private metadata', () => {
    for (const options of [
      { odooUrl: 'https://odoo.example.com' },
      { odooUrl: 'https://odoo.example.com', login: 'a&b <c>@example.com', linked: true },
      { odooUrl: 'https://odoo.example.com', privateMetadata: JSON.stringify({ c: 'case-1' }) },
    ]) {
      const view = linkModalView(options);
      expect(validateView(view)).toEqual([]);
    }
    expect(JSON.stringify(linkModalView({ odooUrl: 'https://o.example.com', linked: true }))).toContain('replaces');
    expect(JSON.stringify(linkModalView({ odooUrl: 'https://o.example.com', login: 'a&b<c>' }))).toContain(
      'a&amp;b&lt;c&gt;',
    );
    expect(linkModalView({ odooUrl: 'https://o.example.com', privateMetadata: 'm' }).private_metadata).toBe('m');
  });

  it('stays valid for any login', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (login) => {
        expect(validateView(linkModalView({ odooUrl: 'https://odoo.example.com', login }))).toEqual([]);
      }),
    );
  });
});

describe('parseLinkSubmission', () => {
  it('returns an Odoo-shaped key, trimming a pasted line break', () => {
    const apiKey = anApiKey();
    expect(parseLinkSubmission(aSubmission(apiKey))).toEqual({ apiKey });
    expect(parseLinkSubmission(aSubmission(`  ${apiKey}\n`))).toEqual({ apiKey });
  });

  it.each([
    ['missing', undefined, 'Paste the API key'],
    ['null', null, 'Paste the API key'],
    ['empty', '', 'Paste the API key'],
    ['whitespace', ' \n\t ', 'Paste the API key'],
    ['a password', 'hunter2', 'too short'],
    ['two keys', `${'a'.repeat(40)} ${'b'.repeat(40)}`, 'no spaces'],
    ['a whole page', 'x'.repeat(201), 'too long'],
  ])('rejects %s on the key block', (_name, value, message) => {
    const result = parseLinkSubmission(aSubmission(value));
    expect(result).toEqual({ errors: { [LINK_MODAL_IDS.apiKeyBlock]: expect.stringContaining(message) } });
  });

  it('rejects a submission without the key block at all', () => {
    expect(parseLinkSubmission({ state: { values: {} } })).toHaveProperty(['errors', LINK_MODAL_IDS.apiKeyBlock]);
  });

  it('never throws, and only accepts trimmed keys of 20 to 200 non-space characters', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 300 }), { nil: null }), (value) => {
        const result = parseLinkSubmission(aSubmission(value));
        if ('apiKey' in result) {
          expect(result.apiKey).toBe(value?.trim());
          expect(result.apiKey).toMatch(/^\S{20,200}$/);
        } else {
          expect(Object.keys(result.errors)).toEqual([LINK_MODAL_IDS.apiKeyBlock]);
        }
      }),
    );
  });
});
