import type { Client as ApiClient } from '@microsoft/teams.api';
import { AppError } from '../../errors.js';
import type { CardModel } from '../../flows/card.js';
import type { TeamRole } from '../../flows/may-link-channel.js';
import type { ChatPlatform, Logger } from '../../flows/ports.js';
import type { ChatActor, ChatTarget, PostedMessageRef } from '../../flows/types.js';
import type { TeamsConversationRef, TeamsStore } from '../../store/pg-teams-store.js';
import type { BotConnectorClients } from './bot-connector-clients.js';
import { mapTeamsError, statusOf } from './map-teams-error.js';
import { cardAttachment, renderAdaptiveCard } from './render-adaptive-card.js';
import { checkServiceUrl } from './service-url.js';
import { TeamsRoster } from './teams-roster.js';

export interface TeamsPlatformOptions {
  /** Bot Connector clients by service URL: each call goes to the endpoint of the conversation it targets. */
  connectors: BotConnectorClients;
  store: TeamsStore;
  /** The bot's Entra app (client) id (TEAMS_CLIENT_ID): the bot is `28:<id>` in conversations. */
  clientId: string;
  tenantId: string;
  /** The Teams conversation of each flow, from the policy file (`teams.channel`). */
  channels?: (flowId: string) => string | null;
  logger?: Logger;
  /** Who is in the bot's teams and chats; default one on `connectors` and `store`. */
  roster?: TeamsRoster;
}

type Activity = Record<string, unknown>;

/**
 * The chat-platform port on the Bot Connector API (Teams SDK v2). Adaptive
 * Card JSON never leaves this folder. Chat user ids are Entra (AAD) object ids.
 */
export class TeamsPlatform implements ChatPlatform {
  readonly platform = 'teams' as const;
  /** Reads team and chat rosters so people the bot has not met can still get 1:1 cards. */
  readonly roster: TeamsRoster;

  constructor(private readonly options: TeamsPlatformOptions) {
    this.roster =
      options.roster ??
      new TeamsRoster({ connectors: options.connectors, store: options.store, logger: options.logger });
  }

  get tenantId(): string {
    return this.options.tenantId;
  }

