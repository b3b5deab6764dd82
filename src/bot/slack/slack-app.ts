import { App, type BlockAction, type ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { ACTION_IDS } from '../../flows/card.js';
import type { FlowDeps } from '../../flows/deps.js';
import { linkIdentity } from '../../flows/link-identity.js';
import type { Logger } from '../../flows/ports.js';
import { RECORDED_NOT_QUEUED, requestDecision } from '../../flows/request-decision.js';
import type { ChatActor } from '../../flows/types.js';
import type { IdentityLinking } from '../commands/run-command.js';
import { LINK_MODAL_CALLBACK, LINK_MODAL_IDS, parseLinkSubmission } from './link-modal.js';
import { registerCaseActions } from './slack-case-actions.js';
import { registerSlackCommands } from './slack-commands.js';
import { registerExceptionActions } from './slack-exception-actions.js';
import { registerSlackHome } from './slack-home.js';
import { slackLogger } from './slack-logger.js';
import type { SlackRequestReceiver } from './slack-request-receiver.js';

export const REJECT_MODAL_CALLBACK = 'approval.reject_modal';
const REASON_BLOCK = 'reason';
const REASON_INPUT = 'reason_input';

const buttonValueSchema = z.object({ c: z.string().uuid(), w: z.string().nullable() });
const modalMetaSchema = z.object({
  c: z.string().uuid(),
  w: z.string().nullable(),
  ch: z.string().optional(),
  ru: z.string().optional(),
});

export interface SlackAppOptions {
  token: string;
  apiUrl?: string | undefined;
  botId: string;
  botUserId: string;
  receiver: SlackRequestReceiver;
  deps: FlowDeps;
  log: Logger;
  /** Base URL of Odoo, linked from the `/odoo link` form. */
  odooUrl: string;
  /** Per-user Odoo keys; unset when CREDENTIALS_KEY is not configured, and `/odoo link` says so. */
  identity?: IdentityLinking | undefined;
}

function actorOf(body: { user: { id: string; name?: string; username?: string; team_id?: string } }): ChatActor {
  const name = body.user.name ?? body.user.username;
  return {
    platform: 'slack',
    userId: body.user.id,
    ...(body.user.team_id ? { teamId: body.user.team_id } : {}),
    ...(name ? { displayName: name } : {}),
  };
}

const SORRY =
  'The bot could not record your click (its database or queue is not answering). Nothing was decided; please try again in a minute.';

const LINK_SORRY =
  'The key could not be saved because of an error on our side; nothing was stored. Please try again in a minute.';
const LINK_OFF = 'Per-user Odoo API keys are no longer enabled on this bot; nothing was stored. Ask your Odoo admin.';

/** Routes Slack interactions to the flow engine. Every click is acknowledged at once. */
export function createSlackApp(options: SlackAppOptions): App {
  const { deps, log } = options;
  const app = new App({
    token: options.token,
    botId: options.botId,
    botUserId: options.botUserId,
    receiver: options.receiver,
    logger: slackLogger(log),
    clientOptions: {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      retryConfig: { retries: 1 },
    },
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.approve, async ({ ack, body, action, respond }) => {
    const value = buttonValueSchema.safeParse(safeJson(action.value));
    if (!value.success) {
      await ack();
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'This button is from an unknown or damaged card; nothing was decided.',
      });
      return;
    }
    try {
      const recorded = await requestDecision(
        deps,
        {
          caseId: value.data.c,
          idempotencyKey: `slack.${body.team?.id ?? body.user.team_id ?? 'team'}.${body.user.id}.${action.action_id}.${action.action_ts}`,
          action: 'approve',
          actor: actorOf(body),
          reason: null,
          cardWriteDate: value.data.w,
        },
        {
          ...(body.channel?.id ? { channelId: body.channel.id } : {}),
          ...(body.response_url ? { responseUrl: body.response_url } : {}),
        },
      );
      await ack();
      if (!recorded.queued)
        await respond({ response_type: 'ephemeral', replace_original: false, text: RECORDED_NOT_QUEUED }).catch(
          () => {},
        );
    } catch (err) {
      log.error({ err, platform: 'slack' }, 'could not record an approval click');
      await ack();
      await respond({ response_type: 'ephemeral', replace_original: false, text: SORRY }).catch(() => {});
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.reject, async ({ ack, body, action, client }) => {
    await ack();
    const value = buttonValueSchema.safeParse(safeJson(action.value));
    if (!value.success) return;
    const meta = JSON.stringify({
      c: value.data.c,
      w: value.data.w,
      ...(body.channel?.id ? { ch: body.channel.id } : {}),
      ...(body.response_url && body.response_url.length < 1500 ? { ru: body.response_url } : {}),
    });
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: 'modal',
        callback_id: REJECT_MODAL_CALLBACK,
        private_metadata: meta,
        title: { type: 'plain_text', text: 'Reject' },
        submit: { type: 'plain_text', text: 'Reject' },
        close: { type: 'plain_text', text: 'Cancel' },
        blocks: [
          {
            type: 'input',
            block_id: REASON_BLOCK,
            label: { type: 'plain_text', text: 'Why are you rejecting it?' },
            hint: { type: 'plain_text', text: 'The reason goes to the requester, the Odoo chatter and the audit log.' },
            element: { type: 'plain_text_input', action_id: REASON_INPUT, multiline: true, max_length: 2000 },
          },
        ],
      },
    });
  });

  app.action(ACTION_IDS.openInOdoo, async ({ ack }) => {
    await ack();
  });

  app.view(REJECT_MODAL_CALLBACK, async ({ ack, body, view }) => {
    const reason = view.state.values[REASON_BLOCK]?.[REASON_INPUT]?.value?.trim() ?? '';
    if (reason.length < 3) {
      await ack({
        response_action: 'errors',
        errors: { [REASON_BLOCK]: 'Please give a reason (at least a few words).' },
      });
      return;
    }
    const meta = modalMetaSchema.safeParse(safeJson(view.private_metadata));
    if (!meta.success) {
      await ack({
        response_action: 'errors',
        errors: { [REASON_BLOCK]: 'This form is damaged; close it and click Reject again.' },
      });
      return;
    }
    try {
      await requestDecision(
        deps,
        {
          caseId: meta.data.c,
          idempotencyKey: `slack.${body.team?.id ?? 'team'}.${body.user.id}.view.${view.id}`,
          action: 'reject',
          actor: actorOf(body),
          reason,
          cardWriteDate: meta.data.w,
        },
        {
          ...(meta.data.ch ? { channelId: meta.data.ch } : {}),
          ...(meta.data.ru ? { responseUrl: meta.data.ru } : {}),
        },
      );
      await ack();
    } catch (err) {
      log.error({ err, platform: 'slack' }, 'could not record a rejection');
      await ack({ response_action: 'errors', errors: { [REASON_BLOCK]: SORRY } });
    }
  });

  registerSlackCommands(app, { deps, log, odooUrl: options.odooUrl, identity: options.identity });

  app.view(LINK_MODAL_CALLBACK, async ({ ack, body, view }) => {
    const identity = options.identity;
    const submitted = parseLinkSubmission(view);
    if ('errors' in submitted || !identity) {
      await ack({
        response_action: 'errors',
        errors: 'errors' in submitted ? submitted.errors : { [LINK_MODAL_IDS.apiKeyBlock]: LINK_OFF },
      });
      return;
    }
    const actor = actorOf(body);
    try {
      const result = await linkIdentity({ ...deps, ...identity }, { actor, apiKey: submitted.apiKey });
      if (!result.ok) {
        await ack({ response_action: 'errors', errors: { [LINK_MODAL_IDS.apiKeyBlock]: result.fieldError } });
        return;
      }
      await ack();
      const meta = z.object({ ru: z.string().url().optional() }).safeParse(safeJson(view.private_metadata));
      const ru = meta.success ? meta.data.ru : undefined;
      await deps.chat.tellUser(actor, result.text, ru ? { responseUrl: ru } : undefined);
    } catch (err) {
      log.error({ err, platform: 'slack', actor: `slack:${body.user.id}` }, 'could not link an Odoo API key');
      await ack({ response_action: 'errors', errors: { [LINK_MODAL_IDS.apiKeyBlock]: LINK_SORRY } }).catch(() => {});
    }
  });

  registerCaseActions(app, deps, log);
  registerExceptionActions(app, deps, log);
  registerSlackHome(app, deps, log);

  app.error(async (err) => {
    log.error({ err, platform: 'slack' }, 'Slack listener error');
  });
  return app;
}

function safeJson(s: string | undefined): unknown {
  if (!s) return null;
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
