/**
 * Requests as Slack sends them to our app: form bodies signed with the app's
 * signing secret (`v0:<timestamp>:<raw body>`, HMAC-SHA256, hex). The
 * content type is exactly `application/x-www-form-urlencoded`: Bolt parses
 * form bodies only for that exact string and answers 400 if `; charset=…`
 * is added.
 */
import { createHmac } from 'node:crypto';

export const SLACK_FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** A type alias rather than an interface so it is assignable to fetch's `HeadersInit`. */
export type SlackSignatureHeaders = {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
};

export interface SlackRequestBody {
  body: string;
  headers: { 'content-type': typeof SLACK_FORM_CONTENT_TYPE };
}

/** Signature headers for `rawBody`; pass an old `timestampSec` to test replay rejection. */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSec: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': String(timestampSec) };
}

/** Content type plus signature: everything a signed Slack POST carries besides the body. */
export function signedSlackHeaders(
  signingSecret: string,
  request: SlackRequestBody,
  timestampSec?: number,
): SlackRequestBody['headers'] & SlackSignatureHeaders {
  return { ...request.headers, ...signSlackRequest(signingSecret, request.body, timestampSec) };
}

function form(fields: Record<string, string>): SlackRequestBody {
  return { body: new URLSearchParams(fields).toString(), headers: { 'content-type': SLACK_FORM_CONTENT_TYPE } };
}

/** Interactivity request: `payload=<url-encoded JSON>`. */
export function blockActionsBody(payload: object): SlackRequestBody {
  return form({ payload: JSON.stringify(payload) });
}

/** Same wire format as block actions; a separate name keeps tests readable. */
export function viewSubmissionBody(payload: object): SlackRequestBody {
  return form({ payload: JSON.stringify(payload) });
}

/** Slash commands arrive as flat form fields, not as a JSON payload. */
export function slashCommandBody(fields: Record<string, string>): SlackRequestBody {
  return form(fields);
}
