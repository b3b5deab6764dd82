import { randomUUID } from 'node:crypto';

/**
 * Activities as the Bot Connector sends them to a Teams bot, in the shapes
 * documented on Learn ("Conversation events", "Universal Actions"): message,
 * invoke `adaptiveCard/action`, installationUpdate and conversationUpdate.
 */
export type Activity = Record<string, unknown> & { type: string; id: string; serviceUrl: string };

export interface TeamsPerson {
  /** Bot Framework id, 29:… */
  id: string;
  aadObjectId: string;
  name: string;
}

export interface ActivityContext {
  serviceUrl: string;
  tenantId: string;
  /** The bot's Entra app (client) id; the recipient is `28:<botId>`. */
  botId: string;
  conversation:
    | { kind: 'channel'; id: string; teamId: string; teamName?: string; channelName?: string }
    | { kind: 'personal'; id: string }
    | { kind: 'groupChat'; id: string };
}

function base(type: string, ctx: ActivityContext, from: TeamsPerson | { id: string; name: string }): Activity {
  const conv = ctx.conversation;
  const channelData: Record<string, unknown> = { tenant: { id: ctx.tenantId } };
  if (conv.kind === 'channel') {
    const teamId = conv.teamId;
    channelData.team = { id: teamId, name: conv.teamName ?? 'Approvals team', aadGroupId: randomUUID() };
    channelData.channel = { id: conv.id.split(';')[0], name: conv.channelName ?? 'General' };
  }
  return {
    type,
    id: `f:${randomUUID()}`,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    serviceUrl: ctx.serviceUrl,
    channelId: 'msteams',
    from,
    conversation: {
      id: conv.id,
      conversationType: conv.kind,
      tenantId: ctx.tenantId,
      ...(conv.kind === 'channel' ? { isGroup: true } : conv.kind === 'groupChat' ? { isGroup: true } : {}),
    },
    recipient: { id: `28:${ctx.botId}`, name: 'Odoo Approvals' },
    channelData,
    locale: 'en-US',
    entities: [{ type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Berlin' }],
  };
}

/** A person writes to the bot; in channels Teams prefixes the bot's @mention. */
export function messageActivity(ctx: ActivityContext, from: TeamsPerson, text: string): Activity {
  const mention = ctx.conversation.kind === 'personal' ? '' : '<at>Odoo Approvals</at> ';
  return {
    ...base('message', ctx, from),
    text: `${mention}${text}`,
    textFormat: 'plain',
    ...(mention
      ? {
          entities: [
            {
              type: 'mention',
              text: '<at>Odoo Approvals</at>',
              mentioned: { id: `28:${ctx.botId}`, name: 'Odoo Approvals' },
            },
          ],
        }
      : {}),
  };
}

/** A click on an Action.Execute button (or a refresh): invoke `adaptiveCard/action`. */
export function cardActionActivity(
  ctx: ActivityContext,
  from: TeamsPerson,
  action: { verb: string; data: Record<string, unknown>; replyToId?: string; trigger?: 'manual' | 'automatic' },
): Activity {
  return {
    ...base('invoke', ctx, from),
    name: 'adaptiveCard/action',
    ...(action.replyToId ? { replyToId: action.replyToId } : {}),
    value: {
      action: { type: 'Action.Execute', id: randomUUID(), verb: action.verb, data: action.data },
      trigger: action.trigger ?? 'manual',
    },
  };
}

/**
 * A dialog (task module) invoke: `task/fetch` when a button with
 * `msteams.type = task/fetch` is clicked (its `data` comes along, `msteams`
 * included), `task/submit` when the dialog's Action.Submit is clicked (its
 * `data` merged with the dialog's input values).
 */
export function taskActivity(
  ctx: ActivityContext,
  from: TeamsPerson,
  name: 'task/fetch' | 'task/submit',
  data: Record<string, unknown>,
): Activity {
  return { ...base('invoke', ctx, from), name, value: { data, context: { theme: 'default' } } };
}

/** The app was installed (or removed) in a team, group chat or personal scope. */
export function installationUpdateActivity(
  ctx: ActivityContext,
  from: TeamsPerson,
  action: 'add' | 'remove' = 'add',
): Activity {
  return { ...base('installationUpdate', ctx, from), action };
}

/** Members were added; the bot among them when `membersAdded` holds `28:<botId>`. */
export function conversationUpdateActivity(
  ctx: ActivityContext,
  from: TeamsPerson,
  membersAdded: Array<{ id: string; aadObjectId?: string }> = [{ id: `28:${ctx.botId}` }],
): Activity {
  const a = base('conversationUpdate', ctx, from);
  const channelData = a.channelData as Record<string, unknown>;
  channelData.eventType = ctx.conversation.kind === 'channel' ? 'teamMemberAdded' : 'memberAdded';
  return { ...a, membersAdded };
}
