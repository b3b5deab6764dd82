import { lastDayOf, policyMark, runningDelegations } from '../delegate.js';
import type { ApproverSource } from '../policy.js';
import { resolveSource } from '../resolve-approvers.js';
import type { QueryAnswer, QueryDeps } from './query-deps.js';
import type { Viewer } from './viewer.js';

/** True when the source depends on the document (its requester or a field), so membership is per document. */
function perDocument(source: ApproverSource): boolean {
  return Boolean(source.manager || source.departmentManager || source.field?.length);
}

/**
 * `/odoo whoami`: the caller's Odoo user, the roles and approval steps that
 * name them now, whether they see all cases, and delegations from and to them.
 */
export async function whoami(deps: QueryDeps, viewer: Viewer): Promise<QueryAnswer> {
  const me = viewer.user;
  const ctx = { requesterId: null, values: {}, selfId: -1 };
  const has = async (s: ApproverSource) => (await resolveSource(deps, s, ctx)).some((a) => a.odooUserId === me.id);
  const roles: string[] = [];
  for (const [name, source] of Object.entries(deps.policy.roles)) if (await has(source)) roles.push(name);
  const steps: string[] = [];
  const maybe: string[] = [];
  for (const flow of deps.policy.approvals)
    for (const tier of flow.tiers) {
      const label = flow.tiers.length > 1 ? `${flow.id} › ${tier.name}` : flow.id;
      if (await has(tier.approvers)) steps.push(label);
      else if (perDocument(tier.approvers)) maybe.push(label);
    }
  const tz = deps.policy.calendar.timeZone;
  const running = await runningDelegations(deps, deps.clock.now());
  const from = running.filter((d) => d.fromOdooUserId === me.id);
  const to = running.filter((d) => d.toOdooUserId === me.id);
  const lines = [
    `You are *${me.name}* in Odoo (login ${me.login}, user #${me.id}${me.tz ? `, ${me.tz}` : ''}).`,
    `Roles: ${roles.length ? roles.join(', ') : 'none'}.`,
    `You approve: ${steps.length ? steps.join('; ') : 'no flow as a standing approver'}.`,
  ];
  if (maybe.length) lines.push(`Per document (as the requester's manager or a field of it): ${maybe.join('; ')}.`);
  lines.push(
    viewer.finance
      ? 'You see every case (`access.finance` of the policy).'
      : 'You see your own cases and those of people who report to you.',
    from.length
      ? `You delegate to: ${from.map((d) => `${d.toName} until the end of ${lastDayOf(d.endsAt, tz)}${policyMark(d)}`).join('; ')}.`
      : 'You delegate to nobody.',
    to.length
      ? `You approve for: ${to.map((d) => `${d.fromName} until the end of ${lastDayOf(d.endsAt, tz)}${policyMark(d)}`).join('; ')}.`
      : 'Nobody delegates to you.',
  );
  return { text: lines.join('\n') };
}
