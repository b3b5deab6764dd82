import type { ApproverRef, Case, CaseApproval, CaseTier } from './types.js';

/** The tier deciding now. */
export function currentTier(c: Case): CaseTier | undefined {
  return c.tiers[c.currentTier];
}

export function isLastTier(c: Case): boolean {
  return c.currentTier >= c.tiers.length - 1;
}

/** People whose approval counts: the tier's approvers and those escalation added. */
export function tierDeciders(tier: CaseTier): ApproverRef[] {
  return [...tier.approvers, ...tier.escalated];
}

/** Whom an approval stands for: the person, or the approver they act for as delegate. */
function standsFor(a: CaseApproval): number[] {
  return a.onBehalfOf ? [a.odooUserId, a.onBehalfOf.odooUserId] : [a.odooUserId];
}

/** The approver whose right an approval uses: the delegate's principal, or the person. */
function principal(a: { odooUserId: number; onBehalfOf?: { odooUserId: number } | null }): number {
  return a.onBehalfOf?.odooUserId ?? a.odooUserId;
}

/** Distinct approvers who approved: a delegate and the person they act for count once. */
function distinctApprovals(tier: CaseTier): number {
  return new Set(tier.approvals.map(principal)).size;
}

/** Enough distinct approvals, and every required approver (or their delegate) among them. */
export function tierSatisfied(tier: CaseTier): boolean {
  const covered = new Set(tier.approvals.flatMap(standsFor));
  return distinctApprovals(tier) >= tier.minApprovals && tier.required.every((r) => covered.has(r.odooUserId));
}

/** What is still missing, in words for the card: "1 more approval, including Carla CFO". */
export function missingText(tier: CaseTier): string {
  const covered = new Set(tier.approvals.flatMap(standsFor));
  const more = Math.max(0, tier.minApprovals - distinctApprovals(tier));
  const required = tier.required.filter((r) => !covered.has(r.odooUserId)).map((r) => r.name);
  const parts: string[] = [];
  if (more > 0) parts.push(`${more} more approval${more === 1 ? '' : 's'}`);
  if (required.length) parts.push(`${more > 0 ? 'including ' : 'still needs '}${required.join(', ')}`);
  return parts.join(', ');
}

export type Eligibility =
  | { ok: true; as: ApproverRef }
  | { ok: false; code: 'policy.not_approver' | 'policy.already_approved' | 'policy.distinct_approvers' };

/**
 * May this Odoo user decide the current tier? As an approver, an escalation
 * target, or a delegate of one (the returned ref carries `onBehalfOf`).
 * Segregation of duties against the requester is checked by the caller,
 * because it names the requester.
 */
export function eligibility(c: Case, odooUserId: number, distinctApprovers: boolean): Eligibility {
  const tier = currentTier(c);
  if (!tier) return { ok: false, code: 'policy.not_approver' };
  const all = [...tierDeciders(tier), ...c.approvers].filter((a) => a.odooUserId === odooUserId);
  if (all.length === 0) return { ok: false, code: 'policy.not_approver' };
  if (tier.approvals.some((a) => a.odooUserId === odooUserId)) return { ok: false, code: 'policy.already_approved' };
  // Acting for someone whose approval is already counted would count them twice.
  const used = new Set(tier.approvals.map(principal));
  const candidates = all.filter((a) => !used.has(principal(a)));
  if (candidates.length === 0) return { ok: false, code: 'policy.already_approved' };
  // Prefer acting in one's own right over acting as a delegate.
  const own = candidates.find((a) => !a.onBehalfOf);
  const as = own ?? candidates[0]!;
  if (distinctApprovers) {
    // Distinct people by authority: neither the person clicking nor the one they act for
    // may have approved an earlier tier, in their own right or through a delegate.
    const earlier = new Set(
      c.tiers.slice(0, c.currentTier).flatMap((t) => t.approvals.flatMap((a) => [a.odooUserId, principal(a)])),
    );
    if (earlier.has(odooUserId) || earlier.has(principal(as))) return { ok: false, code: 'policy.distinct_approvers' };
  }
  return { ok: true, as };
}

export type ApprovalOutcome =
  | { kind: 'counted'; case: Case }
  | { kind: 'next_tier'; case: Case }
  | { kind: 'final'; case: Case };

/**
 * Adds an approval to the current tier and says what follows: wait for more,
 * move to the next tier (whose approvers the caller supplies, already
 * resolved), or write the approval to Odoo.
 */
export function addApproval(
  c: Case,
  approval: CaseApproval,
  nextApprovers: (tier: CaseTier) => ApproverRef[],
): ApprovalOutcome {
  const tiers = c.tiers.map((t, i) => (i === c.currentTier ? { ...t, approvals: [...t.approvals, approval] } : t));
  const updated: Case = { ...c, tiers };
  const tier = tiers[c.currentTier]!;
  if (!tierSatisfied(tier)) return { kind: 'counted', case: updated };
  if (isLastTier(updated)) return { kind: 'final', case: updated };
  const nextIndex = c.currentTier + 1;
  const next = { ...tiers[nextIndex]!, startedAt: approval.at };
  const withNext = tiers.map((t, i) => (i === nextIndex ? next : t));
  return {
    kind: 'next_tier',
    case: { ...updated, tiers: withNext, currentTier: nextIndex, approvers: nextApprovers(next) },
  };
}
