import { z } from 'zod';
import { buildCard } from '../../flows/build-card.js';
import { ACTION_IDS, type CardModel } from '../../flows/card.js';
import { insightsFor } from '../../flows/case-insights.js';
import type { FlowDeps } from '../../flows/deps.js';
import { buildExceptionCard } from '../../flows/exceptions/build-exception-card.js';
import { findDefinition } from '../../flows/exceptions/exception-support.js';
import { EXCEPTION_JOBS, EXCEPTION_QUEUES, type ExceptionActJob } from '../../flows/exceptions/jobs.js';
import type { ExceptionAction } from '../../flows/exceptions/types.js';
import { findFlow } from '../../flows/find-flow.js';
import { type CaseActionJob, JOBS, jobId, QUEUES } from '../../flows/jobs.js';
import { RECORDED_NOT_QUEUED, requestDecision } from '../../flows/request-decision.js';
import type { ChatActor } from '../../flows/types.js';
import type { TeamsStore } from '../../store/pg-teams-store.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, renderAdaptiveCard } from './render-adaptive-card.js';
import type { TeamsPlatform } from './teams-platform.js';

/** What an `adaptiveCard/action` invoke answers: a card to show instead, or an error. */
export type CardActionReply =
  | { statusCode: 200; type: typeof ADAPTIVE_CARD_CONTENT_TYPE; value: Record<string, unknown> }
  | { statusCode: 400 | 500; type: 'application/vnd.microsoft.error'; value: { code: string; message: string } };

export interface CardActionInput {
  /** The invoke activity's id: Teams sends the same id when it retries, so it is the idempotency key. */
  activityId: string;
  conversationId: string;
  actor: ChatActor;
  verb: string;
  data: Record<string, unknown>;
}

const dataSchema = z.object({ c: z.string().uuid(), w: z.string().nullable().optional(), q: z.string().optional() });
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

const SORRY =
  'The bot could not record your click (its database or queue is not answering). Nothing was decided; please try again in a minute.';

const error = (statusCode: 400 | 500, code: string, message: string): CardActionReply => ({
  statusCode,
  type: 'application/vnd.microsoft.error',
  value: { code, message },
});

const EXCEPTION_VERBS: Record<string, ExceptionAction> = {
  [ACTION_IDS.exceptionAssign]: 'assign',
  [ACTION_IDS.exceptionResolve]: 'resolve',
  [ACTION_IDS.exceptionSnooze]: 'snooze',
  [ACTION_IDS.exceptionEscalate]: 'escalate',
};

const CASE_JOBS: Record<string, { job: string; field: string; doing: string }> = {
  [ACTION_IDS.askQuestion]: { job: JOBS.askQuestion, field: 'question', doing: 'Your question is being sent…' },
  [ACTION_IDS.answerQuestion]: { job: JOBS.answerQuestion, field: 'answer', doing: 'Your answer is being sent…' },
  [ACTION_IDS.forward]: { job: JOBS.forwardCase, field: 'reason', doing: 'The approval is being forwarded…' },
};

/**
 * Handles Action.Execute clicks and refreshes. Every click is recorded (or
 * queued) and answered at once with the current card and a short status line;
 * the worker updates every copy once Odoo has answered.
 */
export class TeamsCardActions {
  constructor(
    private readonly deps: FlowDeps,
    private readonly store: TeamsStore,
    private readonly platform: TeamsPlatform,
  ) {}

  async handle(input: CardActionInput): Promise<CardActionReply> {
    const parsed = dataSchema.safeParse(input.data);
    if (!parsed.success)
      return error(400, 'card.damaged', 'This button is from an unknown or damaged card; nothing was done.');
    const caseId = parsed.data.c;
    const context = { channelId: input.conversationId };
    try {
      const exceptionAction = EXCEPTION_VERBS[input.verb];
      if (exceptionAction) return await this.queueExceptionAction(input, caseId, exceptionAction);
      switch (input.verb) {
        case ACTION_IDS.refresh:
          return await this.currentCard(caseId, input.actor);
        case ACTION_IDS.approve:
        case ACTION_IDS.reject: {
          const action = input.verb === ACTION_IDS.approve ? 'approve' : 'reject';
          const reason = text(input.data.reason);
          if (action === 'reject' && reason.length < 3)
            return await this.currentCard(
              caseId,
              input.actor,
              'Please give a reason (at least a few words) to reject.',
            );
          const recorded = await requestDecision(
            this.deps,
            {
              caseId,
              idempotencyKey: `teams.${input.activityId}`,
              action,
              actor: input.actor,
              reason: action === 'reject' ? reason : null,
              cardWriteDate: parsed.data.w ?? null,
            },
            context,
          );
          const doing = !recorded.queued
            ? RECORDED_NOT_QUEUED
            : action === 'approve'
              ? 'Your approval is being recorded…'
              : 'Your rejection is being recorded…';
          return await this.currentCard(caseId, input.actor, doing, false);
        }
        default: {
          const spec = CASE_JOBS[input.verb];
          if (!spec)
            return error(400, 'card.unknown_action', `"${input.verb}" is not an action this bot offers in Teams.`);
          return await this.queueCaseAction(input, caseId, parsed.data.q, spec);
        }
      }
    } catch (err) {
      this.deps.log.error(
        { err, platform: 'teams', caseId, actor: `teams:${input.actor.userId}` },
        'card action failed',
      );
      return error(500, 'card.failed', SORRY);
    }
  }

