import type { NewCase } from '../flows/ports.js';
import type { CaseStatus, CaseTier, CaseTimers } from '../flows/types.js';

/**
 * Case status rules shared by every `Store` implementation, so the SQL store
 * and the in-memory fake cannot disagree on what "active" or "closed" means.
 */

/** At most one case per flow and record may be in one of these (partial unique index `cases_one_active`). */
export const activeCaseStatuses: CaseStatus[] = ['open', 'info_requested', 'deciding'];

/** Statuses that close a case: `closedAt` is set once and kept; any other status clears it. */
export const closedCaseStatuses: CaseStatus[] = ['approved', 'rejected', 'cancelled', 'expired', 'failed'];

/** Timers of a case nobody has scheduled anything for yet. */
export function noTimers(): CaseTimers {
  return { remindAt: null, escalateAt: null, expireAt: null, reminders: 0, escalated: false, pausedAt: null };
}

/**
 * Tiers of a new case: the given ones, or, for callers that only know the
 * approvers, one tier "Approval" of them needing one approval, current from `now`.
 */
export function initialTiers(input: NewCase, now: Date): CaseTier[] {
  if (input.tiers) return input.tiers;
  return [
    {
      index: 0,
      name: 'Approval',
      approvers: input.approvers,
      minApprovals: 1,
      required: [],
      approvals: [],
      escalated: [],
      startedAt: now.toISOString(),
    },
  ];
}
