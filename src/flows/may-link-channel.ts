import type { FlowDeps } from './deps.js';
import { platformLabel } from './format.js';
import { notLinkedMessage, resolveActor } from './resolve-actor.js';
import { resolveSource } from './resolve-approvers.js';
import type { ChatActor } from './types.js';

/** Odoo's Settings group: its members administer the Odoo database. */
const ODOO_ADMIN_GROUP = 'base.group_system';

/**
 * A person's place in the team that owns the channel, as the chat platform
 * said at the time of the command: `member` for a role it did not name,
 * null when the person is not in that team (e.g. a shared channel's visitor).
 */
export type TeamRole = 'owner' | 'member' | 'guest' | null;

export interface LinkChannelContext {
  /** Given by a platform that has teams (Teams); left out, only the Odoo rule applies. */
  teamRole?: TeamRole;
}

/**
 * May this person choose where a flow's (or an exception's) cards are
 * posted? Owners of the channel's team (they decide where bot posts go in
 * their team), Odoo administrators, the people named in `access.finance`,
 * and the flow's own approvers (by group, user or role: the sources that do
 * not depend on a document). Team guests never may, whatever their Odoo
 * role: a guest must not redirect approval cards. Returns null when allowed,
 * else a sentence.
 */
export async function mayLinkChannel(
  deps: FlowDeps,
  actor: ChatActor,
  flowId: string,
  context: LinkChannelContext = {},
): Promise<string | null> {
  const inTeam = context.teamRole !== undefined;
  if (context.teamRole === 'guest') return guestRefusal(flowId);
  if (context.teamRole === 'owner') return null;
  const refusal = inTeam
    ? `Only an Odoo administrator, a finance user (access.finance in the policy), an approver of "${flowId}" or an owner of this team can choose where its cards go; guests of the team never can. The channel was not linked: ask one of them to write "link channel ${flowId}" here.`
    : `Only an Odoo administrator, a finance user (access.finance in the policy) or an approver of "${flowId}" can choose where its cards go. The channel was not linked.`;
  const who = await resolveActor(deps, actor);
  if (!who.ok) {
    const notLinked = notLinkedMessage(who, platformLabel(actor));
    return inTeam
      ? `${notLinked.replace(' Nothing was changed.', '')} ${refusal}`
      : notLinked.replace(' Nothing was changed.', ' The channel was not linked.');
  }
  return (await hasOdooSay(deps, who.user.id, flowId)) ? null : refusal;
}

function guestRefusal(flowId: string): string {
  return `Guests of this team cannot choose where approval cards go, even when they approve in Odoo. The channel was not linked: ask an owner of this team, an Odoo administrator, a finance user (access.finance in the policy) or an approver of "${flowId}" to write "link channel ${flowId}" here.`;
}

/** Odoo administrator, `access.finance`, or an approver / owner of the flow or exception. */
async function hasOdooSay(deps: FlowDeps, id: number, flowId: string): Promise<boolean> {
  const admins = await deps.directory.groupMembers(ODOO_ADMIN_GROUP).catch(() => []);
  if (admins.some((u) => u.id === id)) return true;
  const ctx = { requesterId: null, values: {}, selfId: -1 };
  const finance = deps.policy.access?.finance;
  if (finance && (await resolveSource(deps, finance, ctx)).some((p) => p.odooUserId === id)) return true;
  const flow = deps.policy.approvals.find((f) => f.id === flowId);
  for (const tier of flow?.tiers ?? []) {
    const staticSource = {
      odooGroup: tier.approvers.odooGroup,
      users: tier.approvers.users,
      role: tier.approvers.role,
    };
    if ((await resolveSource(deps, staticSource, ctx)).some((p) => p.odooUserId === id)) return true;
  }
  const exception = (deps.policy.exceptions ?? []).find((e) => e.id === flowId);
  return !!exception && (await resolveSource(deps, exception.owner, ctx)).some((p) => p.odooUserId === id);
}
