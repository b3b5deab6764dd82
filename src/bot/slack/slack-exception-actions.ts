import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { ACTION_IDS } from '../../flows/card.js';
import type { FlowDeps } from '../../flows/deps.js';
import { todayIn } from '../../flows/exceptions/exception-domain.js';
import { EXCEPTION_JOBS, EXCEPTION_QUEUES, type ExceptionActJob } from '../../flows/exceptions/jobs.js';
import type { ExceptionAction } from '../../flows/exceptions/types.js';
import { jobId } from '../../flows/jobs.js';
import type { Logger } from '../../flows/ports.js';
import { parseJson, slackActor } from './slack-payload.js';

export const EXCEPTION_RESOLVE_MODAL = 'exception.resolve_modal';
export const EXCEPTION_SNOOZE_MODAL = 'exception.snooze_modal';
/** Block and action ids of the two forms, for tests and the adapter. */
export const EXCEPTION_FORM = {
  noteBlock: 'note',
  noteInput: 'note_input',
  dateBlock: 'until',
  dateInput: 'until_input',
} as const;

const valueSchema = z.object({ c: z.string().uuid() });
const metaSchema = z.object({ c: z.string().uuid(), ch: z.string().optional(), ru: z.string().optional() });

const SORRY =
  'The bot could not record this (its queue is not answering). Nothing was changed; please try again in a minute.';

/**
 * The exception card's buttons: "Assign to me" and "Escalate now" are queued
 * at once; "Resolve" and "Snooze" open a form first (trigger ids expire in
 * 3 s) whose submission is queued. The worker checks who may act.
 */
export function registerExceptionActions(
  app: App,
  deps: Pick<FlowDeps, 'queue' | 'clock' | 'policy'>,
  log: Logger,
): void {
  const queueAct = (job: ExceptionActJob, key: string) =>
    deps.queue.enqueue<ExceptionActJob>(EXCEPTION_QUEUES.work, EXCEPTION_JOBS.act, job, {
      jobId: jobId('exc-act', key),
    });
  const contextOf = (body: BlockAction) => ({
    ...(body.channel?.id ? { channelId: body.channel.id } : {}),
    ...(body.response_url && body.response_url.length < 1500 ? { responseUrl: body.response_url } : {}),
  });

  const direct = (actionId: string, action: ExceptionAction) =>
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action: button, respond }) => {
      await ack();
      const value = valueSchema.safeParse(parseJson(button.value));
      if (!value.success) return;
      try {
        await queueAct(
          { exceptionId: value.data.c, action, actor: slackActor(body.user), context: contextOf(body) },
          `${body.user.id}-${button.action_ts}`,
        );
      } catch (err) {
        log.error({ err, platform: 'slack' }, `could not queue exception ${action}`);
        await respond({ response_type: 'ephemeral', replace_original: false, text: SORRY }).catch(() => {});
      }
    });
  direct(ACTION_IDS.exceptionAssign, 'assign');
  direct(ACTION_IDS.exceptionEscalate, 'escalate');

  const form = (
    actionId: string,
    callback: string,
    title: string,
    submit: string,
    blocks: (today: string) => object[],
  ) =>
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      const value = valueSchema.safeParse(parseJson(action.value));
      if (!value.success) return;
      const ctx = contextOf(body);
      const meta = {
        c: value.data.c,
        ...(ctx.channelId ? { ch: ctx.channelId } : {}),
        ...(ctx.responseUrl ? { ru: ctx.responseUrl } : {}),
      };
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          callback_id: callback,
          private_metadata: JSON.stringify(meta),
          title: { type: 'plain_text', text: title },
          submit: { type: 'plain_text', text: submit },
          close: { type: 'plain_text', text: 'Cancel' },
          blocks: blocks(todayIn(deps.clock.now(), deps.policy.calendar.timeZone)) as never,
        },
      });
    });
  form(ACTION_IDS.exceptionResolve, EXCEPTION_RESOLVE_MODAL, 'Resolve exception', 'Resolve', () => [
    {
      type: 'input',
      block_id: EXCEPTION_FORM.noteBlock,
      label: { type: 'plain_text', text: 'How was it resolved?' },
      hint: { type: 'plain_text', text: 'The note goes to the Odoo chatter, the card and the audit log.' },
      element: { type: 'plain_text_input', action_id: EXCEPTION_FORM.noteInput, multiline: true, max_length: 2000 },
    },
  ]);
  form(ACTION_IDS.exceptionSnooze, EXCEPTION_SNOOZE_MODAL, 'Snooze exception', 'Snooze', (today) => [
    {
      type: 'input',
      block_id: EXCEPTION_FORM.dateBlock,
      label: { type: 'plain_text', text: 'Bring it back on' },
      hint: { type: 'plain_text', text: 'The SLA pauses until then; the exception reopens that morning.' },
      element: { type: 'datepicker', action_id: EXCEPTION_FORM.dateInput, initial_date: today },
    },
  ]);

  const submission = (callback: string, action: 'resolve' | 'snooze') =>
    app.view(callback, async ({ ack, body, view }) => {
      const values = view.state.values;
      const note = values[EXCEPTION_FORM.noteBlock]?.[EXCEPTION_FORM.noteInput]?.value?.trim() ?? '';
      const until = values[EXCEPTION_FORM.dateBlock]?.[EXCEPTION_FORM.dateInput]?.selected_date ?? '';
      const block = action === 'resolve' ? EXCEPTION_FORM.noteBlock : EXCEPTION_FORM.dateBlock;
      if (action === 'resolve' && note.length < 3) {
        await ack({ response_action: 'errors', errors: { [block]: 'Please say what was done (a few words).' } });
        return;
      }
      if (action === 'snooze' && !/^\d{4}-\d{2}-\d{2}$/.test(until)) {
        await ack({ response_action: 'errors', errors: { [block]: 'Please pick a date.' } });
        return;
      }
      const meta = metaSchema.safeParse(parseJson(view.private_metadata));
      if (!meta.success) {
        await ack({
          response_action: 'errors',
          errors: { [block]: 'This form is damaged; close it and try again from the card.' },
        });
        return;
      }
      const job: ExceptionActJob = {
        exceptionId: meta.data.c,
        action,
        actor: slackActor(body.user),
        ...(action === 'resolve' ? { note } : { until }),
        context: {
          ...(meta.data.ch ? { channelId: meta.data.ch } : {}),
          ...(meta.data.ru ? { responseUrl: meta.data.ru } : {}),
        },
      };
      try {
        await queueAct(job, `view-${view.id}`);
        await ack();
      } catch (err) {
        log.error({ err, platform: 'slack' }, `could not queue exception ${action}`);
        await ack({ response_action: 'errors', errors: { [block]: SORRY } });
      }
    });
  submission(EXCEPTION_RESOLVE_MODAL, 'resolve');
  submission(EXCEPTION_SNOOZE_MODAL, 'snooze');
}
