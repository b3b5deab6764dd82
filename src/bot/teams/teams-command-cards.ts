import { z } from 'zod';
import { COMMAND_MORE_ACTION } from '../commands/run-command.js';
import { COMMAND_SHARE_ACTION, SHARE_KEY, type TextReply } from '../commands/share-answer.js';
import { cardAttachment, cut, TEAMS_CARD_LIMITS } from './render-adaptive-card.js';

type Json = Record<string, unknown>;

/** A conversation id as Teams writes them (a channel thread: `<channel>;messageid=<root>`). */
const conversationId = z.string().min(1).max(300);

/** "Show more": the command text, the next offset, and where the answer may be shared (`t`), if anywhere. */
export const moreDataSchema = z.object({
  q: z.string().max(200),
  o: z.number().int().min(0),
  t: conversationId.optional(),
});

/** "Share": the same, plus the asker's Entra object id and the answer's key. */
export const shareDataSchema = z.object({
  q: z.string().max(200),
  o: z.number().int().min(0),
  t: conversationId,
  u: z.string().min(1).max(100),
  k: z.string().regex(SHARE_KEY),
});

/** Sharing offered under a private answer: into `target` (a channel or group chat), by `askerId` only. */
export interface ShareOffer {
  key: string;
  askerId: string;
  target: string;
  where: 'channel' | 'groupChat';
}

export interface AnswerCardOptions {
  /** Offer "Share" (the answer must be shareable). */
  offer?: ShareOffer | undefined;
  /** Where "Show more" should keep offering sharing. */
  shareTarget?: string | undefined;
  /** A line under the answer, e.g. that it was shared. */
  note?: string | undefined;
}

const place = (where: ShareOffer['where']) => (where === 'channel' ? 'channel' : 'chat');

/**
 * A command answer in the person's 1:1 chat as an Adaptive Card: the text,
 * then "Show more" when there is a next page (it replaces the card with that
 * page) and "Share in channel / chat" when it may be shared where it was
 * asked, with a line saying what sharing does.
 */
export function answerCard(reply: TextReply, options: AnswerCardOptions = {}): Json {
  const offer = reply.share ? options.offer : undefined;
  const actions: Json[] = [];
  if (reply.more)
    actions.push({
      type: 'Action.Execute',
      title: 'Show more',
      verb: COMMAND_MORE_ACTION,
      data: {
        q: reply.more.query,
        o: reply.more.offset,
        ...(options.shareTarget ? { t: options.shareTarget } : {}),
        action: COMMAND_MORE_ACTION,
      },
    });
  if (offer && reply.share)
    actions.push({
      type: 'Action.Execute',
      title: `Share in ${place(offer.where)}`,
      verb: COMMAND_SHARE_ACTION,
      data: {
        q: reply.share.query,
        o: reply.share.offset,
        t: offer.target,
        u: offer.askerId,
        k: offer.key,
        action: COMMAND_SHARE_ACTION,
      },
    });
  const note =
    options.note ??
    (offer
      ? `Only you can see this. Share posts it in the ${place(offer.where)} where you asked, with your name, for everyone there, including people who may not see these documents in Odoo.`
      : undefined);
  return card(
    reply.text,
    [
      { type: 'TextBlock', text: cut(reply.text, 8 * TEAMS_CARD_LIMITS.text), wrap: true },
      ...(note
        ? [{ type: 'TextBlock', text: note, wrap: true, isSubtle: true, size: 'Small', spacing: 'Medium' }]
        : []),
    ],
    actions,
  );
}

/** The answer as shared in the channel or chat: visibly from the person who shared it, without actions. */
export function sharedCard(reply: TextReply, sharedBy: string): Json {
  const asked = reply.share ? `: "${reply.share.query.replace(/["<>]/g, '')}"` : '';
  const by = `Shared by ${sharedBy.replace(/[*_<>[\]]/g, '')}${asked}`;
  return card(
    `${by}\n${reply.text}`,
    [
      { type: 'TextBlock', text: by, wrap: true, isSubtle: true, size: 'Small' },
      { type: 'TextBlock', text: cut(reply.text, 8 * TEAMS_CARD_LIMITS.text), wrap: true },
    ],
    [],
  );
}

/** A card as a message activity. */
export function cardMessage(content: Json): Json {
  return { type: 'message', attachments: [cardAttachment(content)] };
}

function card(fallback: string, body: Json[], actions: Json[]): Json {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: TEAMS_CARD_LIMITS.version,
    fallbackText: cut(fallback, TEAMS_CARD_LIMITS.text),
    body,
    ...(actions.length ? { actions } : {}),
  };
}
