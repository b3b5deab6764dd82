import type { FlowDeps } from './deps.js';
import { endOfDayIn, startOfDayIn } from './start-of-day.js';
import type { Delegation } from './types.js';

/** Marks a delegation id as one of the policy file's (`policy.<index>`), which the store never holds. */
export const POLICY_DELEGATION_PREFIX = 'policy.';

/**
 * The policy file's standing delegations that run at `at`, in the store's
 * shape (`source: 'policy'`), so listings can show them beside chat ones.
 * Dates are whole days in the calendar's zone, `until` included. A login or
 * email that matches no active internal user is left out (`check` reports it).
 */
export function runningPolicyDelegations(
  deps: Pick<FlowDeps, 'directory' | 'policy'>,
  at: Date,
): Promise<Delegation[]> {
  return policyDelegationsDuring(deps, at, new Date(at.getTime() + 1));
}

/**
 * The policy file's standing delegations that run at some instant of
 * [`from`, `to`): those running now and those that start before `to`. For
 * checks on a new delegation's whole period (a loop that would form next
 * week is a loop). Same shape and rules as `runningPolicyDelegations`.
 */
export async function policyDelegationsDuring(
  deps: Pick<FlowDeps, 'directory' | 'policy'>,
  from: Date,
  to: Date,
): Promise<Delegation[]> {
  const tz = deps.policy.calendar.timeZone;
  const out: Delegation[] = [];
  for (const [i, d] of deps.policy.delegations.entries()) {
    const startsAt = d.start ? startOfDayIn(d.start, tz) : new Date(0);
    const endsAt = endOfDayIn(d.until, tz);
    if (!(startsAt < to && from < endsAt)) continue;
    const [fromUser] = await deps.directory.usersByKeys([d.from]);
    const [toUser] = await deps.directory.usersByKeys([d.to]);
    if (!fromUser || !toUser) continue;
    out.push({
      id: `${POLICY_DELEGATION_PREFIX}${i}`,
      fromOdooUserId: fromUser.id,
      fromName: fromUser.name,
      toOdooUserId: toUser.id,
      toName: toUser.name,
      startsAt,
      endsAt,
      source: 'policy',
      createdBy: 'policy',
      createdAt: startsAt,
    });
  }
  return out;
}
