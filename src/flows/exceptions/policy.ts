import type { ApproverSource, FlowDigest } from '../policy.js';
import type { Domain } from '../types.js';
import type { ExceptionAction, ExceptionSeverity } from './types.js';

/**
 * One exception definition of the policy file, as the flow engine sees it:
 * presets already expanded, durations in business minutes. Exactly one of
 * `odoo` (a domain the poller and webhooks check) or `external` (events
 * posted to `/events` with this type).
 */
export interface ExceptionPolicy {
  id: string;
  /** The preset or external type (`bill-variance`, `usage-sync-failed`); shown on the card. */
  type: string;
  title: string;
  odoo?:
    | {
        model: string;
        when: Domain;
        /**
         * Records whose date field is older than N days (computed at poll
         * time in the calendar's zone), e.g. invoices overdue by 30 days.
         */
        olderThan?: { field: string; days: number } | undefined;
      }
    | undefined;
  external?: { type: string } | undefined;
  owner: ApproverSource;
  slack?: { channel: string } | undefined;
  teams?: { channel?: string | undefined } | undefined;
  /** Business minutes until the SLA is breached and the exception escalates; absent: no SLA. */
  slaMinutes?: number | undefined;
  severity: ExceptionSeverity;
  actions: ExceptionAction[];
  /** Field values written to the Odoo record on resolve (e.g. `release_to_pay_manual: yes`). */
  resolveWrite?: Record<string, unknown> | undefined;
  escalateTo?: ApproverSource | undefined;
  /**
   * A daily list of the open exceptions, with owner, age against the SLA and
   * which are past it; the same setting as a flow's `digest:` (channels
   * default to this definition's own). Absent means none.
   */
  digest?: FlowDigest | undefined;
}
