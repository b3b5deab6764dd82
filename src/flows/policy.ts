import type { FactName } from './context-ports.js';
import type { ExceptionPolicy } from './exceptions/policy.js';
import type { Domain } from './types.js';

/**
 * What a decision does in Odoo. Exactly one of `method`, `wizard` or `note`:
 * - `method`: call a public method on the record (`button_approve`);
 * - `wizard`: create a wizard record linked to the document and call its method
 *   (expense refusal with a reason);
 * - `note`: change nothing but post the note (and schedule an activity), for
 *   documents Odoo has no rejection state for (vendor bills, sale orders).
 * `{{reason}}` in kwargs or wizard values is replaced by the person's reason.
 */
export interface FlowMethod {
  method?: string | undefined;
  kwargs?: Record<string, unknown> | undefined;
  wizard?: { model: string; method: string; values: Record<string, unknown>; link: string } | undefined;
  note?: boolean | undefined;
  /** With `note`: a to-do for the requester (or a user field of the document). */
  activity?: { to: string; summary: string; days: number } | undefined;
  /** Run as the deciding person with their own linked API key (Odoo records the caller). */
  asApprover?: boolean | undefined;
  /** What the record must match afterwards; default: it no longer matches `when` (not checked for `note`). */
  expect?: Domain | undefined;
}

/**
 * Where approvers come from. Every key given adds people; a source that
 * finds nobody adds nobody (and `check` says so).
 */
export interface ApproverSource {
  /** Members of Odoo groups, by XML id. */
  odooGroup?: string[] | undefined;
  /** Odoo users by login or email. */
  users?: string[] | undefined;
  /** res.users fields on the document, e.g. `user_id`. */
  field?: string[] | undefined;
  /** The requester's manager chain through hr.employee.parent_id: level 1 is the direct manager. */
  manager?: { levels: number } | undefined;
  /** The manager of the requester's department. */
  departmentManager?: boolean | undefined;
  /** Named roles from the top of the policy file. */
  role?: string[] | undefined;
}

/** Business-hours durations in working minutes (parsed from `4h`, `2d`, ...). */
export interface TimerSettings {
  remind?: { afterMinutes: number; everyMinutes: number | null } | undefined;
  escalate?: { afterMinutes: number; to: ApproverSource } | undefined;
  expire?: { afterMinutes: number; outcome: 'close' | 'reject' } | undefined;
}

export interface TierPolicy {
  name: string;
  /** The tier applies only if the document matches (asked of Odoo). */
  when?: Domain | undefined;
  /** Amount bounds in the company currency, compared after conversion. */
  minAmount?: number | undefined;
  maxAmount?: number | undefined;
  approvers: ApproverSource;
  minApprovals: number;
  /** Odoo logins or emails who must be among the approvers of this tier. */
  required: string[];
  timers?: TimerSettings | undefined;
}

/** One approval flow of the policy file, as the flow engine sees it. */
export interface ApprovalFlow {
  id: string;
  model: string;
  when: Domain;
  /** Slack channel id; absent when the flow posts nowhere on Slack. */
  slack?: { channel: string; dmApprovers: boolean } | undefined;
  /** Teams conversation; `channel` may be left out and linked from Teams with `link channel <flow>`. */
  teams?: { channel?: string | undefined; dmApprovers: boolean } | undefined;
  /** At least one tier; a flow written with `approvers:` has one tier named "Approval". */
  tiers: TierPolicy[];
  approve: FlowMethod;
  reject: FlowMethod;
  requesterFields: string[];
  /** No person approves two tiers of one case. */
  distinctApprovers: boolean;
  timers?: TimerSettings | undefined;
  infoRequests: { pauseTimers: boolean };
  /** Forwarding: to another eligible person always; to anyone (with a reason) only when `anyone`. */
  forward: { anyone: boolean };
  title?: string | undefined;
  /** A daily message listing what waits and what is past its SLA; absent means none. */
  digest?: FlowDigest | undefined;
  /** `risk:` limits for this flow's risk flags; a key left out keeps the global default. */
  risk?: FlowRiskLimits | undefined;
  /** `ai:` whether an AI provider drafts summaries for this flow, and which facts it may see. */
  ai?: FlowAiPolicy | undefined;
}

/**
 * `risk:` on a flow: what counts as unusual differs per flow (a discount fine
 * on one sales team is a red flag on another). Percentages are plain numbers.
 */
export interface FlowRiskLimits {
  /** A price above the last one (orders) or the ordered one (bills) by more than this; default RISK_PRICE_INCREASE_PCT. */
  priceIncreasePct?: number | undefined;
  /** Sale orders: a line discount above this raises a flag; default 20. */
  maxDiscountPct?: number | undefined;
  /** Sale orders: a margin below this raises a flag; default 10. */
  minMarginPct?: number | undefined;
  /** An amount above this many times the usual (median) raises a flag; default 3. */
  amountFactor?: number | undefined;
  /** Documents this many days apart count as one split purchase; default 7. */
  splitWindowDays?: number | undefined;
}

/**
 * `ai:` on a flow. Only the facts named in `facts` are sent (then masked);
 * `enabled: false` keeps this flow's documents away from the AI provider.
 */
export interface FlowAiPolicy {
  enabled: boolean;
  /** Fact names (FACT_NAMES); absent: every fact of the document. */
  facts?: FactName[] | undefined;
}

/**
 * `digest:` on a flow: posted at `at` (HH:MM in the calendar's zone) on
 * working days, skipped when nothing waits. `channel` is a Slack channel id
 * and `teamsChannel` a Teams conversation id; each defaults to the flow's own
 * channel on that platform.
 */
export interface FlowDigest {
  at: string;
  channel?: string | undefined;
  teamsChannel?: string | undefined;
}

/** `digests:` at the top of the policy file: digests that are not per flow. */
export interface DigestsPolicy {
  /** A morning DM to each approver with their queue, at `at` in their own zone (res.users.tz, else the calendar's). */
  approverDm?: { at: string } | undefined;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Working time for timers; the same shape business-hours.ts computes with. */
export interface CalendarPolicy {
  timeZone: string;
  workingDays: Weekday[];
  hours: Array<{ start: string; end: string }>;
  holidays: string[];
}

/** A standing delegation from the policy file; chat delegations live in the store. */
export interface DelegationPolicy {
  from: string;
  to: string;
  /** Inclusive dates in the calendar's time zone. */
  start?: string | undefined;
  until: string;
}

export interface Policy {
  calendar: CalendarPolicy;
  roles: Record<string, ApproverSource>;
  delegations: DelegationPolicy[];
  approvals: ApprovalFlow[];
  /** Billing exceptions (`exceptions:` in the policy file); absent means none. */
  exceptions?: ExceptionPolicy[];
  /**
   * Who may see more than their own cases in `/odoo status`, `pending` and
   * `sla`: people `finance` names see every case (`pending all`). Absent
   * means nobody does; managers always see their reports' cases.
   */
  access?: AccessPolicy | undefined;
  /** Per-approver morning digests (`digests:` in the policy file); absent means none. */
  digests?: DigestsPolicy | undefined;
}

/** `access:` in the policy file. */
export interface AccessPolicy {
  finance?: ApproverSource | undefined;
}

export const DEFAULT_CALENDAR: CalendarPolicy = {
  timeZone: 'UTC',
  workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  hours: [{ start: '09:00', end: '17:00' }],
  holidays: [],
};
