import type { CaseStatus, DecisionAction, DecisionStatus, Platform } from './types.js';

/**
 * The domain's counters and histograms, each with the labels it takes. The
 * label types are closed on purpose: a series may carry a flow, definition,
 * action, platform or outcome, never a user, record id, token or free text,
 * so its cardinality stays bounded by the policy file.
 */
export interface CounterLabels {
  /** A decision reached its final status. */
  decisions: { outcome: Extract<DecisionStatus, 'applied' | 'refused' | 'failed' | 'superseded'> } & DecisionLabels;
  cases_opened: { flow: string };
  cases_closed: { flow: string; outcome: Extract<CaseStatus, 'approved' | 'rejected' | 'cancelled' | 'expired'> };
  /** A reminder, escalation or expiry timer that was still current and ran to the end. */
  timers_fired: { flow: string; kind: 'remind' | 'escalate' | 'expire' };
  exceptions_opened: { definition: string };
  exceptions_resolved: { definition: string };
  exceptions_auto_closed: { definition: string };
  exceptions_escalated: { definition: string; reason: 'manual' | 'sla' };
  exception_sla_breaches: { definition: string };
}

export interface HistogramLabels {
  /** Seconds from the click to the decision applied (in Odoo, or counted for a tier). */
  decision_apply_seconds: DecisionLabels;
}

export interface DecisionLabels {
  action: DecisionAction;
  /** The policy's flow id; `unknown` when the case is gone. */
  flow: string;
  platform: Platform;
}

/**
 * Where the flows count what they do, for `/metrics`. Implemented on
 * prom-client in `src/metrics`; optional on `FlowDeps` because nothing the
 * domain decides may depend on it.
 */
export interface Metrics {
  count<N extends keyof CounterLabels>(name: N, labels: CounterLabels[N]): void;
  observe<N extends keyof HistogramLabels>(name: N, seconds: number, labels: HistogramLabels[N]): void;
}

/** Counts nothing: what flows use when no metrics are wired (unit tests, tools). */
export const NO_METRICS: Metrics = {
  count() {},
  observe() {},
};

/** The deps' metrics, or the no-op ones. */
export function metricsOf(deps: { metrics?: Metrics | undefined }): Metrics {
  return deps.metrics ?? NO_METRICS;
}
