import type { FlowDeps } from './deps.js';
import { platformLabel } from './format.js';
import { notLinkedMessage, resolveActor } from './resolve-actor.js';
import { resolveSource } from './resolve-approvers.js';
import type { ChatActor } from './types.js';

/** Odoo's Settings group: its members administer the Odoo database. */
const ODOO_ADMIN_GROUP = 'base.group_system';

/**
 * May this person choose where a flow's (or an exception's) cards are
 * posted? Odoo administrators, the people named in `access.finance`, and the
 * flow's own approvers (by group, user or role: the sources that do not
 * depend on a document). Returns null when allowed, else a sentence.
 */
export async function mayLinkChannel(deps: FlowDeps, actor: ChatActor, flowId: string): Promise<string | null> {
  const who = await resolveActor(deps, actor);
  if (!who.ok)
    return notLinkedMessage(who, platformLabel(actor)).replace(' Nothing was changed.', ' The channel was not linked.');
  const id = who.user.id;
  const admins = await deps.directory.groupMembers(ODOO_ADMIN_GROUP).catch(() => []);
  if (admins.some((u) => u.id === id)) return null;
  const ctx = { requesterId: null, values: {}, selfId: -1 };
  const finance = deps.policy.access?.finance;
  if (finance && (await resolveSource(deps, finance, ctx)).some((p) => p.odooUserId === id)) return null;
  const flow = deps.policy.approvals.find((f) => f.id === flowId);
  for (const tier of flow?.tiers ?? []) {
    const staticSource = {
      odooGroup: tier.approvers.odooGroup,
      users: tier.approvers.users,
      role: tier.approvers.role,
    };
    if ((await resolveSource(deps, staticSource, ctx)).some((p) => p.odooUserId === id)) return null;
  }
  const exception = (deps.policy.exceptions ?? []).find((e) => e.id === flowId);
  if (exception && (await resolveSource(deps, exception.owner, ctx)).some((p) => p.odooUserId === id)) return null;
  return `Only an Odoo administrator, a finance user (access.finance in the policy) or an approver of "${flowId}" can choose where its cards go. The channel was not linked.`;
}
