/**
 * Builders for what Slack sends our app, following the documented shapes
 * (docs.slack.dev interaction payloads, Bolt's `SlashCommand` type). Each
 * takes the few fields a test cares about plus `overrides`, merged last over
 * the top level, so a test can also send a malformed payload on purpose.
 * Defaults match `FakeSlackApi` defaults (team `T0FAKETEAM1`).
 */
export type JsonObject = Record<string, unknown>;

export interface BlockActionsInput {
  actionId?: string;
  blockId?: string;
  value?: string;
  /** Element type of the clicked action; default `button`. */
  actionType?: string;
  userId?: string;
  userName?: string;
  teamId?: string;
  teamDomain?: string;
  channelId?: string;
  channelName?: string;
  messageTs?: string;
  /** The message the button sits on; default a bot message with `messageTs`. */
  message?: JsonObject;
  isEphemeral?: boolean;
  /** A modal the action came from: the container becomes the view and channel/message go. */
  view?: JsonObject;
  responseUrl?: string;
  triggerId?: string;
  apiAppId?: string;
  stateValues?: Record<string, Record<string, JsonObject>>;
}

const DEFAULT_TEAM = 'T0FAKETEAM1';
const DEFAULT_APP = 'A0FAKEAPP01';
const DEFAULT_USER = 'U0FAKEUSER1';

function nowTs(): string {
  return (Date.now() / 1000).toFixed(6);
}

function defaultTrigger(): string {
  return `${Math.floor(Date.now() / 1000)}.1.fake-trigger-id`;
}

function defaultResponseUrl(teamId: string): string {
  return `https://hooks.slack.com/actions/${teamId}/1/fake-response-url`;
}

/** A `block_actions` payload: a button click on a message (or in a modal, with `view`). */
export function blockActionsPayload(input: BlockActionsInput = {}, overrides: JsonObject = {}): JsonObject {
  const teamId = input.teamId ?? DEFAULT_TEAM;
  const channelId = input.channelId ?? 'C0FAKECHAN1';
  const messageTs = input.messageTs ?? '1700000000.000100';
  const action = {
    type: input.actionType ?? 'button',
    action_id: input.actionId ?? 'approval.approve',
    block_id: input.blockId ?? 'approval.actions',
    value: input.value ?? 'case-1',
    text: { type: 'plain_text', text: 'Approve', emoji: true },
    action_ts: nowTs(),
  };
  const where = input.view
    ? { container: { type: 'view', view_id: input.view.id }, view: input.view }
    : {
        container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: !!input.isEphemeral },
        channel: { id: channelId, name: input.channelName ?? 'approvals' },
        ...(input.isEphemeral
          ? {}
          : {
              message: input.message ?? {
                type: 'message',
                ts: messageTs,
                text: 'Approval needed',
                bot_id: 'B0FAKEBOT01',
              },
            }),
        response_url: input.responseUrl ?? defaultResponseUrl(teamId),
      };
  return {
    type: 'block_actions',
    user: {
      id: input.userId ?? DEFAULT_USER,
      username: input.userName ?? 'alice',
      name: input.userName ?? 'alice',
      team_id: teamId,
    },
    api_app_id: input.apiAppId ?? DEFAULT_APP,
    token: 'deprecated-verification-token',
    team: { id: teamId, domain: input.teamDomain ?? 'fake-workspace' },
    enterprise: null,
    is_enterprise_install: false,
    trigger_id: input.triggerId ?? defaultTrigger(),
    ...where,
    state: { values: input.stateValues ?? {} },
    actions: [action],
    ...overrides,
  };
}

export interface ViewSubmissionInput {
  callbackId?: string;
  privateMetadata?: string;
  /** `state.values[block_id][action_id]`, e.g. `{ reason: { 'reason.input': { type: 'plain_text_input', value: 'ok' } } }`. */
  values?: Record<string, Record<string, JsonObject>>;
  viewId?: string;
  hash?: string;
  blocks?: unknown[];
  userId?: string;
  userName?: string;
  teamId?: string;
  triggerId?: string;
  apiAppId?: string;
  /** Only present when an input has `response_url_enabled`. */
  responseUrls?: Array<{ block_id: string; action_id: string; channel_id: string; response_url: string }>;
}

/** A `view_submission` payload: the user pressed the modal's submit button. */
export function viewSubmissionPayload(input: ViewSubmissionInput = {}, overrides: JsonObject = {}): JsonObject {
  const teamId = input.teamId ?? DEFAULT_TEAM;
  const viewId = input.viewId ?? 'V0FAKEVIEW1';
  const appId = input.apiAppId ?? DEFAULT_APP;
  return {
    type: 'view_submission',
    team: { id: teamId, domain: 'fake-workspace' },
    user: {
      id: input.userId ?? DEFAULT_USER,
      username: input.userName ?? 'alice',
      name: input.userName ?? 'alice',
      team_id: teamId,
    },
    api_app_id: appId,
    token: 'deprecated-verification-token',
    trigger_id: input.triggerId ?? defaultTrigger(),
    view: {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      blocks: input.blocks ?? [],
      private_metadata: input.privateMetadata ?? '',
      callback_id: input.callbackId ?? 'approval.reject',
      state: { values: input.values ?? {} },
      hash: input.hash ?? '1700000000.fakehash',
      title: { type: 'plain_text', text: 'Reject', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel', emoji: true },
      submit: { type: 'plain_text', text: 'Reject', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: appId,
      external_id: '',
      app_installed_team_id: teamId,
      bot_id: 'B0FAKEBOT01',
    },
    response_urls: input.responseUrls ?? [],
    is_enterprise_install: false,
    enterprise: null,
    ...overrides,
  };
}

export interface SlashCommandInput {
  command?: string;
  text?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  teamId?: string;
  teamDomain?: string;
  responseUrl?: string;
  triggerId?: string;
  apiAppId?: string;
}

/** The flat form fields of a slash command (Bolt's `SlashCommand`). */
export function slashCommandFields(
  input: SlashCommandInput = {},
  overrides: Record<string, string> = {},
): Record<string, string> {
  const teamId = input.teamId ?? DEFAULT_TEAM;
  return {
    token: 'deprecated-verification-token',
    team_id: teamId,
    team_domain: input.teamDomain ?? 'fake-workspace',
    channel_id: input.channelId ?? 'C0FAKECHAN1',
    channel_name: input.channelName ?? 'approvals',
    user_id: input.userId ?? DEFAULT_USER,
    user_name: input.userName ?? 'alice',
    command: input.command ?? '/odoo',
    text: input.text ?? '',
    api_app_id: input.apiAppId ?? DEFAULT_APP,
    is_enterprise_install: 'false',
    response_url: input.responseUrl ?? `https://hooks.slack.com/commands/${teamId}/1/fake-response-url`,
    trigger_id: input.triggerId ?? defaultTrigger(),
    ...overrides,
  };
}
