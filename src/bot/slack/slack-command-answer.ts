import type { Button, KnownBlock } from '@slack/types';
import { z } from 'zod';
import { COMMAND_MORE_ACTION } from '../commands/run-command.js';
import { COMMAND_SHARE_ACTION, newShareKey, SHARE_KEY, type TextReply } from '../commands/share-answer.js';
import { escapeMrkdwn } from './render-block-kit.js';

/** A section holds 3000 characters; a message 50 blocks, two of which are the note and the buttons. */
const SECTION_TEXT = 3000;
const MAX_SECTIONS = 46;

/** "Show more": the command text, the next offset and the command as typed. */
export const moreValueSchema = z.object({ q: z.string().max(200), o: z.number().int().min(0), c: z.string().max(40) });

/** "Share": the same, plus the asker's user id and the answer's key (the value stays far below Slack's 2000). */
export const shareValueSchema = z.object({
  q: z.string().max(200),
  o: z.number().int().min(0),
  c: z.string().max(40),
  u: z.string().min(1).max(40),
  k: z.string().regex(SHARE_KEY),
});

/** How the Share button of an answer stands: offered to `askerId`, already used, or not offered. */
export type ShareState = { askerId: string } | 'shared' | null;

const SHARE_NOTE =
  'Only you can see this. *Share in channel* posts it here, with your name, for everyone in the conversation, including people who may not see these documents in Odoo.';
const SHARED_NOTE = 'You shared this answer in the conversation.';

/**
 * Splits text at line breaks into mrkdwn sections of at most 3000 characters.
 * `&`, `<` and `>` are escaped: answers hold Odoo data (a vendor's name, an
 * exception's title), and `<!channel>` in a shared answer would notify everyone.
 */
function sections(text: string): KnownBlock[] {
  const out: string[] = [];
  let current = '';
  for (const raw of escapeMrkdwn(text).split('\n')) {
    const line = raw.length > SECTION_TEXT ? `${raw.slice(0, SECTION_TEXT - 1)}…` : raw;
    if (current && current.length + 1 + line.length > SECTION_TEXT) {
      out.push(current);
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current.trim() || out.length === 0) out.push(current.trim() ? current : ' ');
  return out.slice(0, MAX_SECTIONS).map((t) => ({ type: 'section', text: { type: 'mrkdwn', text: t } }));
}

/**
 * A private command answer. A paged one gets "Show more" (the query and the
 * next offset); a shareable one "Share in channel" with a note saying what
 * sharing does. A plain answer stays plain text.
 */
export function commandAnswer(reply: TextReply, command: string, share: ShareState) {
  const askerId = share !== null && share !== 'shared' ? share.askerId : null;
  const offered = askerId && reply.share ? reply.share : null;
  if (!reply.more && !offered && share !== 'shared') return { response_type: 'ephemeral' as const, text: reply.text };
  const buttons: Button[] = [];
  if (reply.more)
    buttons.push({
      type: 'button',
      action_id: COMMAND_MORE_ACTION,
      text: { type: 'plain_text', text: 'Show more' },
      value: JSON.stringify({ q: reply.more.query, o: reply.more.offset, c: command }),
    });
  if (offered && askerId)
    buttons.push({
      type: 'button',
      action_id: COMMAND_SHARE_ACTION,
      text: { type: 'plain_text', text: 'Share in channel' },
      value: JSON.stringify({ q: offered.query, o: offered.offset, c: command, u: askerId, k: newShareKey() }),
    });
  const note = offered ? SHARE_NOTE : share === 'shared' ? SHARED_NOTE : null;
  return {
    response_type: 'ephemeral' as const,
    text: reply.text,
    blocks: [
      ...sections(reply.text),
      ...(note ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: note }] } as KnownBlock] : []),
      ...(buttons.length ? [{ type: 'actions', elements: buttons } satisfies KnownBlock] : []),
    ],
  };
}

/** The answer as shared in the channel: visibly from the person who shared it, without buttons. */
export function sharedAnswer(reply: TextReply, command: string, userId: string) {
  // The query may hold typed text: no mentions (`<!channel>`) or code marks in a channel post.
  const asked = reply.share ? ` · \`${`${command} ${reply.share.query}`.replace(/[`<>]/g, '')}\`` : '';
  const by = `Shared by <@${userId}>${asked}`;
  return {
    response_type: 'in_channel' as const,
    replace_original: false,
    text: `${by}:\n${escapeMrkdwn(reply.text)}`,
    blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: by }] } as KnownBlock, ...sections(reply.text)],
  };
}
