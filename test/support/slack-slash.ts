import { randomUUID } from 'node:crypto';
import type { FakeSlackApi } from '../../src/sandbox/slack/fake-slack-api.js';
import { slashCommandFields } from '../../src/sandbox/slack/payloads.js';
import { signedSlackHeaders, slashCommandBody } from '../../src/sandbox/slack/sign-slack-request.js';
import { eventually, SIGNING_SECRET } from './purchase-scenario.js';

export interface SlashResult {
  status: number;
  /** What Slack got back at once (the ack body), possibly empty. */
  ack: { text?: string; response_type?: string };
  /** The response_url id the command carried, to read a later answer with `s.slack.responses(id)`. */
  responseId: string;
}

/** Sends `/odoo <text>` as Slack does: form-encoded, signed, with a trigger id and a response_url on the fake. */
export async function sendSlash(
  baseUrl: string,
  slack: FakeSlackApi,
  userId: string,
  text: string,
  channelId: string,
): Promise<SlashResult> {
  const responseId = randomUUID();
  const req = slashCommandBody(
    slashCommandFields({
      text,
      userId,
      channelId,
      triggerId: slack.issueTriggerId(userId),
      responseUrl: slack.responseUrl(responseId),
    }),
  );
  const res = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: signedSlackHeaders(SIGNING_SECRET, req),
    body: req.body,
  });
  const raw = await res.text();
  return { status: res.status, ack: raw ? (JSON.parse(raw) as SlashResult['ack']) : {}, responseId };
}

/** The private answer of a command: the ack's text when it answered at once, else what was posted to its response_url. */
export async function slashAnswer(
  slack: FakeSlackApi,
  r: SlashResult,
): Promise<{ text: string; body: Record<string, unknown> }> {
  if (r.ack.text) return { text: r.ack.text, body: r.ack as Record<string, unknown> };
  const posted = await eventually(() => slack.responses(r.responseId)[0]);
  const body = posted.body as { text: string };
  return { text: body.text, body: body as Record<string, unknown> };
}
