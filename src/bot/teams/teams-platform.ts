import type { App } from '@microsoft/teams.apps';
import { AppError } from '../../errors.js';
import type { CardModel } from '../../flows/card.js';
import type { ChatPlatform, Logger } from '../../flows/ports.js';
import type { ChatActor, ChatTarget, PostedMessageRef } from '../../flows/types.js';
import type { TeamsStore } from '../../store/pg-teams-store.js';
import { mapTeamsError } from './map-teams-error.js';
import { cardAttachment, renderAdaptiveCard } from './render-adaptive-card.js';

export interface TeamsPlatformOptions {
  /** The SDK app; only its Bot Connector client (`app.api`) is used here. */
  app: Pick<App, 'api'>;
  store: TeamsStore;
  /** The bot's Entra app (client) id (TEAMS_CLIENT_ID): the bot is `28:<id>` in conversations. */
  clientId: string;
  tenantId: string;
  /** The Teams conversation of each flow, from the policy file (`teams.channel`). */
  channels?: (flowId: string) => string | null;
  logger?: Logger;
}

type Activity = Record<string, unknown>;

/**
 * The chat-platform port on the Bot Connector API (Teams SDK v2). Adaptive
 * Card JSON never leaves this folder. Chat user ids are Entra (AAD) object ids.
 */
export class TeamsPlatform implements ChatPlatform {
  readonly platform = 'teams' as const;

  constructor(private readonly options: TeamsPlatformOptions) {}

  get tenantId(): string {
    return this.options.tenantId;
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
    const sent = await this.call('post a card', () =>
      this.options.app.api.conversations.createActivity(conversationId, activity as never),
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
    await this.call('update a card', () =>
      this.options.app.api.conversations.updateActivity(ref.channelId, ref.messageId, {
        ...activity,
        id: ref.messageId,
      } as never),
    );
  }

  async postReply(ref: PostedMessageRef, text: string): Promise<void> {
    const message = { type: 'message', text, textFormat: 'plain' };
    if (ref.kind === 'channel') {
      // Channel threads are conversations of their own: `<channel>;messageid=<root>`.
      const thread = `${ref.channelId};messageid=${ref.messageId}`;
      await this.call('reply in a thread', () =>
        this.options.app.api.conversations.createActivity(thread, message as never),
      );
      return;
    }
    await this.call('reply to a card', () =>
      this.options.app.api.conversations.createActivity(ref.channelId, {
        ...message,
        replyToId: ref.messageId,
      } as never),
    );
  }

  async findUserByEmail(email: string): Promise<string | null> {
    return (await this.options.store.userByEmail(email))?.aadObjectId ?? null;
  }

  async userEmail(userId: string): Promise<string | null> {
    const u = await this.options.store.user(userId);
    return u?.email ?? u?.upn ?? null;
  }

  /** Teams bots cannot post ephemeral messages: this always goes to the person's 1:1 chat with the bot. */
  async tellUser(actor: ChatActor, text: string): Promise<void> {
    const conversationId = await this.personalConversation(actor.userId);
    await this.call('send a private message', () =>
      this.options.app.api.conversations.createActivity(conversationId, {
        type: 'message',
        text,
        textFormat: 'plain',
      } as never),
    );
  }

  /** The 1:1 conversation with a person, created (and remembered) on first use. */
  async personalConversation(aadObjectId: string): Promise<string> {
    const known = await this.options.store.personalConversation(aadObjectId);
    if (known) return known.conversationId;
    const user = await this.options.store.user(aadObjectId);
    if (!user)
      throw new AppError(
        'teams.unknown_user',
        'internal',
        `The bot has not met the Teams user ${aadObjectId} yet, so it cannot message them. ` +
          'Ask them to install the app (or install it for the team they are in).',
        { details: { aadObjectId } },
      );
    const tenantId = user.tenantId ?? this.options.tenantId;
    const created = await this.call('open a 1:1 chat', () =>
      this.options.app.api.conversations.create({
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
      serviceUrl: user.serviceUrl,
      aadObjectId,
    });
    return created.id;
  }
}
