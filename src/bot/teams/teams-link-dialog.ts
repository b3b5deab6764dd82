import type { TaskModuleResponse } from '@microsoft/teams.api';
import { z } from 'zod';
import type { FlowDeps } from '../../flows/deps.js';
import { linkIdentity, prepareLink } from '../../flows/link-identity.js';
import type { Logger } from '../../flows/ports.js';
import type { ChatActor } from '../../flows/types.js';
import { readApiKey } from '../commands/read-api-key.js';
import type { IdentityLinking } from '../commands/run-command.js';
import {
  dialogCard,
  dialogMessage,
  LINK_DIALOG_KEY_INPUT,
  linkDialogCard,
  linkPromptCard,
} from './teams-link-cards.js';

/** Said in a channel or group chat, where everyone would see the card: the key belongs in the 1:1 chat. */
export const LINK_IN_PRIVATE_TEXT =
  'An API key must not be entered where others can see it, so "link" works only in your 1:1 chat with the bot. ' +
  'Open a chat with the bot (select its name, then Chat) and write "link" there. Nothing was changed.';

const LINK_OFF =
  'Per-user Odoo API keys are not enabled on this bot, so nothing was stored. Ask your Odoo admin to set CREDENTIALS_KEY.';
const LINK_SORRY =
  'The key could not be saved because of an error on our side; nothing was stored. Please try again in a minute.';
const OPEN_SORRY =
  'The bot could not open the form (Odoo or its database is not answering). Nothing was changed; please try again in a minute.';

/** What the dialog's submit button carries besides the key: the login it showed, for drawing the form again. */
const submitDataSchema = z.object({ login: z.string().min(1).max(200) }).passthrough();

export interface TeamsLinkDialogOptions {
  deps: FlowDeps;
  /** Unset when CREDENTIALS_KEY is not configured: the dialog says so and stores nothing. */
  identity?: IdentityLinking | undefined;
  /** ODOO_URL, shown in the form so the person can go and create a key. */
  odooUrl?: string | undefined;
  log: Logger;
}

/**
 * The Teams side of `link`: the prompt card in the 1:1 chat, the dialog
 * (`task/fetch`) with the key field, and its submission (`task/submit`),
 * which goes through the same `linkIdentity` use case as Slack's modal.
 * The key is never logged, echoed back or kept outside the credential store.
 */
export class TeamsLinkDialog {
  constructor(private readonly options: TeamsLinkDialogOptions) {}

  /** The card `link` answers with in the 1:1 chat. */
  promptCard(reply: { login: string; linked: boolean }): Record<string, unknown> {
    return linkPromptCard(reply);
  }

  /** `task/fetch`: the form, or one sentence saying why there is none. */
  async open(actor: ChatActor, conversationType: string | undefined): Promise<TaskModuleResponse> {
    const { deps, identity, log } = this.options;
    if (!identity) return dialogMessage(LINK_OFF);
    if (conversationType !== 'personal') return dialogMessage(LINK_IN_PRIVATE_TEXT);
    try {
      const ready = await prepareLink({ ...deps, credentials: identity.credentials }, actor);
      if (!ready.ok) return dialogMessage(ready.text);
      return dialogCard(
        linkDialogCard({ odooUrl: this.options.odooUrl, login: ready.user.login, linked: ready.linked }),
      );
    } catch (err) {
      log.error({ err, platform: 'teams', actor: `teams:${actor.userId}` }, 'could not open the link dialog');
      return dialogMessage(OPEN_SORRY);
    }
  }

  /**
   * `task/submit`: checks the key with Odoo and stores it. On success the
   * dialog closes with the outcome; on failure the form comes back (empty)
   * with what went wrong and what to do.
   */
  async submit(
    actor: ChatActor,
    data: unknown,
  ): Promise<{ response: TaskModuleResponse; linkedText?: string | undefined }> {
    const { deps, identity, log } = this.options;
    if (!identity) return { response: dialogMessage(LINK_OFF) };
    const fields = data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
    const shown = submitDataSchema.safeParse(fields);
    const again = (error: string) =>
      dialogCard(
        linkDialogCard({
          odooUrl: this.options.odooUrl,
          login: shown.success ? shown.data.login : undefined,
          error,
        }),
      );
    const key = readApiKey(fields[LINK_DIALOG_KEY_INPUT]);
    if ('error' in key) return { response: again(key.error) };
    try {
      const result = await linkIdentity({ ...deps, ...identity }, { actor, apiKey: key.apiKey });
      if (!result.ok) return { response: again(result.fieldError) };
      return { response: dialogMessage(result.text.replace(/`/g, '"')), linkedText: result.text };
    } catch (err) {
      log.error({ err, platform: 'teams', actor: `teams:${actor.userId}` }, 'could not link an Odoo API key');
      return { response: again(LINK_SORRY) };
    }
  }
}
