import type { App } from '@microsoft/teams.apps';
import type { FlowDeps } from '../../flows/deps.js';
import { mayLinkChannel, type TeamRole } from '../../flows/may-link-channel.js';
import type { Logger } from '../../flows/ports.js';
import type { ChatActor } from '../../flows/types.js';
import type { TeamsConversationRef, TeamsStore } from '../../store/pg-teams-store.js';
import { parseCommand } from '../commands/parse-command.js';
import { COMMAND_MORE_ACTION, type IdentityLinking, todayIn } from '../commands/run-command.js';
import { COMMAND_SHARE_ACTION } from '../commands/share-answer.js';
import { TeamsCardActions } from './teams-card-actions.js';
import { type TeamsAsker, TeamsCommands } from './teams-commands.js';
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
  /** The bot (`28:<client id>`). */
  recipient?: { id?: string };
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
  const commands = new TeamsCommands({ deps, store, platform, log, identity: options.identity, linkDialog });

  /** Saves the conversation (and reads the sender); returns the conversation as stored. */
  const remember = async (ctx: Ctx): Promise<TeamsConversationRef> => {
    const a = ctx.activity;
    const conv = a.conversation ?? {};
    const tenantId = conv.tenantId ?? a.channelData?.tenant?.id ?? options.tenantId;
    const kind = kindOf(conv.conversationType);
    const ref: TeamsConversationRef = {
      conversationId: String(conv.id).split(';')[0]!,
      kind,
      tenantId,
      serviceUrl: a.serviceUrl ?? '',
      teamId: a.channelData?.team?.id ?? null,
      aadObjectId: kind === 'personal' ? (a.from?.aadObjectId ?? null) : null,
    };
    await store.saveConversation(ref);
    const id = a.from?.id;
    if (!id || id.startsWith('28:')) return ref;
    try {
      const m = await ctx.api.conversations.getMemberById(String(conv.id), id);
      if (!m?.aadObjectId) return ref;
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
    return ref;
  };
  const actorOf = (a: Inbound): ChatActor => ({
    platform: 'teams',
    userId: a.from?.aadObjectId ?? a.from?.id ?? '',
    ...(a.channelData?.tenant?.id ? { teamId: a.channelData.tenant.id } : {}),
    ...(a.from?.name ? { displayName: a.from.name } : {}),
  });

  const askerOf = (a: Inbound): TeamsAsker => ({
    actor: actorOf(a),
    teamsUserId: a.from?.id ?? '',
    conversationId: String(a.conversation?.id ?? ''),
    kind: kindOf(a.conversation?.conversationType),
  });

  // The SDK's context types are wide unions; `Ctx` names what these handlers read.
  // Rosters are read in the background: Teams gets its 200 now, failures are logged, and anyone
  // missed is looked up by email when a card must reach them (TeamsRoster.find).
  app.on('install.add', async (sdkCtx) => {
    const ctx = sdkCtx as unknown as Ctx;
    platform.roster.syncInBackground(await remember(ctx));
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
    const ref = await remember(ctx);
    // The bot itself added: the whole roster; otherwise only the people added.
    if (added.some((m) => m.id === ctx.activity.recipient?.id)) platform.roster.syncInBackground(ref);
    else
      platform.roster.storeMembersInBackground(
        ref,
        added.map((m) => m.id),
      );
  });

  app.on('message', async (sdkCtx) => {
    const ctx = sdkCtx as unknown as Ctx;
    const ref = await remember(ctx);
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
      // The team role is asked now (Bot Connector, no Graph): owners may, guests never; the rest is Odoo's rule.
      let teamRole: TeamRole;
      try {
        teamRole = await platform.teamRole(ref, a.from?.aadObjectId ?? a.from?.id ?? '');
      } catch (err) {
        log.warn({ err, platform: 'teams' }, 'could not read the role of a person in a Teams team; no channel linked');
        await ctx.send(
          'Microsoft Teams did not say whether you are an owner, member or guest of this team, so the channel was not linked. Try again in a minute.',
        );
        return;
      }
      const refused = await mayLinkChannel(deps, actorOf(a), flowId, { teamRole });
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
    await commands.answer((activity) => ctx.send(activity), askerOf(a), parsed);
  });

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
    if (action.verb === COMMAND_MORE_ACTION) return (await commands.showMore(action.data, askerOf(a))) as never;
    if (action.verb === COMMAND_SHARE_ACTION) return (await commands.share(action.data, askerOf(a))) as never;
    return actions.handle({
      activityId: String(a.id),
      conversationId: String(a.conversation?.id ?? ''),
      actor: actorOf(a),
      verb: String(action.verb ?? ''),
      data: action.data && typeof action.data === 'object' ? (action.data as Record<string, unknown>) : {},
    }) as never;
  });
}
