import { AppError } from '../errors.js';
import type { ApprovalFlow, Policy } from './policy.js';

export function findFlow(policy: Policy, flowId: string): ApprovalFlow {
  const flow = policy.approvals.find((f) => f.id === flowId);
  if (!flow)
    throw new AppError(
      'flow.unknown',
      'internal',
      `The flow "${flowId}" is no longer in the policy file. Put it back, or close its open cases in Odoo.`,
    );
  return flow;
}

export function flowsForModel(policy: Policy, model: string): ApprovalFlow[] {
  return policy.approvals.filter((f) => f.model === model);
}
