import { resolveSource } from '../resolve-approvers.js';
import { currentTier } from '../tiers.js';
import type { Case, OdooUser } from '../types.js';
import type { QueryDeps } from './query-deps.js';

/** Manager levels above a requester whose cases a manager sees ("my team"). */
export const TEAM_LEVELS = 3;

/**
 * Who is asking, and what they may see: their own cases (requester or
 * approver), their reports' cases (they are in the requester's manager chain),
 * and everything when the policy's `access.finance` names them.
 */
export interface Viewer {
  user: OdooUser;
  finance: boolean;
  /** True when the case is the viewer's own: they asked for it or are or were asked to decide it. */
  owns(c: Case): boolean;
  /** True when a requester of the case reports to the viewer (1–3 manager levels). */
  manages(c: Case): Promise<boolean>;
  canSee(c: Case): Promise<boolean>;
  /** True when the case waits on the viewer now: a decider of the current tier who has not approved it. */
  waitsOn(c: Case): boolean;
}

/** True when the Odoo user is named by `access.finance` of the policy. */
export async function isFinance(deps: QueryDeps, userId: number): Promise<boolean> {
  const source = deps.policy.access?.finance;
  if (!source) return false;
  const people = await resolveSource(deps, source, { requesterId: null, values: {}, selfId: -1 });
  return people.some((p) => p.odooUserId === userId);
}

export async function viewerFor(deps: QueryDeps, user: OdooUser): Promise<Viewer> {
  const finance = await isFinance(deps, user.id);
  const chains = new Map<number, Promise<boolean>>();
  const reportsToMe = (requesterId: number) => {
    let known = chains.get(requesterId);
    if (!known) {
      known = deps.directory
        .managerChain(requesterId, TEAM_LEVELS)
        .then((chain) => chain.some((m) => m.id === user.id))
        .catch(() => false);
      chains.set(requesterId, known);
    }
    return known;
  };
  const owns = (c: Case) =>
    c.requesterIds.includes(user.id) ||
    c.approvers.some((a) => a.odooUserId === user.id) ||
    c.tiers.some(
      (t) =>
        t.approvers.some((a) => a.odooUserId === user.id) ||
        t.escalated.some((a) => a.odooUserId === user.id) ||
        t.approvals.some((a) => a.odooUserId === user.id),
    );
  const manages = async (c: Case) => {
    for (const id of c.requesterIds) if (id !== user.id && (await reportsToMe(id))) return true;
    return false;
  };
  return {
    user,
    finance,
    owns,
    manages,
    async canSee(c) {
      return finance || owns(c) || (await manages(c));
    },
    waitsOn(c) {
      if (c.status !== 'open' && c.status !== 'info_requested') return false;
      const tier = currentTier(c);
      const deciders = [...c.approvers, ...(tier ? [...tier.approvers, ...tier.escalated] : [])];
      if (!deciders.some((a) => a.odooUserId === user.id)) return false;
      return !(tier?.approvals ?? []).some((a) => a.odooUserId === user.id || a.onBehalfOf?.odooUserId === user.id);
    },
  };
}
