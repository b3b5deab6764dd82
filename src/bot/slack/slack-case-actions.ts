import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { ACTION_IDS } from '../../flows/card.js';
import type { FlowDeps } from '../../flows/deps.js';
import { type CaseActionJob, JOBS, jobId, QUEUES } from '../../flows/jobs.js';
import type { Logger } from '../../flows/ports.js';
import { parseJson, slackActor } from './slack-payload.js';

export const ASK_MODAL = 'approval.ask_modal';
export const ANSWER_MODAL = 'approval.answer_modal';
export const FORWARD_MODAL = 'approval.forward_modal';
const TEXT_BLOCK = 'text';
const TEXT_INPUT = 'text_input';
const TARGET_BLOCK = 'target';
const TARGET_INPUT = 'target_input';

const metaSchema = z.object({
  c: z.string().uuid(),
  q: z.string().optional(),
  ch: z.string().optional(),
  ru: z.string().optional(),
});

function textInput(label: string, hint: string, optional = false) {
  return {
    type: 'input' as const,
    block_id: TEXT_BLOCK,
    optional,
    label: { type: 'plain_text' as const, text: label },
    hint: { type: 'plain_text' as const, text: hint },
    element: { type: 'plain_text_input' as const, action_id: TEXT_INPUT, multiline: true, max_length: 2000 },
  };
}

const SORRY =
  'The bot could not record this (its queue is not answering). Nothing was sent; please try again in a minute.';

/**
 * "Ask a question", "Answer" and "Forward": each opens a modal at once
 * (trigger ids expire in 3 s) and queues the submission for a worker.
 */
export function registerCaseActions(app: App, deps: Pick<FlowDeps, 'queue'>, log: Logger): void {
  const open = (callback: string, title: string, submit: string, meta: object, blocks: object[]) => ({
    type: 'modal' as const,
    callback_id: callback,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text' as const, text: title },
    submit: { type: 'plain_text' as const, text: submit },
    close: { type: 'plain_text' as const, text: 'Cancel' },
    blocks: blocks as never,
  });
  const metaFrom = (body: BlockAction, value: unknown) => {
    const v = value as { c?: string; q?: string } | null;
    return {
      c: v?.c,
      ...(v?.q ? { q: v.q } : {}),
      ...(body.channel?.id ? { ch: body.channel.id } : {}),
      ...(body.response_url && body.response_url.length < 1500 ? { ru: body.response_url } : {}),
    };
  };

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.askQuestion, async ({ ack, body, action, client }) => {
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: open(ASK_MODAL, 'Ask a question', 'Send', metaFrom(body, parseJson(action.value)), [
        textInput(
          'Your question for the requester',
          'They are asked in chat; the question and answer go to the Odoo chatter and the card.',
        ),
      ]),
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.answerQuestion, async ({ ack, body, action, client }) => {
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: open(ANSWER_MODAL, 'Answer', 'Send', metaFrom(body, parseJson(action.value)), [
        textInput('Your answer', 'The approvers see it on the card; it is also noted in Odoo.'),
      ]),
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.forward, async ({ ack, body, action, client }) => {
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: open(FORWARD_MODAL, 'Forward', 'Forward', metaFrom(body, parseJson(action.value)), [
        {
          type: 'input',
          block_id: TARGET_BLOCK,
          label: { type: 'plain_text', text: 'Forward to' },
          element: { type: 'users_select', action_id: TARGET_INPUT },
        },
        textInput('Why?', 'Required when the person is not one of the approvers.', true),
      ]),
    });
  });

  const submission = (callback: string, name: string, required: boolean) =>
    app.view(callback, async ({ ack, body, view }) => {
      const text = view.state.values[TEXT_BLOCK]?.[TEXT_INPUT]?.value?.trim() ?? '';
      if (required && text.length < 2) {
        await ack({ response_action: 'errors', errors: { [TEXT_BLOCK]: 'Please write a few words.' } });
        return;
      }
      const meta = metaSchema.safeParse(parseJson(view.private_metadata));
      if (!meta.success) {
        await ack({
          response_action: 'errors',
          errors: { [TEXT_BLOCK]: 'This form is damaged; close it and try again from the card.' },
        });
        return;
      }
      const target = view.state.values[TARGET_BLOCK]?.[TARGET_INPUT]?.selected_user ?? undefined;
      const job: CaseActionJob = {
        caseId: meta.data.c,
        actor: slackActor(body.user),
        text,
        ...(meta.data.q ? { requestId: meta.data.q } : {}),
        ...(target ? { toChatUserId: target } : {}),
        context: {
          ...(meta.data.ch ? { channelId: meta.data.ch } : {}),
          ...(meta.data.ru ? { responseUrl: meta.data.ru } : {}),
        },
      };
      try {
        await deps.queue.enqueue<CaseActionJob>(QUEUES.decisions, name, job, { jobId: jobId(name, view.id) });
        await ack();
      } catch (err) {
        log.error({ err, platform: 'slack' }, `could not queue ${name}`);
        await ack({ response_action: 'errors', errors: { [TEXT_BLOCK]: SORRY } });
      }
    });
  submission(ASK_MODAL, JOBS.askQuestion, true);
  submission(ANSWER_MODAL, JOBS.answerQuestion, true);
  submission(FORWARD_MODAL, JOBS.forwardCase, false);
}
