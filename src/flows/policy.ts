import type { Domain } from './types.js';

/** An Odoo method call the flow makes on a decision. */
export interface FlowMethod {
  method: string;
  kwargs?: Record<string, unknown> | undefined;
  /** What the record must match afterwards; default: it no longer matches `when`. */
  expect?: Domain | undefined;
}

/** One approval flow of the policy file, as the flow engine sees it. */
export interface ApprovalFlow {
  id: string;
  model: string;
  when: Domain;
  slack: { channel: string; dmApprovers: boolean };
  approvers: { odooGroup: string };
  approve: FlowMethod;
  reject: FlowMethod;
  requesterFields: string[];
  title?: string | undefined;
}

export interface Policy {
  approvals: ApprovalFlow[];
}
