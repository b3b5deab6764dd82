import type { FlowDeps } from './deps.js';
import type { ApproverSource } from './policy.js';
import { runningPolicyDelegations } from './policy-delegations.js';
import type { ApproverRef, FieldValue, OdooUser } from './types.js';

// Kept here for the modules that import it from this file.

/** Delegations are followed at most this many hops (A → B → C → D), and never in a loop. */
export const MAX_DELEGATION_HOPS = 3;

export interface SourceContext {
  /** The person who asked for the document (manager chains start here). */
  requesterId: number | null;
  /** Field values of the document, for `field:` sources. */
  values: Record<string, FieldValue>;
  /** The bot's own Odoo user: it writes decisions and is never asked to make one. */
  selfId: number;
}

function ref(u: OdooUser, via: string): ApproverRef {
  return { odooUserId: u.id, name: u.name, email: u.email, tz: u.tz, via };
}

function linkedUserId(v: FieldValue | undefined): number | null {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v.id;
  return typeof v === 'number' ? v : null;
}

/** Everyone one approver source names: active internal users, without duplicates. */
export async function resolveSource(
  deps: Pick<FlowDeps, 'directory' | 'policy'>,
  source: ApproverSource,
  ctx: SourceContext,
): Promise<ApproverRef[]> {
  const found: ApproverRef[] = [];
  const add = (users: OdooUser[], via: string) => {
    // Only active internal users may approve; portal and archived users never.
    for (const u of users) if (u.active && !u.share) found.push(ref(u, via));
  };
  for (const group of source.odooGroup ?? []) add(await deps.directory.groupMembers(group), `group ${group}`);
  if (source.users?.length) add(await deps.directory.usersByKeys(source.users), 'named in the policy');
  for (const field of source.field ?? []) {
    const id = linkedUserId(ctx.values[field]);
    if (id) add(await deps.directory.users([id]), `the document's ${field}`);
  }
  if (source.manager && ctx.requesterId) {
    const chain = await deps.directory.managerChain(ctx.requesterId, source.manager.levels);
    const level = chain[source.manager.levels - 1];
    if (level)
      add([level], source.manager.levels === 1 ? "the requester's manager" : `manager level ${source.manager.levels}`);
  }
  if (source.departmentManager && ctx.requesterId) {
    const m = await deps.directory.departmentManager(ctx.requesterId);
    if (m) add([m], 'department manager');
  }
  for (const role of source.role ?? []) {
    const def = deps.policy.roles[role];
    if (def) for (const r of await resolveSource(deps, def, ctx)) found.push({ ...r, via: `role ${role}` });
  }
  return dedupe(found.filter((a) => a.odooUserId !== ctx.selfId));
}

/** The source in words, for logs and `check`: "group purchase.group_purchase_manager + manager level 1". */
export function describeSource(source: ApproverSource): string {
  const parts = [
    ...(source.odooGroup ?? []).map((g) => `group ${g}`),
    ...(source.users?.length ? [`users ${source.users.join(', ')}`] : []),
    ...(source.field ?? []).map((f) => `field ${f}`),
    ...(source.manager ? [`manager level ${source.manager.levels}`] : []),
    ...(source.departmentManager ? ['department manager'] : []),
    ...(source.role ?? []).map((r) => `role ${r}`),
  ];
  return parts.join(' + ') || 'no source';
}

export function dedupe(list: ApproverRef[]): ApproverRef[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const key = `${a.odooUserId}:${a.onBehalfOf?.odooUserId ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Adds the delegates of each approver (running delegations from chat and the
 * policy file), following chains up to MAX_DELEGATION_HOPS and never twice
 * through one person. A delegate keeps `onBehalfOf` the original approver.
 */
export async function withDelegates(
  deps: Pick<FlowDeps, 'store' | 'clock' | 'directory' | 'policy'>,
  approvers: ApproverRef[],
): Promise<ApproverRef[]> {
  const now = deps.clock.now();
  const running = [
    ...(await deps.store.listDelegations({ activeAt: now })),
    ...(await runningPolicyDelegations(deps, now)),
  ];
  const edges = running.map((d) => ({ from: d.fromOdooUserId, to: d.toOdooUserId, toName: d.toName }));
  const out = [...approvers];
  for (const original of approvers) {
    const visited = new Set<number>([original.odooUserId]);
    let frontier = [original.odooUserId];
    for (let hop = 0; hop < MAX_DELEGATION_HOPS && frontier.length; hop++) {
      const next: number[] = [];
      for (const from of frontier)
        for (const e of edges.filter((x) => x.from === from && !visited.has(x.to))) {
          visited.add(e.to);
          next.push(e.to);
          out.push({
            odooUserId: e.to,
            name: e.toName,
            email: null,
            onBehalfOf: { odooUserId: original.odooUserId, name: original.name },
            via: `delegate of ${original.name}`,
          });
        }
      frontier = next;
    }
  }
  // Delegates need their email for the DM and time zone for reminders.
  const missing = out.filter((a) => a.email === null).map((a) => a.odooUserId);
  if (missing.length) {
    const users = await deps.directory.users([...new Set(missing)]);
    for (const a of out) {
      const u = users.find((x) => x.id === a.odooUserId);
      if (u && a.email === null) Object.assign(a, { email: u.email, tz: u.tz });
    }
  }
  return dedupe(out);
}
