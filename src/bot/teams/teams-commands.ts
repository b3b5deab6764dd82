import type { FlowDeps } from '../../flows/deps.js';
import type { Logger } from '../../flows/ports.js';
import type { ChatActor } from '../../flows/types.js';
import type { TeamsStore } from '../../store/pg-teams-store.js';
import { type ParsedCommand, parseCommand } from '../commands/parse-command.js';
import { type IdentityLinking, runCommand, todayIn } from '../commands/run-command.js';
import {
  newShareKey,
  SHARE_ALREADY_TEXT,
  SHARE_DAMAGED_TEXT,
  SHARE_NOT_ASKER_TEXT,
  SHARE_SORRY_TEXT,
  shareAnswer,
  type TextReply,
} from '../commands/share-answer.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, cardAttachment } from './render-adaptive-card.js';
import type { CardActionReply } from './teams-card-actions.js';
import {
  answerCard,
  cardMessage,
  moreDataSchema,
  type ShareOffer,
  shareDataSchema,
  sharedCard,
} from './teams-command-cards.js';
import type { TeamsLinkDialog } from './teams-link-dialog.js';
import type { TeamsPlatform } from './teams-platform.js';

/** Who wrote a command or clicked under an answer, and where. */
export interface TeamsAsker {
  actor: ChatActor;
  /** Their Teams id (29:…), for membership checks. */
  teamsUserId: string;
  /** The conversation as the activity names it; in a channel, the thread (`<channel>;messageid=<root>`). */
  conversationId: string;
  kind: 'personal' | 'channel' | 'groupChat';
}

export interface TeamsCommandsOptions {
  deps: FlowDeps;
  store: TeamsStore;
  platform: TeamsPlatform;
  log: Logger;
  identity?: IdentityLinking | undefined;
  linkDialog: TeamsLinkDialog;
}

type Send = (activity: string | Record<string, unknown>) => Promise<unknown>;

const COMMAND_SORRY =
  'The bot could not answer this command (Odoo or its database is not answering). Nothing was changed; please try again in a minute.';
export const ANSWERED_PRIVATELY_TEXT =
  'I answered you in our 1:1 chat, where only you can see it; from there you can share the answer here.';
const NO_PRIVATE_CHAT_TEXT =
  'I could not reach you in a 1:1 chat, so I did not answer here where everyone would see it. Open a chat with the bot (Apps → Odoo Approvals) and write the command there.';
const SHARED_NOTE = 'You shared this answer where you asked.';
const NOT_MEMBER_TEXT =
  'You are no longer in the channel or chat where you asked, so nothing was shared there. Ask again where you want to share.';

const error = (statusCode: 400 | 500, code: string, message: string): CardActionReply => ({
  statusCode,
  type: 'application/vnd.microsoft.error',
  value: { code, message },
});

/**
 * Commands written to the bot in Teams, and the "Show more" and "Share"
 * actions under their answers. Teams has no private messages in a channel,
 * so a command written in a channel or group chat is answered in the
 * person's 1:1 chat; that answer offers "Share", which posts it (asked again
 * as them) in the conversation where they asked, once.
 */
export class TeamsCommands {
  constructor(private readonly options: TeamsCommandsOptions) {}

  private today(): string {
    const { deps } = this.options;
    return todayIn(deps.clock.now(), deps.policy.calendar.timeZone);
  }

  /** Answers a parsed command: in place in the 1:1 chat, else privately in the 1:1 chat. */
  async answer(send: Send, asker: TeamsAsker, parsed: ParsedCommand): Promise<void> {
    const { deps, platform, log } = this.options;
    let reply: Awaited<ReturnType<typeof runCommand>>;
    try {
      reply = await runCommand({ flow: deps, identity: this.options.identity }, asker.actor, parsed, '/odoo');
    } catch (err) {
      log.error({ err, platform: 'teams', actor: `teams:${asker.actor.userId}` }, 'a Teams command failed');
      await send(COMMAND_SORRY);
      return;
    }
    if (reply.kind !== 'text') {
      // Only reached in the 1:1 chat: the caller refuses `link` anywhere else.
      await send({ type: 'message', attachments: [cardAttachment(this.options.linkDialog.promptCard(reply))] });
      return;
    }
    if (asker.kind === 'personal') {
      // A paged answer is a card whose "Show more" (Action.Execute) replaces it with the next page.
      await send(reply.more ? cardMessage(answerCard(reply)) : reply.text);
      return;
    }
    const offer: ShareOffer | undefined = reply.share
      ? { key: newShareKey(), askerId: asker.actor.userId, target: asker.conversationId, where: asker.kind }
      : undefined;
    const activity =
      reply.more || offer
        ? cardMessage(answerCard(reply, { offer, shareTarget: asker.conversationId }))
        : { type: 'message', text: reply.text };
    try {
      await platform.sendActivity(await platform.personalConversation(asker.actor.userId), activity);
    } catch (err) {
      log.warn({ err, platform: 'teams', actor: `teams:${asker.actor.userId}` }, 'could not answer in the 1:1 chat');
      await send(NO_PRIVATE_CHAT_TEXT);
      return;
    }
    await send(ANSWERED_PRIVATELY_TEXT);
  }

