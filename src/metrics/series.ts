import type { CounterLabels, HistogramLabels } from '../flows/metrics-port.js';

/** Every series of ours starts with this, so one `{__name__=~"odoo_chatops_.*"}` finds them all. */
export const PREFIX = 'odoo_chatops_';

type LabelNames<L> = ReadonlyArray<keyof L & string>;

/**
 * The flows' counters: help text and label names of each, checked against
 * the port's label types, so a counter the domain adds fails the build here
 * until it has its help text. Exposed as `odoo_chatops_<name>_total`.
 */
export const COUNTERS: { [N in keyof CounterLabels]: { help: string; labels: LabelNames<CounterLabels[N]> } } = {
  decisions: {
    help: 'Decisions (clicks) that reached a final outcome: applied (in Odoo, or counted for a tier), refused (not allowed, stale card), failed (Odoo refused the write), superseded (another decision won).',
    labels: ['outcome', 'action', 'flow', 'platform'],
  },
  cases_opened: { help: 'Approval cases opened.', labels: ['flow'] },
  cases_closed: {
    help: 'Approval cases closed: approved, rejected, cancelled (the record left the approval step or is gone) or expired.',
    labels: ['flow', 'outcome'],
  },
  timers_fired: {
    help: 'Reminder, escalation and expiry timers that were still current when they fired.',
    labels: ['flow', 'kind'],
  },
  exceptions_opened: { help: 'Exceptions opened.', labels: ['definition'] },
  exceptions_resolved: { help: 'Exceptions resolved by a person.', labels: ['definition'] },
  exceptions_auto_closed: {
    help: 'Exceptions closed because the Odoo record no longer matches.',
    labels: ['definition'],
  },
  exceptions_escalated: {
    help: 'Exceptions escalated, by a person (manual) or on an SLA breach (sla).',
    labels: ['definition', 'reason'],
  },
  exception_sla_breaches: {
    help: 'Exception SLAs that ran out while someone still had to act.',
    labels: ['definition'],
  },
};

/** The flows' histograms, in seconds. Exposed as `odoo_chatops_<name>`. */
export const HISTOGRAMS: {
  [N in keyof HistogramLabels]: { help: string; labels: LabelNames<HistogramLabels[N]>; buckets: number[] };
} = {
  decision_apply_seconds: {
    help: 'Seconds from the click to the decision applied. Minutes or hours mean Odoo was down and the decision waited.',
    labels: ['action', 'flow', 'platform'],
    buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600],
  },
};

/** Odoo answers in milliseconds to a few seconds; the gateway gives up at 15 s. */
export const ODOO_CALL_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];
/** Slack wants an answer within 3 s; webhooks and health checks take milliseconds. */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Jobs that call Odoo and chat APIs; a slow AI draft takes up to its timeout. */
export const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
