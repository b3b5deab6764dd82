import type { CaseStatus, Decision, DecisionStatus } from '../flows/types.js';

/** Decision statuses after which nothing may change the decision again. */
export const finalDecisionStatuses: DecisionStatus[] = ['applied', 'refused', 'superseded', 'failed'];
/** Case statuses that close the case. */
export const finalCaseStatuses: CaseStatus[] = ['approved', 'rejected', 'cancelled', 'failed'];

export type DecisionPatch = Partial<
  Pick<Decision, 'status' | 'odooUserId' | 'odooUserName' | 'outcome' | 'appliedAt' | 'chatterPostedAt'>
>;

const decisionPatchColumns = {
  status: 'status',
  odooUserId: 'odoo_user_id',
  odooUserName: 'odoo_user_name',
  outcome: 'outcome',
  appliedAt: 'applied_at',
  chatterPostedAt: 'chatter_posted_at',
} as const;

/** SET list for a decision patch; parameters are numbered after `values` already bound. */
export function decisionPatchSql(patch: DecisionPatch, values: unknown[]): string {
  const sets = ['updated_at = now()'];
  for (const [key, column] of Object.entries(decisionPatchColumns)) {
    const value = patch[key as keyof typeof decisionPatchColumns];
    if (value === undefined) continue;
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  }
  return sets.join(', ');
}

/** WHERE clause (possibly empty) for a case listing; pushes its parameters onto `values`. */
export function caseFilterSql(filter: { status?: CaseStatus[]; flowId?: string }, values: unknown[]): string {
  const where: string[] = [];
  if (filter.status) {
    values.push(filter.status);
    where.push(`status = ANY($${values.length}::text[])`);
  }
  if (filter.flowId !== undefined) {
    values.push(filter.flowId);
    where.push(`flow_id = $${values.length}`);
  }
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}
