import type { App } from '@microsoft/teams.apps';
import { z } from 'zod';
import type { FlowDeps } from '../../flows/deps.js';
import { mayLinkChannel } from '../../flows/may-link-channel.js';
import type { Logger } from '../../flows/ports.js';
import type { ChatActor } from '../../flows/types.js';
import type { TeamsConversationRef, TeamsStore } from '../../store/pg-teams-store.js';
import { parseCommand } from '../commands/parse-command.js';
import { COMMAND_MORE_ACTION, type IdentityLinking, runCommand, todayIn } from '../commands/run-command.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, cardAttachment, cut, TEAMS_CARD_LIMITS } from './render-adaptive-card.js';
import { type CardActionReply, TeamsCardActions } from './teams-card-actions.js';
import { LINK_DIALOG_ID } from './teams-link-cards.js';
import { LINK_IN_PRIVATE_TEXT, TeamsLinkDialog } from './teams-link-dialog.js';
import type { TeamsPlatform } from './teams-platform.js';

/** The parts of an inbound activity this file reads (the SDK's own types are a wide union). */
interface Inbound {
  id?: string;
  type?: string;
  text?: string;
  serviceUrl?: string;
  from?: { id?: string; name?: string; aadObjectId?: string };
  conversation?: { id?: string; conversationType?: string; tenantId?: string };
  channelData?: { tenant?: { id?: string }; team?: { id?: string } };
  membersAdded?: Array<{ id: string }>;
  /** `adaptiveCard/action` carries `action`; `task/fetch` and `task/submit` carry `data`. */
  value?: { action?: { verb?: unknown; data?: unknown }; data?: unknown };
}
interface Member {
  id: string;
  name?: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
}
type Ctx = {
  activity: Inbound;
  api: { conversations: { getMemberById(conversationId: string, id: string): Promise<Member> } };
  send(a: string | Record<string, unknown>): Promise<unknown>;
};

const kindOf = (t: string | undefined): TeamsConversationRef['kind'] =>
  t === 'channel' ? 'channel' : t === 'personal' ? 'personal' : 'groupChat';

export interface TeamsRoutesOptions {
  deps: FlowDeps;
  store: TeamsStore;
  platform: TeamsPlatform;
  tenantId: string;
  log: Logger;
  identity?: IdentityLinking | undefined;
  /** Base URL of Odoo (ODOO_URL), shown in the `link` dialog. */
  odooUrl?: string | undefined;
}

