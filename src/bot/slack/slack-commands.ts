import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { FlowDeps } from '../../flows/deps.js';
import type { Logger } from '../../flows/ports.js';
import type { ChatActor } from '../../flows/types.js';
import { parseCommand } from '../commands/parse-command.js';
import {
  answersAtOnce,
  COMMAND_MORE_ACTION,
  type IdentityLinking,
  runCommand,
  todayIn,
} from '../commands/run-command.js';
import {
  COMMAND_SHARE_ACTION,
  SHARE_ALREADY_TEXT,
  SHARE_DAMAGED_TEXT,
  SHARE_SORRY_TEXT,
  shareAnswer,
} from '../commands/share-answer.js';
import { linkModalView } from './link-modal.js';
import { commandAnswer, moreValueSchema, sharedAnswer, shareValueSchema } from './slack-command-answer.js';
import { parseJson, slackActor } from './slack-payload.js';

export interface SlackCommandsOptions {
  deps: FlowDeps;
  log: Logger;
  /** Base URL of Odoo, linked from the `/odoo link` form. */
  odooUrl: string;
  identity?: IdentityLinking | undefined;
}

const COMMAND_SORRY =
  'The bot could not answer this command (Odoo or its database is not answering). Nothing was changed; please try again in a minute.';
const DAMAGED = 'This button is damaged; run the command again.';

/**
 * `/odoo …` and the buttons under its answers. Answers are ephemeral (only
 * the asker sees them, through the command's response_url); "Show more"
 * adds the next page as a new private answer; "Share in channel" posts the
 * answer in the conversation where the command was typed (`in_channel`
 * through the click's response_url) and replaces the private copy with one
 * that says it was shared.
 */
export function registerSlackCommands(app: App, options: SlackCommandsOptions): void {
  const { deps, log } = options;
  const today = () => todayIn(deps.clock.now(), deps.policy.calendar.timeZone);

  app.command(/^\/odoo/, async ({ ack, command, respond, client }) => {
    const parsed = parseCommand(command.text, today(), command.command);
    const actor: ChatActor = {
      platform: 'slack',
      userId: command.user_id,
      teamId: command.team_id,
      ...(command.user_name ? { displayName: command.user_name } : {}),
    };
    const commands = { flow: deps, identity: options.identity };
    if (answersAtOnce(parsed)) {
      const reply = await runCommand(commands, actor, parsed, command.command);
      await ack({ response_type: 'ephemeral', text: reply.kind === 'text' ? reply.text : '' });
      return;
    }
    // Odoo lookups may take longer than Slack's 3 s: acknowledge now, answer through response_url.
    await ack();
    try {
      const reply = await runCommand(commands, actor, parsed, command.command);
      if (reply.kind === 'text') {
        await respond(commandAnswer(reply, command.command, { askerId: command.user_id }));
        return;
      }
      const meta = command.response_url.length < 1500 ? JSON.stringify({ ru: command.response_url }) : undefined;
      await client.views.open({
        trigger_id: command.trigger_id,
        view: linkModalView({
          odooUrl: options.odooUrl,
          login: reply.login,
          linked: reply.linked,
          privateMetadata: meta,
        }),
      });
    } catch (err) {
      log.error({ err, platform: 'slack', actor: `slack:${command.user_id}` }, 'a /odoo command failed');
      await respond({ response_type: 'ephemeral', text: COMMAND_SORRY }).catch(() => {});
    }
  });

  // "Show more" under a paged answer: rerun the query it carries from its offset, privately.
  app.action<BlockAction<ButtonAction>>(COMMAND_MORE_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    const value = moreValueSchema.safeParse(parseJson(action.value));
    const parsed = value.success ? parseCommand(value.data.q, today(), value.data.c) : null;
    if (!value.success || (parsed?.kind !== 'pending' && parsed?.kind !== 'exceptions')) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: DAMAGED });
      return;
    }
    try {
      const reply = await runCommand(
        { flow: deps },
        slackActor(body.user),
        { ...parsed, offset: value.data.o },
        value.data.c,
      );
      if (reply.kind === 'text')
        await respond({ ...commandAnswer(reply, value.data.c, { askerId: body.user.id }), replace_original: false });
    } catch (err) {
      log.error({ err, platform: 'slack', actor: `slack:${body.user.id}` }, 'a "Show more" click failed');
      await respond({ response_type: 'ephemeral', replace_original: false, text: COMMAND_SORRY }).catch(() => {});
    }
  });

  // "Share in channel": the same answer, asked again as the asker, posted once where they asked.
  app.action<BlockAction<ButtonAction>>(COMMAND_SHARE_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    const privately = (text: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, text }).catch((err: unknown) => {
        log.warn({ err, platform: 'slack' }, 'could not answer a Share click');
      });
    const value = shareValueSchema.safeParse(parseJson(action.value));
    if (!value.success) {
      await privately(SHARE_DAMAGED_TEXT);
      return;
    }
    const { q, o, c, u, k } = value.data;
    try {
      const result = await shareAnswer(
        deps,
        {
          key: k,
          askerId: u,
          actor: slackActor(body.user),
          query: q,
          offset: o,
          command: c,
          where: body.channel?.id ?? body.container?.channel_id ?? 'unknown',
        },
        async (reply) => {
          await respond(sharedAnswer(reply, c, body.user.id));
        },
      );
      if (result.kind === 'refused') await privately(result.text);
      else if (result.kind === 'already_shared') await privately(SHARE_ALREADY_TEXT);
      else
        await respond({ ...commandAnswer(result.reply, c, 'shared'), replace_original: true }).catch((err: unknown) => {
          log.warn({ err, platform: 'slack' }, 'shared an answer but could not mark the private copy as shared');
        });
    } catch (err) {
      log.error({ err, platform: 'slack', actor: `slack:${body.user.id}` }, 'a "Share" click failed');
      await privately(SHARE_SORRY_TEXT);
    }
  });
}
