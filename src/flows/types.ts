/**
 * Domain types shared by the flow engine and the ports. Nothing here knows
 * Odoo's wire shapes, Slack's Block Kit or SQL.
 */

/** A leaf of an Odoo domain: `[field, operator, value]`. */
export type DomainOperator =
  | '='
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | 'in'
  | 'not in'
  | 'like'
  | 'ilike'
  | 'not like'
  | 'not ilike'
  | '=like'
  | '=ilike'
  | 'child_of'
  | 'parent_of';

export type DomainValue = string | number | boolean | null | Array<string | number | boolean>;
export type DomainLeaf = [string, DomainOperator, DomainValue];
export type DomainTerm = '&' | '|' | '!' | DomainLeaf;
/** An Odoo domain in prefix (Polish) notation, implicit `&` between terms. */
export type Domain = DomainTerm[];

/** A many2one value after normalisation: Odoo's `[id, name]` pair. */
export interface RecordLink {
  id: number;
  name: string;
}

/**
 * A field value after the Odoo adapter normalised it: empty fields are `null`
 * (Odoo's `false`), many2one is a `RecordLink`, x2many a list of ids,
 * datetimes are ISO-8601 UTC strings (`2026-11-25T10:00:00Z`), dates stay
 * `YYYY-MM-DD`.
 */
export type FieldValue = string | number | boolean | null | RecordLink | number[];

export interface OdooRecord {
  id: number;
  [field: string]: FieldValue;
}

export interface OdooUser {
  id: number;
  name: string;
  login: string;
  email: string | null;
  active: boolean;
  /** Internal users only may approve; portal and public users are `share`. */
  share: boolean;
  tz: string | null;
}

export interface OdooServerVersion {
  /** e.g. `17.0`, `saas~17.4`, `19.0` */
  serie: string;
  major: number;
  minor: number;
}

/** Where a chat user is: platform plus that platform's ids. */
export type Platform = 'slack' | 'teams';

export interface ChatActor {
  platform: Platform;
  userId: string;
  teamId?: string;
  /** Display name as the platform gave it; never trusted for authorisation. */
  displayName?: string;
}

/** A place a card can be posted: a channel, or a user's direct messages. */
export type ChatTarget = { kind: 'channel'; channelId: string } | { kind: 'user'; userId: string };

/** Where a card landed, so it can be updated later. */
export interface PostedMessageRef {
  platform: Platform;
  channelId: string;
  messageId: string;
  kind: 'channel' | 'dm';
  /** Chat user the DM went to, when `kind` is `dm`. */
  recipient?: string;
}

export type CaseStatus =
  | 'open'
  /** An approver asked the requester a question; the case waits for the answer. */
  | 'info_requested'
  | 'deciding'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  /** Closed by the expiry timer without a decision (never approved). */
  | 'expired'
  | 'failed';

export type DecisionAction = 'approve' | 'reject';

export interface Delegation {
  id: string;
  fromOdooUserId: number;
  fromName: string;
  toOdooUserId: number;
  toName: string;
  startsAt: Date;
  /** Exclusive end instant (the day after "until" in the calendar's zone). */
  endsAt: Date;
  source: 'chat' | 'policy';
  createdBy: string;
  createdAt: Date;
}

export type DecisionStatus =
  /** recorded from a click, not yet looked at by the worker */
  | 'queued'
  /** the worker claimed the case for this decision and is writing to Odoo */
  | 'applying'
  | 'applied'
  /** refused before touching Odoo (not an approver, stale card, SoD, ...) */
  | 'refused'
  /** another decision on the same case won */
  | 'superseded'
  /** Odoo refused the write (UserError, AccessError) */
  | 'failed';

export interface CaseLine {
  product: string;
  description: string;
  quantity: number;
  unitPrice: number;
  subtotal: number;
}

/** What the card shows, read from Odoo when the case was opened or redrawn. */
export interface CaseSnapshot {
  reference: string;
  partner: string | null;
  amount: number | null;
  currency: string | null;
  owner: string | null;
  date: string | null;
  state: string | null;
  writeDate: string | null;
  lines: CaseLine[];
  lineCount: number;
  url: string | null;
}

export interface ApproverRef {
  odooUserId: number;
  name: string;
  email: string | null;
  /** Time zone from res.users.tz, for reminders in the approver's working hours. */
  tz?: string | null;
  /** Set when this person may act as a delegate of another approver. */
  onBehalfOf?: { odooUserId: number; name: string } | null;
  /** Why this person may decide (for the card and the audit): "group purchase.group_purchase_manager", "manager of Bob". */
  via?: string;
}

export interface CaseApproval {
  odooUserId: number;
  name: string;
  decisionId: string;
  /** ISO time the approval was counted. */
  at: string;
  platform: Platform;
  onBehalfOf: { odooUserId: number; name: string } | null;
}

export interface CaseTier {
  /** Position among the tiers that applied to this document. */
  index: number;
  name: string;
  approvers: ApproverRef[];
  minApprovals: number;
  /** People who must be among the approvals of this tier. */
  required: ApproverRef[];
  approvals: CaseApproval[];
  /** Added by escalation; they may decide too, the original approvers keep the right. */
  escalated: ApproverRef[];
  /** ISO time the tier became current; null while a later tier. */
  startedAt: string | null;
}

/** Deadlines of the current tier, ISO instants; null when not set. */
export interface CaseTimers {
  remindAt: string | null;
  escalateAt: string | null;
  expireAt: string | null;
  reminders: number;
  escalated: boolean;
  /** While info is requested and the policy pauses timers: when the pause began. */
  pausedAt: string | null;
}

export interface InfoRequest {
  id: string;
  askedBy: { odooUserId: number; name: string };
  question: string;
  askedAt: string;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: string | null;
}

export interface Case {
  id: string;
  flowId: string;
  odooModel: string;
  odooId: number;
  status: CaseStatus;
  snapshot: CaseSnapshot;
  /** Odoo user ids who requested the document (buyer, creator): they may not approve it. */
  requesterIds: number[];
  /** Who may decide now: the current tier's approvers, delegates and escalation targets. */
  approvers: ApproverRef[];
  tiers: CaseTier[];
  currentTier: number;
  timers: CaseTimers;
  infoRequests: InfoRequest[];
  /** The decision that claimed the case (set with status `deciding` and kept after). */
  decisionId: string | null;
  /** Optimistic-concurrency version, bumped by every save. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export interface Decision {
  id: string;
  caseId: string;
  /** Unique per click; a retried or replayed request maps to the same decision. */
  idempotencyKey: string;
  action: DecisionAction;
  actor: ChatActor;
  reason: string | null;
  /** The tier the card showed when the person clicked; null for cards drawn before tiers. */
  tier: number | null;
  /** Odoo `write_date` the card showed when the person clicked (stale-card check). */
  cardWriteDate: string | null;
  status: DecisionStatus;
  odooUserId: number | null;
  odooUserName: string | null;
  /** Why it was refused or failed, in words for the person. */
  outcome: string | null;
  /** Set once the Odoo method call was confirmed; never call it twice. */
  appliedAt: Date | null;
  /** Set once the chatter note was posted; never post it twice. */
  chatterPostedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AuditEntry {
  seq: number;
  at: Date;
  type: string;
  caseId: string | null;
  actor: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditEntryInput {
  type: string;
  caseId?: string | null;
  actor?: string | null;
  data?: Record<string, unknown>;
}

export type AuditVerifyResult =
  | { ok: true; count: number; head: string }
  | { ok: false; count: number; brokenAt: number; reason: string };
