import type { App } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { FlowDeps } from '../../flows/deps.js';
import type { Logger } from '../../flows/ports.js';
import { localTime } from '../../flows/queries/describe-time.js';
import { exceptionsReport } from '../../flows/queries/exceptions-query.js';
import { pendingFor } from '../../flows/queries/pending-query.js';
import { viewerFor } from '../../flows/queries/viewer.js';
import { notLinkedMessage, resolveActor } from '../../flows/resolve-actor.js';
import type { ChatActor } from '../../flows/types.js';
import { QUERIES_OFF_TEXT } from '../commands/run-query-command.js';

/** A Home tab holds at most 100 blocks; a section's text at most 3000 characters. */
export const HOME_LIMITS = { blocks: 100, sectionText: 3000 } as const;

/** Exceptions listed on the Home tab at most; the approvals shown are one `/odoo pending` page. */
export const HOME_EXCEPTION_LINES = 10;

const PENDING_HINT = '`/odoo pending mine` lists them all.';
const EXCEPTIONS_HINT = ' `/odoo exceptions mine` lists them by type.';

/**
 * Splits text at line breaks into sections of at most 3000 characters,
 * keeping to `maxBlocks`; when that cuts text, the last section says so and
 * where to see the rest (`hint`).
 */
function sections(text: string, maxBlocks: number, hint = '`/odoo help` lists the commands.'): KnownBlock[] {
  const out: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.length > HOME_LIMITS.sectionText ? `${raw.slice(0, HOME_LIMITS.sectionText - 1)}…` : raw;
    if (current && current.length + 1 + line.length > HOME_LIMITS.sectionText) {
      out.push(current);
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current.trim()) out.push(current);
  const kept = out.slice(0, Math.max(1, maxBlocks));
  if (out.length > kept.length) {
    const end = `\n…and more: ${hint}`;
    kept[kept.length - 1] = `${kept.at(-1)!.slice(0, HOME_LIMITS.sectionText - end.length)}${end}`;
  }
  return kept.map((t) => ({ type: 'section', text: { type: 'mrkdwn', text: t } }));
}

const header = (text: string): KnownBlock => ({ type: 'header', text: { type: 'plain_text', text, emoji: true } });

/**
 * The Home tab of one person: what waits on them and their open exceptions,
 * answered by the same use cases as `/odoo pending mine` and
 * `/odoo exceptions mine`, so the two never disagree. Each list shows its
 * first items and then how many more there are and which command lists them;
 * the whole view stays within Slack's 100 blocks.
 */
export async function homeBlocks(deps: FlowDeps, actor: ChatActor): Promise<KnownBlock[]> {
  const now = localTime(deps.clock.now(), deps.policy.calendar.timeZone);
  const footer: KnownBlock = {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Updated ${now} (${deps.policy.calendar.timeZone}) when you opened this tab. \`/odoo help\` lists the commands.`,
      },
    ],
  };
  const queries = deps.queries;
  if (!queries) return [header('Odoo approvals'), ...sections(QUERIES_OFF_TEXT, 1), footer];
  const me = await resolveActor(deps, actor);
  if (!me.ok)
    return [
      header('Odoo approvals'),
      ...sections(notLinkedMessage(me, 'Slack').replace(' Nothing was changed.', ''), 1),
      footer,
    ];
  const qd = { ...deps, queries };
  const viewer = await viewerFor(qd, me.user);
  const pending = await pendingFor(qd, viewer, { scope: 'mine', flowId: null, offset: 0 });
  const exceptions = deps.exceptions
    ? await exceptionsReport(deps, viewer, 'mine', null, {
        maxLines: HOME_EXCEPTION_LINES,
        moreHint: EXCEPTIONS_HINT,
      })
    : null;
  // Fixed blocks: two headers, the divider and the footer; the sections share the rest.
  const budget = HOME_LIMITS.blocks - 4;
  const remaining = pending.more ? `${pending.more.remaining ?? 'some'} more` : null;
  const pendingText = remaining ? `${pending.text}\n_…and ${remaining} waiting on you: ${PENDING_HINT}_` : pending.text;
  const pendingBlocks = sections(pendingText, Math.floor(budget / 2), PENDING_HINT);
  return [
    header('Waiting on you'),
    ...pendingBlocks,
    ...(exceptions
      ? [
          { type: 'divider' } as KnownBlock,
          header('Your open exceptions'),
          ...sections(exceptions.text, budget - pendingBlocks.length, EXCEPTIONS_HINT.trim()),
        ]
      : []),
    footer,
  ];
}

/**
 * Publishes the Home tab whenever someone opens it, so it is fresh each
 * time without pushing updates to every user on every change.
 */
export function registerSlackHome(app: App, deps: FlowDeps, log: Logger): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab && event.tab !== 'home') return;
    const actor: ChatActor = { platform: 'slack', userId: event.user };
    let blocks: KnownBlock[];
    try {
      blocks = await homeBlocks(deps, actor);
    } catch (err) {
      log.error({ err, platform: 'slack', actor: `slack:${event.user}` }, 'could not build the Home tab');
      blocks = [
        header('Odoo approvals'),
        ...sections(
          'The bot could not load your approvals (Odoo or its database is not answering). Close and reopen this tab in a minute.',
          1,
        ),
      ];
    }
    await client.views.publish({ user_id: event.user, view: { type: 'home', blocks } });
  });
}
