import type {
  ApproverRef,
  Case,
  CaseSnapshot,
  CaseTier,
  CaseTimers,
  ChatActor,
  Decision,
  Delegation,
  InfoRequest,
  PostedMessageRef,
} from '../flows/types.js';

/** Row shapes as `pg` returns them, and their mapping to domain types. */

export interface CaseRow {
  id: string;
  flow_id: string;
  odoo_model: string;
  odoo_id: number;
  status: Case['status'];
  snapshot: CaseSnapshot;
  requester_ids: number[];
  approvers: ApproverRef[];
  tiers: CaseTier[];
  current_tier: number;
  timers: CaseTimers;
  info_requests: InfoRequest[];
  decision_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

export const caseColumns =
  'id, flow_id, odoo_model, odoo_id, status, snapshot, requester_ids, approvers, tiers, current_tier, timers, info_requests, decision_id, version, created_at, updated_at, closed_at';

export function toCase(row: CaseRow): Case {
  return {
    id: row.id,
    flowId: row.flow_id,
    odooModel: row.odoo_model,
    odooId: row.odoo_id,
    status: row.status,
    snapshot: row.snapshot,
    requesterIds: row.requester_ids,
    approvers: row.approvers,
    tiers: row.tiers,
    currentTier: row.current_tier,
    timers: row.timers,
    infoRequests: row.info_requests,
    decisionId: row.decision_id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}

export interface DecisionRow {
  id: string;
  case_id: string;
  idempotency_key: string;
  action: Decision['action'];
  actor: ChatActor;
  reason: string | null;
  tier: number | null;
  card_write_date: string | null;
  status: Decision['status'];
  odoo_user_id: number | null;
  odoo_user_name: string | null;
  outcome: string | null;
  applied_at: Date | null;
  chatter_posted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const decisionColumns =
  'id, case_id, idempotency_key, action, actor, reason, tier, card_write_date, status, odoo_user_id, odoo_user_name, outcome, applied_at, chatter_posted_at, created_at, updated_at';

export function toDecision(row: DecisionRow): Decision {
  return {
    id: row.id,
    caseId: row.case_id,
    idempotencyKey: row.idempotency_key,
    action: row.action,
    actor: row.actor,
    reason: row.reason,
    tier: row.tier,
    cardWriteDate: row.card_write_date,
    status: row.status,
    odooUserId: row.odoo_user_id,
    odooUserName: row.odoo_user_name,
    outcome: row.outcome,
    appliedAt: row.applied_at,
    chatterPostedAt: row.chatter_posted_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface PostedMessageRow {
  platform: PostedMessageRef['platform'];
  channel_id: string;
  message_id: string;
  kind: PostedMessageRef['kind'];
  recipient: string | null;
}

export function toPostedMessage(row: PostedMessageRow): PostedMessageRef {
  const ref: PostedMessageRef = {
    platform: row.platform,
    channelId: row.channel_id,
    messageId: row.message_id,
    kind: row.kind,
  };
  if (row.recipient !== null) ref.recipient = row.recipient;
  return ref;
}

export interface DelegationRow {
  id: string;
  from_odoo_user_id: number;
  from_name: string;
  to_odoo_user_id: number;
  to_name: string;
  starts_at: Date;
  ends_at: Date;
  source: Delegation['source'];
  created_by: string;
  created_at: Date;
}

export const delegationColumns =
  'id, from_odoo_user_id, from_name, to_odoo_user_id, to_name, starts_at, ends_at, source, created_by, created_at';

export function toDelegation(row: DelegationRow): Delegation {
  return {
    id: row.id,
    fromOdooUserId: row.from_odoo_user_id,
    fromName: row.from_name,
    toOdooUserId: row.to_odoo_user_id,
    toName: row.to_name,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    source: row.source,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