/** Wires Teams activities (install, members, messages, card clicks) to the flow engine. */
export function registerTeamsRoutes(app: App, options: TeamsRoutesOptions): void {
  const { deps, store, platform, log } = options;
  const actions = new TeamsCardActions(deps, store, platform);
  const linkDialog = new TeamsLinkDialog({ deps, identity: options.identity, odooUrl: options.odooUrl, log });

  const remember = async (ctx: Ctx, memberId?: string) => {
    const a = ctx.activity;
    const conv = a.conversation ?? {};
    const tenantId = conv.tenantId ?? a.channelData?.tenant?.id ?? options.tenantId;
    const kind = kindOf(conv.conversationType);
    await store.saveConversation({
      conversationId: String(conv.id).split(';')[0]!,
      kind,
      tenantId,
      serviceUrl: a.serviceUrl ?? '',
      teamId: a.channelData?.team?.id ?? null,
      aadObjectId: kind === 'personal' ? (a.from?.aadObjectId ?? null) : null,
    });
    const id = memberId ?? a.from?.id;
    if (!id || id.startsWith('28:')) return;
    try {
      const m = await ctx.api.conversations.getMemberById(String(conv.id), id);
      if (!m?.aadObjectId) return;
      await store.saveUser({
        aadObjectId: m.aadObjectId,
        teamsUserId: m.id,
        email: m.email ?? null,
        upn: m.userPrincipalName ?? null,
        name: m.name ?? null,
        tenantId,
        serviceUrl: a.serviceUrl ?? '',
      });
    } catch (err) {
      log.warn({ err, platform: 'teams' }, 'could not read a Teams member; they cannot be matched by email yet');
    }
  };
  const actorOf = (a: Inbound): ChatActor => ({
    platform: 'teams',
    userId: a.from?.aadObjectId ?? a.from?.id ?? '',
    ...(a.channelData?.tenant?.id ? { teamId: a.channelData.tenant.id } : {}),
    ...(a.from?.name ? { displayName: a.from.name } : {}),
  });

  // The SDK's context types are wide unions; `Ctx` names what these handlers read.
  app.on('install.add', async (sdkCtx) => {
    const ctx = sdkCtx as unknown as Ctx;
    await remember(ctx);
    await ctx.send(
      ctx.activity.conversation?.conversationType === 'channel'
        ? 'Hello! To get the approval cards of a flow in this channel, write "@Odoo Approvals link channel <flow-id>" here.'
        : 'Hello! Approvals that need you will arrive here. Write "help" for the commands.',
    );
  });

  app.on('conversationUpdate', async (sdkCtx) => {
    const ctx = sdkCtx as unknown as Ctx;
    const added: Array<{ id: string }> = ctx.activity.membersAdded ?? [];
    if (added.length === 0) return;
    await remember(ctx);
    for (const m of added) if (!m.id.startsWith('28:')) await remember(ctx, m.id);
  });

  app.on('message', async (sdkCtx) => {
    const ctx = sdkCtx as unknown as Ctx;
    await remember(ctx);
    const a = ctx.activity;
    const text = String(a.text ?? '')
      .replace(/<at>[^<]*<\/at>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .trim();
    const link = /^link\s+channel\s+(\S+)$/i.exec(text);
    if (link) {
      const flowId = link[1]!;
      if (a.conversation?.conversationType !== 'channel') {
        await ctx.send('Run "link channel <flow-id>" in the team channel that should get the cards, not in a chat.');
        return;
      }
      const ids = [...deps.policy.approvals.map((f) => f.id), ...(deps.policy.exceptions ?? []).map((e) => e.id)];
      if (!ids.includes(flowId)) {
        await ctx.send(
          `There is no flow or exception "${flowId.slice(0, 60)}" in the policy file. Known: ${ids.join(', ')}.`,
        );
        return;
      }
      // Who may redirect a flow's cards is decided in Odoo terms, not by Teams roles (no Graph needed).
      const refused = await mayLinkChannel(deps, actorOf(a), flowId);
      if (refused) {
        await ctx.send(refused);
        return;
      }
      await store.linkFlow(String(a.conversation.id).split(';')[0] ?? '', flowId);
      await ctx.send(`This channel now gets the approval cards of "${flowId}". New approvals will be posted here.`);
      return;
    }
    const words = text.replace(/^\/?odoo\b\s*/i, '');
    const parsed = parseCommand(words, todayIn(deps.clock.now(), deps.policy.calendar.timeZone), '/odoo');
    if (parsed.kind === 'link' && a.conversation?.conversationType !== 'personal') {
      // Never offer the key form where others see the card.
      await ctx.send(LINK_IN_PRIVATE_TEXT);
      return;
    }
    try {
      const reply = await runCommand({ flow: deps, identity: options.identity }, actorOf(a), parsed, '/odoo');
      if (reply.kind === 'text' && reply.more) {
        // A paged answer: a small card whose "Show more" (Action.Execute) replaces it with the next page.
        await ctx.send({ type: 'message', attachments: [cardAttachment(pageCard(reply.text, reply.more))] });
        return;
      }
      await ctx.send(
        reply.kind === 'text'
          ? reply.text
          : { type: 'message', attachments: [cardAttachment(linkDialog.promptCard(reply))] },
      );
    } catch (err) {
      log.error({ err, platform: 'teams' }, 'a Teams command failed');
      await ctx.send(
        'The bot could not answer this command (Odoo or its database is not answering). Nothing was changed; please try again in a minute.',
      );
    }
  });

  /** "Show more" under a paged `pending` answer: reruns the query it carries from its offset, for the clicker. */
  const showMore = async (data: unknown, actor: ChatActor): Promise<CardActionReply> => {
    const value = moreDataSchema.safeParse(data);
    const parsed = value.success
      ? parseCommand(value.data.q, todayIn(deps.clock.now(), deps.policy.calendar.timeZone), '/odoo')
      : null;
    if (!value.success || parsed?.kind !== 'pending')
      return moreError(400, 'command.damaged', 'This button is damaged; write the command again, e.g. "pending".');
    try {
      const reply = await runCommand({ flow: deps }, actor, { ...parsed, offset: value.data.o }, '/odoo');
      const text = reply.kind === 'text' ? reply.text : '';
      const more = reply.kind === 'text' ? reply.more : undefined;
      return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: pageCard(text, more) };
    } catch (err) {
      log.error({ err, platform: 'teams', actor: `teams:${actor.userId}` }, 'a "Show more" click failed');
      return moreError(
        500,
        'command.failed',
        'The bot could not load the next page (Odoo or its database is not answering). Please try again in a minute.',
      );
    }
  };

  // The `link` dialog: its button sends `task/fetch` with `dialog_id`, its form `task/submit` with `action`.
  app.on(`dialog.open.${LINK_DIALOG_ID}`, async (sdkCtx) => {
    const ctx = sdkCtx as unknown as Ctx;
    const a = ctx.activity;
    if (!(await store.user(a.from?.aadObjectId ?? ''))) await remember(ctx);
    return linkDialog.open(actorOf(a), a.conversation?.conversationType);
  });
  app.on(`dialog.submit.${LINK_DIALOG_ID}`, async (sdkCtx) => {
    const ctx = sdkCtx as unknown as Ctx;
    const a = ctx.activity;
    if (!(await store.user(a.from?.aadObjectId ?? ''))) await remember(ctx);
    const { response, linkedText } = await linkDialog.submit(actorOf(a), a.value?.data);
    // A lasting note in the 1:1 chat; the dialog's message box closes with a click.
    if (linkedText)
      await ctx.send(linkedText).catch((err: unknown) => {
        log.warn({ err, platform: 'teams' }, 'could not confirm a linked Odoo key in the chat');
      });
    return response;
  });

  app.on('card.action', async (sdkCtx) => {
    const ctx = sdkCtx as unknown as Ctx;
    const a = ctx.activity;
    if (!(await store.user(a.from?.aadObjectId ?? ''))) await remember(ctx);
    const action = a.value?.action ?? {};
    if (action.verb === COMMAND_MORE_ACTION) return (await showMore(action.data, actorOf(a))) as never;
    return actions.handle({
      activityId: String(a.id),
      conversationId: String(a.conversation?.id ?? ''),
      actor: actorOf(a),
      verb: String(action.verb ?? ''),
      data: action.data && typeof action.data === 'object' ? (action.data as Record<string, unknown>) : {},
    }) as never;
  });
}

const moreDataSchema = z.object({ q: z.string().max(200), o: z.number().int().min(0) });

const moreError = (statusCode: 400 | 500, code: string, message: string): CardActionReply => ({
  statusCode,
  type: 'application/vnd.microsoft.error',
  value: { code, message },
});

/** One page of a command answer as an Adaptive Card, with "Show more" when there is a next page. */
function pageCard(text: string, more: { query: string; offset: number } | undefined): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: TEAMS_CARD_LIMITS.version,
    fallbackText: cut(text, TEAMS_CARD_LIMITS.text),
    body: [{ type: 'TextBlock', text: cut(text, 8 * TEAMS_CARD_LIMITS.text), wrap: true }],
    ...(more
      ? {
          actions: [
            {
              type: 'Action.Execute',
              title: 'Show more',
              verb: COMMAND_MORE_ACTION,
              data: { q: more.query, o: more.offset, action: COMMAND_MORE_ACTION },
            },
          ],
        }
      : {}),
  };
}
