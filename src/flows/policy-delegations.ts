import type { FlowDeps } from './deps.js';
import { startOfDayIn } from './resolve-approvers.js';
import type { Delegation } from './types.js';

const DAY_MS = 86_400_000;

/** Marks a delegation id as one of the policy file's (`policy.<index>`), which the store never holds. */
export const POLICY_DELEGATION_PREFIX = 'policy.';

/**
 * The policy file's standing delegations that run at `at`, in the store's
 * shape (`source: 'policy'`), so listings can show them beside chat ones.
 * Dates are whole days in the calendar's zone, `until` included. A login or
 * email that matches no active internal user is left out (`check` reports it).
 */
export async function runningPolicyDelegations(
  deps: Pick<FlowDeps, 'directory' | 'policy'>,
  at: Date,
): Promise<Delegation[]> {
  const tz = deps.policy.calendar.timeZone;
  const out: Delegation[] = [];
  for (const [i, d] of deps.policy.delegations.entries()) {
    const startsAt = d.start ? startOfDayIn(d.start, tz) : new Date(0);
    const dayAfter = new Date(Date.parse(`${d.until}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    const endsAt = startOfDayIn(dayAfter, tz);
    if (!(startsAt <= at && at < endsAt)) continue;
    const [from] = await deps.directory.usersByKeys([d.from]);
    const [to] = await deps.directory.usersByKeys([d.to]);
    if (!from || !to) continue;
    out.push({
      id: `${POLICY_DELEGATION_PREFIX}${i}`,
      fromOdooUserId: from.id,
      fromName: from.name,
      toOdooUserId: to.id,
      toName: to.name,
      startsAt,
      endsAt,
      source: 'policy',
      createdBy: 'policy',
      createdAt: startsAt,
    });
  }
  return out;
}
