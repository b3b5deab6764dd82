import { isAppError, isTransient } from '../errors.js';
import { checkDecision, finishCounted } from './check-decision.js';
import {
  actorKey,
  chatterNote,
  countDecision,
  failInOdoo,
  OUTAGE_NOTE,
  refresh,
  refuse,
  refuseAsSuperseded,
  showWaitingForOdoo,
  threadReply,
} from './decision-support.js';
import type { FlowDeps } from './deps.js';
import { type ApplyDecisionJob, JOBS, jobId, QUEUES } from './jobs.js';
import { metricsOf } from './metrics-port.js';
import { actionName, performAction } from './perform-action.js';
import type { ApprovalFlow } from './policy.js';
import { recordMatches } from './record-matches.js';
import type { Case, Decision } from './types.js';

/** After a job's own retries are spent, how long before the next round while Odoo is down. */
export const OUTAGE_RETRY_DELAY_MS = 5 * 60 * 1000;

/** Error codes about the deciding person's own Odoo key; their messages are written for that person. */
const IDENTITY_ERRORS = 'identity.';

const FINAL = new Set(['applied', 'refused', 'superseded', 'failed']);

interface Attempt {
  attempt: number;
  maxAttempts: number;
}

/**
 * Did the Odoo call take effect? Checked on the record, because some methods
 * return normally and do nothing: the method's `expect` now matches, or the
 * record no longer matches the flow's `when`. Decided on one read of the
 * record (as fresh as a search right after the write), asking Odoo only for a
 * domain the local evaluator declines. A deleted record matches nothing.
 */
async function outcomeReached(
  deps: FlowDeps,
  flow: ApprovalFlow,
  c: Case,
  action: Decision['action'],
): Promise<boolean> {
  const method = action === 'approve' ? flow.approve : flow.reject;
  // A note changes nothing in Odoo: there is no state to check.
  if (method.note) return true;
  const domain = method.expect ?? flow.when;
  const matches = await (await recordMatches(deps, c.odooModel, c.odooId, [domain])).matches(domain);
  return method.expect ? matches : !matches;
}

/**
 * The decision worker. Every step is guarded by stored state so a retried,
 * duplicated or restarted job never applies a decision twice.
 */
