import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  type WebClientOptions,
} from '@slack/web-api';
import { AppError } from '../../errors.js';
import type { CardModel } from '../../flows/card.js';
import type { ChatPlatform, Logger } from '../../flows/ports.js';
import type { ChatActor, ChatTarget, PostedMessageRef } from '../../flows/types.js';
import { renderBlockKit } from './render-block-kit.js';
import { slackLogger } from './slack-logger.js';

export interface SlackPlatformOptions {
  token: string;
  /** The Slack channel of each flow, from the policy file. */
  channels?: (flowId: string) => string | null;
  /** Any Slack-compatible Web API base URL, ending in `/api/`. */
  apiUrl?: string | undefined;
  logger?: Logger;
  /**
   * Retries inside one call. Jobs retry on their own, so keep this short: the
   * client's default keeps trying for 30 minutes.
   */
  retries?: number;
}

const OPERATOR_ERRORS: Record<string, string> = {
  invalid_auth: 'SLACK_BOT_TOKEN is not valid: copy the Bot User OAuth Token again from your Slack app.',
  not_authed: 'SLACK_BOT_TOKEN is missing from the request.',
  account_inactive: 'the Slack app was uninstalled or its token revoked: reinstall it and update SLACK_BOT_TOKEN.',
  token_revoked: 'the Slack token was revoked: reinstall the app and update SLACK_BOT_TOKEN.',
  missing_scope: 'the Slack app lacks a scope: add the scopes from manifests/slack/manifest.yaml and reinstall it.',
  channel_not_found:
    "the channel does not exist or the bot cannot see it: check the channel id in the policy file and invite the bot to it (/invite @<the bot's name>).",
  not_in_channel: "the bot is not in the channel: invite it with /invite @<the bot's name>.",
  is_archived: 'the channel is archived: unarchive it or pick another channel in the policy file.',
};

/** Wraps Slack client errors once, here, into our error kinds. */
export function mapSlackError(err: unknown, method: string): AppError {
  if (err instanceof WebAPIPlatformError) {
    const code = err.data.error;
    if (code === 'ratelimited')
      return new AppError('slack.rate_limited', 'transient', `Slack rate-limited ${method}`, { cause: err });
    const hint = OPERATOR_ERRORS[code];
    return new AppError(`slack.${code}`, 'internal', `Slack refused ${method} (${code})${hint ? `: ${hint}` : ''}`, {
      cause: err,
      details: { method, error: code },
    });
  }
  if (err instanceof WebAPIRateLimitedError)
    return new AppError(
      'slack.rate_limited',
      'transient',
      `Slack rate-limited ${method}; retry after ${err.retryAfter}s`,
      {
        cause: err,
        details: { retryAfter: err.retryAfter },
      },
    );
  if (err instanceof WebAPIHTTPError || err instanceof WebAPIRequestError)
    return new AppError('slack.unreachable', 'transient', `Slack did not answer ${method}: ${err.message}`, {
      cause: err,
    });
  return new AppError('slack.unexpected', 'internal', `Slack call ${method} failed: ${String(err)}`, { cause: err });
}

/** The chat-platform port on the Slack Web API. Block Kit never leaves this folder. */
export class SlackPlatform implements ChatPlatform {
  readonly platform = 'slack' as const;
  readonly client: WebClient;

  constructor(private readonly options: SlackPlatformOptions) {
    const clientOptions: WebClientOptions = {
      retryConfig: { retries: options.retries ?? 2, factor: 2, minTimeout: 500, maxTimeout: 5000 },
    };
    if (options.apiUrl) clientOptions.slackApiUrl = options.apiUrl;
    if (options.logger) clientOptions.logger = slackLogger(options.logger);
    this.client = new WebClient(options.token, clientOptions);
  }

  private async call<T>(method: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw mapSlackError(err, method);
    }
  }

  /** Checks the token and returns the bot's identity (for start-up and `check`). */
  async authTest(): Promise<{ teamId: string; team: string; botId: string; botUserId: string }> {
    const r = await this.call('auth.test', () => this.client.auth.test());
    return { teamId: r.team_id ?? '', team: r.team ?? '', botId: r.bot_id ?? '', botUserId: r.user_id ?? '' };
  }

  async channelFor(flowId: string): Promise<string | null> {
    return this.options.channels?.(flowId) ?? null;
  }

  async postCard(target: ChatTarget, card: CardModel): Promise<PostedMessageRef> {
    const { text, blocks } = renderBlockKit(card);
    const channel = target.kind === 'channel' ? target.channelId : target.userId;
    const r = await this.call('chat.postMessage', () => this.client.chat.postMessage({ channel, text, blocks }));
    if (!r.channel || !r.ts)
      throw new AppError(
        'slack.bad_response',
        'transient',
        'Slack accepted chat.postMessage but returned no channel or ts',
      );
    return {
      platform: 'slack',
      channelId: r.channel,
      messageId: r.ts,
      kind: target.kind === 'channel' ? 'channel' : 'dm',
      ...(target.kind === 'user' ? { recipient: target.userId } : {}),
    };
  }

  async updateCard(ref: PostedMessageRef, card: CardModel): Promise<void> {
    const { text, blocks } = renderBlockKit(card);
    await this.call('chat.update', () =>
      this.client.chat.update({ channel: ref.channelId, ts: ref.messageId, text, blocks }),
    );
  }

  async postReply(ref: PostedMessageRef, text: string): Promise<void> {
    await this.call('chat.postMessage', () =>
      this.client.chat.postMessage({ channel: ref.channelId, thread_ts: ref.messageId, text }),
    );
  }

  async findUserByEmail(email: string): Promise<string | null> {
    try {
      const r = await this.client.users.lookupByEmail({ email });
      return r.user?.id ?? null;
    } catch (err) {
      if (err instanceof WebAPIPlatformError && err.data.error === 'users_not_found') return null;
      throw mapSlackError(err, 'users.lookupByEmail');
    }
  }

  async userEmail(userId: string): Promise<string | null> {
    try {
      const r = await this.client.users.info({ user: userId });
      if (!r.user || r.user.deleted || r.user.is_bot) return null;
      return r.user.profile?.email ?? null;
    } catch (err) {
      if (err instanceof WebAPIPlatformError && err.data.error === 'user_not_found') return null;
      throw mapSlackError(err, 'users.info');
    }
  }

  async tellUser(
    actor: ChatActor,
    text: string,
    context?: { channelId?: string; responseUrl?: string },
  ): Promise<void> {
    if (context?.responseUrl && (await this.respond(context.responseUrl, text))) return;
    if (context?.channelId) {
      try {
        await this.client.chat.postEphemeral({ channel: context.channelId, user: actor.userId, text });
        return;
      } catch (err) {
        this.options.logger?.warn({ err, platform: 'slack' }, 'ephemeral message failed; sending a DM instead');
      }
    }
    await this.call('chat.postMessage', () => this.client.chat.postMessage({ channel: actor.userId, text }));
  }

  /** Answers through a response_url (5 uses in 30 minutes); false when Slack no longer takes it. */
  private async respond(url: string, text: string): Promise<boolean> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
        signal: AbortSignal.timeout(5000),
      });
      return res.ok;
    } catch {
      return false;
    }
  }
}
