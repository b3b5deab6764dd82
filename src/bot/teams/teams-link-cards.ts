import type { TaskModuleResponse } from '@microsoft/teams.api';
import { API_KEY_LENGTH } from '../commands/read-api-key.js';
import { cardAttachment, cut, TEAMS_CARD_LIMITS } from './render-adaptive-card.js';

/**
 * The `link` dialog's id: `dialog_id` of the button that opens it (the SDK
 * routes that `task/fetch` to `dialog.open.<id>`) and `action` of its submit
 * button (routed as `dialog.submit.<id>`).
 */
export const LINK_DIALOG_ID = 'identity.link_dialog';

/** Id of the key input: the submitted `value.data` field, and a path pino redacts (`*.apiKey`). */
export const LINK_DIALOG_KEY_INPUT = 'apiKey';

type Json = Record<string, unknown>;

const text = (t: string, extra: Json = {}): Json => ({ type: 'TextBlock', text: t, wrap: true, ...extra });

function card(body: Json[], actions: Json[]): Json {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: TEAMS_CARD_LIMITS.version,
    body,
    actions,
  };
}

/**
 * What `link` answers in the 1:1 chat: a button that opens the key dialog
 * (an `Action.Submit` with `msteams.type = task/fetch`), so the key is never
 * typed into the chat itself.
 */
export function linkPromptCard(options: { login: string; linked: boolean }): Json {
  return card(
    [
      text('Link your Odoo user', { weight: 'Bolder', size: 'Medium' }),
      text(
        'Some approvals (such as Odoo Approvals requests) are recorded in Odoo under the name of whoever makes the call, ' +
          `so the bot needs an API key of your Odoo user "${options.login}" to approve them as you.`,
      ),
      text(
        options.linked
          ? 'A key is already linked; entering a new one replaces it. Write "unlink" to remove it.'
          : 'The key goes into a private dialog, is checked with Odoo and stored encrypted; it is never shown in this chat.',
        { isSubtle: true },
      ),
    ],
    [
      {
        type: 'Action.Submit',
        title: options.linked ? 'Replace my Odoo API key' : 'Enter my Odoo API key',
        data: { msteams: { type: 'task/fetch' }, dialog_id: LINK_DIALOG_ID },
      },
    ],
  );
}

export interface LinkDialogOptions {
  /** Base URL of Odoo (ODOO_URL), so the person can go and create a key; omitted when unknown. */
  odooUrl?: string | undefined;
  /** The Odoo login this Teams user is matched to, shown (not editable) so they create the key as that user. */
  login?: string | undefined;
  linked?: boolean | undefined;
  /** Why the last submission failed, shown above the field. Never the key itself. */
  error?: string | undefined;
}

/** The dialog's form: one password field for the key, never pre-filled. */
export function linkDialogCard(options: LinkDialogOptions): Json {
  const odooUrl = options.odooUrl?.replace(/\/+$/, '');
  const body: Json[] = [
    text(
      `Paste an API key of your ${options.login ? `Odoo user "${options.login}"` : 'own Odoo user'}. In Odoo${odooUrl ? ` (${odooUrl})` : ''}, ` +
        'open My Profile → Account Security → New API Key, give it a name such as "chatops", and copy the key Odoo shows once.',
    ),
  ];
  if (options.error)
    body.push(text(cut(options.error, TEAMS_CARD_LIMITS.text), { color: 'Attention', weight: 'Bolder' }));
  body.push(
    {
      type: 'Input.Text',
      id: LINK_DIALOG_KEY_INPUT,
      label: 'Your Odoo API key',
      style: 'Password',
      isRequired: true,
      errorMessage: 'Paste the API key you created in Odoo.',
      placeholder: 'The 40-character key Odoo shows once',
      maxLength: API_KEY_LENGTH.max,
    },
    text(
      'It is stored encrypted and used only to approve as you. Revoke it in Odoo at any time, or write "unlink" to the bot.',
      { isSubtle: true, size: 'Small' },
    ),
  );
  if (options.linked) body.push(text('A key is already linked; submitting replaces it.', { isSubtle: true }));
  return card(body, [
    {
      type: 'Action.Submit',
      title: 'Link',
      style: 'positive',
      data: { action: LINK_DIALOG_ID, ...(options.login ? { login: options.login } : {}) },
    },
  ]);
}

/** `task/fetch` or `task/submit` answer that shows (or keeps showing) the form. */
export function dialogCard(content: Json): TaskModuleResponse {
  return {
    task: {
      type: 'continue',
      value: { title: 'Link your Odoo user', width: 'medium', height: 'medium', card: cardAttachment(content) },
    },
  };
}

/** `task/fetch` or `task/submit` answer that closes the form and shows one sentence in a message box. */
export function dialogMessage(message: string): TaskModuleResponse {
  return { task: { type: 'message', value: message } };
}