export async function applyDecision(deps: FlowDeps, job: ApplyDecisionJob, run: Attempt): Promise<void> {
  let d = await deps.store.getDecision(job.decisionId);
  if (!d || FINAL.has(d.status)) return;
  const c = await deps.store.getCase(d.caseId);
  if (!c) {
    await refuse(deps, d, job, 'case.not_found', 'This approval case no longer exists; nothing was changed.');
    return;
  }
  const flow = deps.policy.approvals.find((f) => f.id === c.flowId);
  if (!flow) {
    await refuse(
      deps,
      d,
      job,
      'flow.unknown',
      `The approval flow "${c.flowId}" was removed from the bot's policy file, so nothing was changed. Decide in Odoo, or ask the admin to restore the flow.`,
      c.flowId,
    );
    return;
  }
  const log = deps.log.child({ caseId: c.id, odooModel: c.odooModel, odooId: c.odooId, actor: actorKey(d) });

  try {
    const counted = c.tiers.some((t) => t.approvals.some((a) => a.decisionId === d!.id));
    if (counted && c.decisionId !== d.id) {
      // The approval was counted before a crash or a transient failure: finish that step only.
      await finishCounted(deps, flow, c, d, job);
      return;
    }
    if (d.status === 'queued') {
      const claimed = await checkDecision(deps, flow, c, d, job);
      if (!claimed) return;
      d = claimed;
    } else if (c.decisionId !== d.id) {
      await refuseAsSuperseded(deps, c, d, job, c.decisionId ? await deps.store.getDecision(c.decisionId) : null);
      return;
    }

    if (!d.appliedAt) {
      const method = d.action === 'approve' ? flow.approve : flow.reject;
      // A note action must run once even though "reached" is trivially true for it.
      if (method.note || !(await outcomeReached(deps, flow, c, d.action))) {
        try {
          await performAction(deps, flow, c, d, d.action);
        } catch (err) {
          if (isTransient(err)) throw err;
          const e = isAppError(err) ? err : null;
          await failInOdoo(
            deps,
            c,
            d,
            job,
            e,
            // Identity problems (no linked key, a revoked one) are about the person, and say what to do.
            e?.code.startsWith(IDENTITY_ERRORS)
              ? e.message
              : `Odoo refused to ${d.action} ${c.snapshot.reference}: ${e?.message ?? String(err)}`,
          );
          return;
        }
        if (!(await outcomeReached(deps, flow, c, d.action))) {
          await failInOdoo(
            deps,
            c,
            d,
            job,
            null,
            method.asApprover
              ? `Odoo accepted ${actionName(method)} on ${c.snapshot.reference} as you, but the document did not change: you are probably not one of its approvers in Odoo, or it needs more approvals there. Nothing else was changed.`
              : `Odoo accepted ${actionName(method)} on ${c.snapshot.reference} but the document did not change. The bot's Odoo user probably lacks the rights for this step (for purchase orders: the Purchase / Administrator group). Nothing was approved.`,
          );
          return;
        }
      }
      d = await deps.store.updateDecision(d.id, { appliedAt: deps.clock.now(), outcome: null });
      log.info({}, `decision written to Odoo (${d.action})`);
    }

    // The case as claimed: it holds the approval this decision added (and its onBehalfOf).
    const claimed = (await deps.store.getCase(c.id)) ?? c;
    const approval = claimed.tiers.flatMap((t) => t.approvals).find((a) => a.decisionId === d!.id);
    if (!d.chatterPostedAt) {
      const step =
        c.tiers.length > 1 && d.action === 'approve' ? `(final step "${c.tiers[c.currentTier]?.name}")` : null;
      await deps.odoo.postNote(
        c.odooModel,
        c.odooId,
        chatterNote(flow, c, d, { onBehalfOf: approval?.onBehalfOf ?? null, step }),
      );
      d = await deps.store.updateDecision(d.id, { chatterPostedAt: deps.clock.now() });
    }

    const doc = await deps.documents.load(c.odooModel, c.odooId, flow.requesterFields);
    if (doc) await deps.store.updateCaseSnapshot(c.id, doc.snapshot);
    const closed = d.action === 'approve' ? 'approved' : 'rejected';
    await deps.store.setCaseStatus(c.id, closed);
    const first = await deps.store.finishDecision(d.id, 'applied', null, {
      type: 'decision.applied',
      caseId: c.id,
      actor: actorKey(d),
      data: {
        decisionId: d.id,
        action: d.action,
        method: actionName(d.action === 'approve' ? flow.approve : flow.reject),
        odooUserId: d.odooUserId,
        odooUserName: d.odooUserName,
        onBehalfOf: approval?.onBehalfOf ?? null,
        reason: d.reason,
        platform: d.actor.platform,
        state: doc?.snapshot.state ?? null,
      },
    });
    if (first) countDecision(deps, d, 'applied', c.flowId);
    if (first) metricsOf(deps).count('cases_closed', { flow: c.flowId, outcome: closed });
    await refresh(deps, c.id, 'decided');
    const by = `${d.odooUserName ?? d.actor.displayName ?? 'someone'}${approval?.onBehalfOf ? ` for ${approval.onBehalfOf.name}` : ''}`;
    await threadReply(
      deps,
      c.id,
      d.action === 'approve'
        ? `Approved by ${by}; Odoo is updated.`
        : `Rejected by ${by}${d.reason ? `: "${d.reason}"` : ''}.`,
    ).catch((err: unknown) => log.warn({ err }, 'could not reply under the card'));
  } catch (err) {
    if (!isTransient(err)) throw err;
    if (run.attempt === 1) await showWaitingForOdoo(deps, c, d);
    if (run.attempt < run.maxAttempts) throw err;
    // This job's retries are spent but Odoo may come back in an hour: keep the
    // decision alive in a fresh job rather than dropping it.
    const generation = (job.generation ?? 0) + 1;
    log.warn({ err, generation }, 'Odoo still unavailable; decision re-queued');
    // Touching the decision tells the reconciler a job still owns it.
    await deps.store.updateDecision(d.id, { outcome: OUTAGE_NOTE });
    await deps.queue.enqueue<ApplyDecisionJob>(
      QUEUES.decisions,
      JOBS.applyDecision,
      { ...job, generation },
      {
        jobId: jobId('decide', d.id, 'g', generation),
        delayMs: OUTAGE_RETRY_DELAY_MS,
      },
    );
  }
}
