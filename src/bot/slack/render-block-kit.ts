import type { Button, KnownBlock } from '@slack/types';
import type { CardModel, CardTone } from '../../flows/card.js';

/** Block Kit limits we render within (see shared/reference/slack-and-teams.md §3). */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  contextElements: 10,
  messageText: 40_000,
} as const;

const TONE_EMOJI: Record<CardTone, string> = {
  waiting: ':hourglass_flowing_sand:',
  pending: ':arrows_counterclockwise:',
  approved: ':white_check_mark:',
  rejected: ':x:',
  warning: ':warning:',
  error: ':rotating_light:',
  closed: ':lock:',
};

/** Slack mrkdwn needs only these three escaped. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max - 1)}…`;
}

function linesText(card: CardModel): string | null {
  const t = card.table;
  if (!t || t.rows.length === 0) return null;
  const rows = t.rows.map((r) => `• ${escapeMrkdwn(r[0] ?? '')} — ${r[1]} × ${r[2]} = *${r[3]}*`);
  if (t.omitted > 0) rows.push(`_…and ${t.omitted} more line${t.omitted === 1 ? '' : 's'}_`);
  return truncate(rows.join('\n'), SLACK_LIMITS.sectionText);
}

/** Renders the neutral card to Block Kit, within Slack's limits. */
export function renderBlockKit(card: CardModel): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(card.title, SLACK_LIMITS.headerText), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(card.summary), SLACK_LIMITS.sectionText) } },
  ];
  if (card.facts.length > 0) {
    blocks.push({
      type: 'section',
      fields: card.facts.slice(0, SLACK_LIMITS.fields).map((f) => ({
        type: 'mrkdwn' as const,
        text: truncate(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, SLACK_LIMITS.fieldText),
      })),
    });
  }
  const lines = linesText(card);
  if (lines) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines } });
  blocks.push({
    type: 'section',
    block_id: 'status',
    text: {
      type: 'mrkdwn',
      text: truncate(`${TONE_EMOJI[card.status.tone]} ${escapeMrkdwn(card.status.text)}`, SLACK_LIMITS.sectionText),
    },
  });
  const elements: Button[] = card.actions.map((a) => ({
    type: 'button',
    action_id: a.id,
    text: { type: 'plain_text', text: truncate(a.label, SLACK_LIMITS.buttonText), emoji: true },
    value: truncate(a.value, SLACK_LIMITS.buttonValue),
    ...(a.style !== 'default' ? { style: a.style } : {}),
  }));
  if (card.link && card.link.url.length <= SLACK_LIMITS.url) {
    elements.push({
      type: 'button',
      action_id: 'approval.open_in_odoo',
      text: { type: 'plain_text', text: truncate(card.link.label, SLACK_LIMITS.buttonText) },
      url: card.link.url,
    });
  }
  if (elements.length > 0) blocks.push({ type: 'actions', block_id: 'decision', elements });
  if (card.footer) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(card.footer) }] });
  return { text: truncate(card.text, SLACK_LIMITS.messageText), blocks };
}