  private async queueCaseAction(
    input: CardActionInput,
    caseId: string,
    requestId: string | undefined,
    spec: { job: string; field: string; doing: string },
  ): Promise<CardActionReply> {
    let toChatUserId: string | undefined;
    if (input.verb === ACTION_IDS.forward) {
      const email = text(input.data.to);
      const to = email ? await this.store.userByEmail(email) : null;
      if (!to)
        return this.currentCard(
          caseId,
          input.actor,
          `Nobody with the email "${email.slice(0, 80)}" has used this bot in Teams yet, so the approval was not forwarded. Check the address, or ask them to install the app.`,
        );
      toChatUserId = to.aadObjectId;
    }
    const body = text(input.data[spec.field]);
    if (input.verb !== ACTION_IDS.forward && body.length < 2)
      return this.currentCard(caseId, input.actor, 'Please write a few words first.');
    const job: CaseActionJob = {
      caseId,
      actor: input.actor,
      text: body,
      ...(requestId ? { requestId } : {}),
      ...(toChatUserId ? { toChatUserId } : {}),
      context: { channelId: input.conversationId },
    };
    await this.deps.queue.enqueue<CaseActionJob>(QUEUES.decisions, spec.job, job, {
      jobId: jobId(spec.job, 'teams', input.activityId),
    });
    return this.currentCard(caseId, input.actor, spec.doing, false);
  }

  /** Exception buttons: queued for the worker, which checks who may act, like Slack's. */
  private async queueExceptionAction(
    input: CardActionInput,
    exceptionId: string,
    action: ExceptionAction,
  ): Promise<CardActionReply> {
    const note = text(input.data.note);
    const until = text(input.data.until);
    if (action === 'resolve' && note.length < 2)
      return this.currentCard(exceptionId, input.actor, 'Please write how it was resolved.');
    if (action === 'snooze' && !/^\d{4}-\d{2}-\d{2}$/.test(until))
      return this.currentCard(exceptionId, input.actor, 'Please pick the date it should come back.');
    const job: ExceptionActJob = {
      exceptionId,
      action,
      actor: input.actor,
      ...(note ? { note } : {}),
      ...(until ? { until } : {}),
      context: { channelId: input.conversationId },
    };
    await this.deps.queue.enqueue<ExceptionActJob>(EXCEPTION_QUEUES.work, EXCEPTION_JOBS.act, job, {
      jobId: jobId('exc-act', 'teams', input.activityId),
    });
    return this.currentCard(exceptionId, input.actor, 'Your request is being recorded…', false);
  }

  /** The case's card as this person should see it: buttons only when they may act. */
  async currentCard(caseId: string, actor: ChatActor, notice?: string, buttons = true): Promise<CardActionReply> {
    const card = await this.cardOf(caseId);
    if (!card)
      return error(400, 'card.case_gone', 'This approval no longer exists in the bot; open the record in Odoo.');
    const email = (await this.platform.userEmail(actor.userId))?.toLowerCase() ?? null;
    const mayAct = buttons && !!email && (card.actors ?? []).some((a) => a.email?.toLowerCase() === email);
    const value = renderAdaptiveCard(card, {
      showActions: mayAct,
      refreshUserIds: await this.platform.actorIds(card),
      ...(notice ? { notice } : {}),
    });
    return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value };
  }

  private async cardOf(caseId: string): Promise<CardModel | null> {
    const c = await this.deps.store.getCase(caseId);
    if (!c) {
      // Exception cards share the renderer and the refresh verb.
      const item = this.deps.exceptions ? await this.deps.exceptions.get(caseId) : null;
      return item ? buildExceptionCard(findDefinition(this.deps, item.definitionId), item) : null;
    }
    const flow = findFlow(this.deps.policy, c.flowId);
    const decision = c.decisionId ? await this.deps.store.getDecision(c.decisionId) : null;
    // Risk flags and an accepted AI draft, as on the posted copies.
    const insights = await insightsFor(this.deps.context, flow, c, this.deps.log);
    return buildCard(flow, c, decision, null, insights);
  }
}