  /** The Bot Connector client of a conversation: its stored service URL, else TEAMS_SERVICE_URL (never captured). */
  private async apiFor(conversationId: string): Promise<ApiClient> {
    const ref = await this.options.store.conversation(conversationId);
    if (!ref?.serviceUrl)
      this.options.logger?.debug(
        { platform: 'teams', conversationId },
        'no service URL known for this Teams conversation; using TEAMS_SERVICE_URL',
      );
    return this.options.connectors.for(ref?.serviceUrl);
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw mapTeamsError(err, operation);
    }
  }

  async channelFor(flowId: string): Promise<string | null> {
    const configured = this.options.channels?.(flowId);
    if (configured) return configured;
    return (await this.options.store.conversationForFlow(flowId))?.conversationId ?? null;
  }

  /** The Teams ids of the people who may act on a card, for its `refresh.userIds`. */
  async actorIds(card: CardModel): Promise<string[]> {
    const ids: string[] = [];
    for (const a of card.actors ?? []) {
      if (!a.email) continue;
      const u = await this.options.store.userByEmail(a.email);
      if (u && !ids.includes(u.teamsUserId)) ids.push(u.teamsUserId);
    }
    return ids;
  }

  /** The card as a message: buttons in DMs (sent to an approver), status only in channels until refreshed. */
  async cardActivity(card: CardModel, kind: 'channel' | 'dm'): Promise<Activity> {
    const content = renderAdaptiveCard(card, {
      showActions: kind === 'dm',
      refreshUserIds: await this.actorIds(card),
    });
    return { type: 'message', summary: card.text.slice(0, 200), attachments: [cardAttachment(content)] };
  }

  async postCard(target: ChatTarget, card: CardModel): Promise<PostedMessageRef> {
    const kind = target.kind === 'channel' ? 'channel' : 'dm';
    const conversationId =
      target.kind === 'channel' ? target.channelId : await this.personalConversation(target.userId);
    const activity = await this.cardActivity(card, kind);
    const api = await this.apiFor(conversationId);
    const sent = await this.call('post a card', () =>
      api.conversations.createActivity(conversationId, activity as never),
    );
    if (!sent?.id)
      throw new AppError('teams.bad_response', 'transient', 'Microsoft Teams accepted a card but returned no id.');
    return {
      platform: 'teams',
      channelId: conversationId,
      messageId: sent.id,
      kind,
      ...(target.kind === 'user' ? { recipient: target.userId } : {}),
    };
  }

  async updateCard(ref: PostedMessageRef, card: CardModel): Promise<void> {
    const activity = await this.cardActivity(card, ref.kind);
    const api = await this.apiFor(ref.channelId);
    await this.call('update a card', () =>
      api.conversations.updateActivity(ref.channelId, ref.messageId, {
        ...activity,
        id: ref.messageId,
      } as never),
    );
  }

  async postReply(ref: PostedMessageRef, text: string): Promise<void> {
    const message = { type: 'message', text, textFormat: 'plain' };
    const api = await this.apiFor(ref.channelId);
    if (ref.kind === 'channel') {
      // Channel threads are conversations of their own: `<channel>;messageid=<root>`.
      const thread = `${ref.channelId};messageid=${ref.messageId}`;
      await this.call('reply in a thread', () => api.conversations.createActivity(thread, message as never));
      return;
    }
    await this.call('reply to a card', () =>
      api.conversations.createActivity(ref.channelId, {
        ...message,
        replyToId: ref.messageId,
      } as never),
    );
  }

  /** From the store, else asked of the teams and chats the bot is in (a miss is remembered for a while). */
  async findUserByEmail(email: string): Promise<string | null> {
    const known = await this.options.store.userByEmail(email);
    if (known) return known.aadObjectId;
    return (await this.roster.find(email))?.aadObjectId ?? null;
  }

  async userEmail(userId: string): Promise<string | null> {
    const u = await this.options.store.user(userId);
    return u?.email ?? u?.upn ?? null;
  }

  /**
   * Sends a message activity (text, or a card as an attachment) into a
   * conversation, at that conversation's Bot Connector; a channel thread is
   * `<channel>;messageid=<root>`. Returns the new activity's id.
   */
  async sendActivity(conversationId: string, activity: Activity): Promise<string> {
    const api = await this.apiFor(conversationId.split(';')[0]!);
    const sent = await this.call('send a message', () =>
      api.conversations.createActivity(conversationId, activity as never),
    );
    return sent?.id ?? '';
  }

  /**
   * Whether a person (their Teams id, 29:…) is in a conversation, asked of the
   * Bot Connector: a channel's team roster, or the chat's members.
   */
  async isMember(ref: TeamsConversationRef, teamsUserId: string): Promise<boolean> {
    const api = await this.apiFor(ref.conversationId);
    const rosterId = ref.kind === 'channel' && ref.teamId ? ref.teamId : ref.conversationId;
    try {
      return !!(await api.conversations.getMemberById(rosterId, teamsUserId));
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw mapTeamsError(err, 'check a member of a conversation');
    }
  }

  /**
   * A person's role in a channel's team (`members/{id}` on the team, at the
   * conversation's own service URL), asked now rather than from a stored
   * roster: an owner demoted a minute ago is no longer one. `id` is an Entra
   * object id or a Teams id; null when they are not in the team (404).
   */
  async teamRole(ref: TeamsConversationRef, id: string): Promise<TeamRole> {
    const api = this.options.connectors.for(ref.serviceUrl);
    const rosterId = ref.kind === 'channel' && ref.teamId ? ref.teamId : ref.conversationId;
    try {
      const role = (await api.conversations.getMemberById(rosterId, id))?.userRole;
      // Teams names 'owner', 'user' and 'guest'; anything else is read as a plain member.
      return role === 'owner' ? 'owner' : role === 'guest' ? 'guest' : 'member';
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw mapTeamsError(err, 'read a member of a team');
    }
  }

  /** Teams bots cannot post ephemeral messages: this always goes to the person's 1:1 chat with the bot. */
  async tellUser(actor: ChatActor, text: string): Promise<void> {
    const conversationId = await this.personalConversation(actor.userId);
    const api = await this.apiFor(conversationId);
    await this.call('send a private message', () =>
      api.conversations.createActivity(conversationId, {
        type: 'message',
        text,
        textFormat: 'plain',
      } as never),
    );
  }

  /**
   * The 1:1 conversation with a person, created (and remembered) on first use,
   * at the Bot Connector endpoint the person was last seen through. Someone
   * not stored yet is looked up in the rosters of the bot's teams and chats.
   */
  async personalConversation(aadObjectId: string): Promise<string> {
    const known = await this.options.store.personalConversation(aadObjectId);
    if (known) return known.conversationId;
    const user = (await this.options.store.user(aadObjectId)) ?? (await this.roster.find(aadObjectId));
    if (!user)
      throw new AppError(
        'teams.unknown_user',
        'internal',
        `The bot has not met the Teams user ${aadObjectId} yet and found them in none of its teams or group chats, ` +
          'so it cannot message them. Ask them to install the app, or install it for a team they are in.',
        { details: { aadObjectId } },
      );
    const tenantId = user.tenantId ?? this.options.tenantId;
    const api = this.options.connectors.for(user.serviceUrl);
    const created = await this.call('open a 1:1 chat', () =>
      api.conversations.create({
        isGroup: false,
        bot: { id: `28:${this.options.clientId}` },
        members: [{ id: user.teamsUserId, role: 'user', name: user.name ?? '' }],
        tenantId,
        channelData: { tenant: { id: tenantId } },
      } as never),
    );
    await this.options.store.saveConversation({
      conversationId: created.id,
      kind: 'personal',
      tenantId,
      // Unknown or refused: stored empty, so later calls use TEAMS_SERVICE_URL as this one did.
      serviceUrl: checkServiceUrl(user.serviceUrl) ?? '',
      aadObjectId,
    });
    return created.id;
  }
}
