import { randomUUID } from 'node:crypto';
import type { SandboxWorld } from './sandbox-world.js';
import { blockActionsPayload, slashCommandFields, viewSubmissionPayload } from './slack/payloads.js';
import {
  blockActionsBody,
  signedSlackHeaders,
  slashCommandBody,
  viewSubmissionBody,
} from './slack/sign-slack-request.js';
import { cardActionActivity, messageActivity } from './teams/activities.js';

type Json = Record<string, unknown>;

/** What the service answered to a request the sandbox sent on someone's behalf. */
export interface SentRequest {
  status: number;
  body: string;
}

/**
 * Sends the requests Slack, Teams and Odoo would send, signed the way they
 * sign them, to the service's real endpoints, so the sandbox exercises the
 * same signature checks and handlers as production.
 */
export class SandboxActions {
  constructor(
    private readonly world: SandboxWorld,
    private readonly baseUrl: string,
  ) {}

  /** Odoo's "Send Webhook Notification" for a record (Odoo 17 body: sorted keys). */
  webhook(model: string, id: number): Promise<SentRequest> {
    const rec = this.world.odoo.record(model, id);
    if (!rec) throw new Error(`no ${model} #${id} in the simulated Odoo`);
    const body = { _action: 'Notify chatops(#12)', _id: id, _model: model, id, write_date: rec.write_date };
    return this.send(`/odoo/webhook/${this.world.secrets.webhookToken}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body, Object.keys(body).sort()),
    });
  }

  /** A click on a button of a Slack message, as `person` (a sandbox person key). */
  slackClick(person: string, channel: string, ts: string, actionId: string): Promise<SentRequest> {
    const who = this.world.person(person);
    const message = this.world.slack.messages(channel).find((m) => m.ts === ts && !m.deleted);
    if (!message) throw new Error(`no message ${ts} in Slack channel ${channel}`);
    const button = buttonsOf(message.blocks)[actionId];
    if (!button) throw new Error(`the message has no button "${actionId}" (it may have been updated)`);
    const payload = blockActionsPayload({
      userId: who.slackId,
      userName: who.key,
      actionId,
      value: String(button.value ?? ''),
      channelId: channel,
      messageTs: ts,
      message: { type: 'message', ts, text: message.text, blocks: message.blocks, bot_id: this.world.slack.botId },
      teamId: this.world.slack.teamId,
      triggerId: this.world.slack.issueTriggerId(who.slackId),
      responseUrl: this.world.slack.responseUrl(undefined, { channelId: channel, messageTs: ts, userId: who.slackId }),
    });
    const req = blockActionsBody(payload);
    return this.send('/slack/events', { headers: this.sign(req), body: req.body });
  }

  /** Submits an open Slack modal, putting `text` into its text inputs. */
  slackSubmit(person: string, viewId: string, text: string): Promise<SentRequest> {
    const who = this.world.person(person);
    const stored = this.world.slack.views().find((v) => v.id === viewId);
    if (!stored) throw new Error(`no open Slack modal ${viewId}`);
    const view = stored.view;
    const values: Record<string, Record<string, Json>> = {};
    for (const block of (view.blocks as Json[] | undefined) ?? []) {
      if (block.type !== 'input') continue;
      const el = block.element as Json;
      const actionId = String(el.action_id);
      const blockId = String(block.block_id);
      if (el.type === 'plain_text_input') values[blockId] = { [actionId]: { type: el.type, value: text } };
      else if (el.type === 'datepicker')
        values[blockId] = { [actionId]: { type: el.type, selected_date: el.initial_date ?? null } };
      else if (el.type === 'users_select') values[blockId] = { [actionId]: { type: el.type, selected_user: null } };
    }
    const payload = viewSubmissionPayload({
      userId: who.slackId,
      userName: who.key,
      teamId: this.world.slack.teamId,
      callbackId: String(view.callback_id ?? ''),
      privateMetadata: String(view.private_metadata ?? ''),
      values,
      viewId,
      hash: String(view.hash ?? stored.hash),
    });
    const req = viewSubmissionBody(payload);
    return this.send('/slack/events', { headers: this.sign(req), body: req.body });
  }

  /** `/odoo <text>` typed by `person` in `channel`; the private answer arrives on a response_url. */
  async slashCommand(
    person: string,
    channel: string,
    text: string,
  ): Promise<SentRequest & { responseId: string; command: string }> {
    const who = this.world.person(person);
    const responseId = randomUUID();
    const req = slashCommandBody(
      slashCommandFields({
        text,
        userId: who.slackId,
        userName: who.key,
        channelId: channel,
        teamId: this.world.slack.teamId,
        triggerId: this.world.slack.issueTriggerId(who.slackId),
        responseUrl: this.world.slack.responseUrl(responseId),
      }),
    );
    const sent = await this.send('/slack/events', { headers: this.sign(req), body: req.body });
    return { ...sent, responseId, command: `/odoo ${text}` };
  }

  /** An Action.Execute click on an Adaptive Card in Teams (invoke `adaptiveCard/action`), signed by the Bot Connector. */
  teamsAction(
    person: string,
    conversationId: string,
    activityId: string,
    verb: string,
    data: Json,
  ): Promise<SentRequest> {
    const who = this.world.person(person);
    const ctx = this.teamsContextFor(conversationId);
    const activity = cardActionActivity(ctx, who.teams, { verb, data, replyToId: activityId });
    return this.deliver(activity);
  }

  /** A message to the bot in Teams (in a channel Teams adds the @mention). */
  teamsMessage(person: string, conversationId: string, text: string): Promise<SentRequest> {
    const who = this.world.person(person);
    return this.deliver(messageActivity(this.teamsContextFor(conversationId), who.teams, text));
  }

  private teamsContextFor(conversationId: string) {
    return conversationId.startsWith('a:')
      ? this.world.teamsContext({ kind: 'personal', id: conversationId })
      : this.world.teamsChannelContext();
  }

  async deliver(activity: Parameters<SandboxWorld['teams']['deliver']>[1]): Promise<SentRequest> {
    const res = await this.world.teams.deliver(`${this.baseUrl}/api/messages`, activity);
    return { status: res.status, body: await res.text() };
  }

  private sign(req: { body: string; headers: { 'content-type': 'application/x-www-form-urlencoded' } }) {
    return signedSlackHeaders(this.world.secrets.signingSecret, req);
  }

  private async send(path: string, init: { headers: Record<string, string>; body: string }): Promise<SentRequest> {
    const res = await fetch(`${this.baseUrl}${path}`, { method: 'POST', ...init });
    return { status: res.status, body: await res.text() };
  }
}

/** The buttons of a Block Kit message, by action id. */
export function buttonsOf(blocks: unknown): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const block of (blocks as Json[] | undefined) ?? []) {
    if (block.type !== 'actions') continue;
    for (const el of block.elements as Json[]) out[String(el.action_id)] = el;
  }
  return out;
}
