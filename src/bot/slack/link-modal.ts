import type { KnownBlock, ModalView } from '@slack/types';

/** callback_id of the `/odoo link` modal; route its `view_submission` here. */
export const LINK_MODAL_CALLBACK = 'identity.link_modal';

/** Block and action ids of the modal, for `view.state.values` and `response_action: 'errors'`. */
export const LINK_MODAL_IDS = {
  apiKeyBlock: 'api_key',
  apiKeyInput: 'api_key_input',
} as const;

/**
 * Odoo generates 20 random bytes as 40 hex digits (`API_KEY_SIZE` in
 * `res_users_apikeys`). The bounds are loose on purpose so a future format
 * still passes; they only catch a password, a half paste or a whole page.
 */
const MIN_KEY_LENGTH = 20;
const MAX_KEY_LENGTH = 200;

export interface LinkModalOptions {
  /** Base URL of Odoo (ODOO_URL), linked so the person can go and create a key. */
  odooUrl: string;
  /** The Odoo login this Slack user is matched to, shown (not editable) so they create the key as that user. */
  login?: string | undefined;
  /** True when a key is already linked, so the modal says it will be replaced. */
  linked?: boolean | undefined;
  /** Passed through to the submission (≤ 3000 characters), e.g. the case the person was approving. */
  privateMetadata?: string | undefined;
}

/** Slack Web API input as it arrives in `view_submission`: only what the parser reads. */
export interface LinkSubmissionView {
  state: { values: Record<string, Record<string, { value?: string | null | undefined }>> };
}

export type LinkSubmission = { apiKey: string } | { errors: Record<string, string> };

/** mrkdwn treats &, < and > as control characters. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The `/odoo link` modal: asks for the person's own Odoo API key. */
export function linkModalView(options: LinkModalOptions): ModalView {
  const odooUrl = options.odooUrl.replace(/\/+$/, '');
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text:
          'Some approvals (such as Odoo *Approvals* requests) are recorded in Odoo under the name of whoever makes the call, ' +
          'so the bot needs an API key of *your* Odoo user to approve them as you.',
      },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: options.login
            ? `Odoo: <${escapeMrkdwn(odooUrl)}|${escapeMrkdwn(odooUrl)}> · your Odoo login: *${escapeMrkdwn(options.login)}*`
            : `Odoo: <${escapeMrkdwn(odooUrl)}|${escapeMrkdwn(odooUrl)}>`,
        },
      ],
    },
    {
      type: 'input',
      block_id: LINK_MODAL_IDS.apiKeyBlock,
      label: { type: 'plain_text', text: 'Your Odoo API key' },
      hint: {
        type: 'plain_text',
        text:
          'In Odoo, open My Profile → Account Security → New API Key, give it a name such as "chatops", and paste the key here. ' +
          'It is stored encrypted and used only to approve as you. Revoke it in Odoo at any time to unlink.',
      },
      element: {
        type: 'plain_text_input',
        action_id: LINK_MODAL_IDS.apiKeyInput,
        placeholder: { type: 'plain_text', text: 'The 40-character key Odoo shows once' },
        max_length: MAX_KEY_LENGTH,
      },
    },
  ];
  if (options.linked) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'A key is already linked; submitting replaces it.' }],
    });
  }
  return {
    type: 'modal',
    callback_id: LINK_MODAL_CALLBACK,
    title: { type: 'plain_text', text: 'Link your Odoo user' },
    submit: { type: 'plain_text', text: 'Link' },
    close: { type: 'plain_text', text: 'Cancel' },
    ...(options.privateMetadata !== undefined ? { private_metadata: options.privateMetadata } : {}),
    blocks,
  };
}

/**
 * Reads the key from a submitted link modal. Errors are keyed by block id,
 * ready for `ack({ response_action: 'errors', errors })`. Surrounding
 * whitespace (a pasted newline) is dropped; nothing here proves the key works,
 * so check it against Odoo before saving.
 */
export function parseLinkSubmission(view: LinkSubmissionView): LinkSubmission {
  const raw = view.state.values[LINK_MODAL_IDS.apiKeyBlock]?.[LINK_MODAL_IDS.apiKeyInput]?.value ?? '';
  const apiKey = raw.trim();
  const fail = (message: string): LinkSubmission => ({ errors: { [LINK_MODAL_IDS.apiKeyBlock]: message } });
  if (apiKey === '')
    return fail('Paste the API key you created in Odoo (My Profile → Account Security → New API Key).');
  if (/\s/.test(apiKey)) {
    return fail('An Odoo API key has no spaces or line breaks; copy it again from Odoo and paste only the key.');
  }
  if (apiKey.length < MIN_KEY_LENGTH) {
    return fail(
      `That is too short for an Odoo API key (they are 40 characters). Use a new API key, not your password.`,
    );
  }
  if (apiKey.length > MAX_KEY_LENGTH) {
    return fail('That is too long for an Odoo API key (they are 40 characters); paste only the key.');
  }
  return { apiKey };
}