  /** "Show more": reruns the query it carries from its offset, for the clicker; the card becomes that page. */
  async showMore(data: unknown, asker: TeamsAsker): Promise<CardActionReply> {
    const value = moreDataSchema.safeParse(data);
    const parsed = value.success ? parseCommand(value.data.q, this.today(), '/odoo') : null;
    if (!value.success || (parsed?.kind !== 'pending' && parsed?.kind !== 'exceptions'))
      return error(400, 'command.damaged', 'This button is damaged; write the command again, e.g. "pending".');
    try {
      const reply = await runCommand(
        { flow: this.options.deps },
        asker.actor,
        { ...parsed, offset: value.data.o },
        '/odoo',
      );
      if (reply.kind !== 'text') throw new Error('a query answered with a form');
      const target = value.data.t;
      const where = target ? await this.shareKind(target) : null;
      const offer: ShareOffer | undefined =
        target && where ? { key: newShareKey(), askerId: asker.actor.userId, target, where } : undefined;
      return card(answerCard(reply, { offer, shareTarget: where ? target : undefined }));
    } catch (err) {
      this.options.log.error(
        { err, platform: 'teams', actor: `teams:${asker.actor.userId}` },
        'a "Show more" click failed',
      );
      return error(
        500,
        'command.failed',
        'The bot could not load the next page (Odoo or its database is not answering). Please try again in a minute.',
      );
    }
  }

  /**
   * "Share": only the asker, only into a conversation the bot knows and they
   * are in, and only once per answer; the card in the 1:1 chat then says so.
   */
  async share(data: unknown, asker: TeamsAsker): Promise<CardActionReply> {
    const { deps, platform, store, log } = this.options;
    const value = shareDataSchema.safeParse(data);
    if (!value.success) return error(400, 'command.damaged', SHARE_DAMAGED_TEXT);
    const { q, o, t, u, k } = value.data;
    if (asker.actor.userId !== u) return error(400, 'command.not_asker', SHARE_NOT_ASKER_TEXT);
    const after = (reply: TextReply, note: string) => card(answerCard(reply, { shareTarget: t, note }));
    try {
      const ref = await store.conversation(t.split(';')[0]!);
      if (!ref || ref.kind === 'personal') return error(400, 'command.damaged', SHARE_DAMAGED_TEXT);
      if (!(await platform.isMember(ref, asker.teamsUserId))) return error(400, 'command.not_member', NOT_MEMBER_TEXT);
      const result = await shareAnswer(
        deps,
        { key: k, askerId: u, actor: asker.actor, query: q, offset: o, command: '/odoo', where: ref.conversationId },
        async (reply) => {
          await platform.sendActivity(t, cardMessage(sharedCard(reply, asker.actor.displayName ?? 'a colleague')));
        },
      );
      switch (result.kind) {
        case 'refused':
          return error(400, 'command.share_refused', result.text);
        case 'already_shared':
          return after(result.reply, SHARE_ALREADY_TEXT);
        case 'shared':
          return after(result.reply, SHARED_NOTE);
      }
    } catch (err) {
      log.error({ err, platform: 'teams', actor: `teams:${asker.actor.userId}` }, 'a "Share" click failed');
      return error(500, 'command.share_failed', SHARE_SORRY_TEXT);
    }
  }

  /** Whether answers may still be shared into this conversation, and as what. */
  private async shareKind(target: string): Promise<ShareOffer['where'] | null> {
    const ref = await this.options.store.conversation(target.split(';')[0]!);
    return ref && ref.kind !== 'personal' ? ref.kind : null;
  }
}

function card(value: Record<string, unknown>): CardActionReply {
  return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value };
}
