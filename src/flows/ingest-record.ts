import { AppError } from '../errors.js';
import type { FlowDeps } from './deps.js';
import { exceptionDeps } from './exceptions/exception-support.js';
import { queueExceptionIngest } from './exceptions/ingest-exception.js';
import { flowsForModel } from './find-flow.js';
import { type CardsJob, type IngestRecordJob, JOBS, jobId, QUEUES } from './jobs.js';
import { metricsOf } from './metrics-port.js';
import { openCase } from './open-case.js';
import { recordMatches } from './record-matches.js';

/**
 * One Odoo record changed (webhook or poller). For every flow on its model:
 * open a case when it matches and none is open; close the open case when it
 * no longer matches (someone acted in Odoo directly). Flow and tier
 * conditions are decided on one read of the record (`recordMatches`).
 */
export async function ingestRecord(deps: FlowDeps, event: IngestRecordJob, attempt: number): Promise<void> {
  const log = deps.log.child({ odooModel: event.model, odooId: event.id });
  // Exception definitions on this model check the record in their own jobs.
  if (deps.exceptions) await queueExceptionIngest(exceptionDeps(deps), event);
  const flows = flowsForModel(deps.policy, event.model);
  if (flows.length === 0) {
    log.debug({}, 'no flow for this model; ignored');
    return;
  }
  // Each (record, write_date) is one job, so this is written once per version seen.
  if (attempt === 1)
    await deps.audit.append({
      type: 'event.received',
      data: { odooModel: event.model, odooId: event.id, writeDate: event.writeDate, source: event.source },
    });
  // One read decides every flow's `when` and every tier's, on the record as it is now.
  const domains = flows.flatMap((f) => [f.when, ...f.tiers.flatMap((t) => (t.when ? [t.when] : []))]);
  const matches = await recordMatches(deps, event.model, event.id, domains);
  for (const flow of flows) {
    const match = await matches.matches(flow.when);
    const active = await deps.store.findActiveCase(flow.id, event.model, event.id);
    if (!match) {
      if (active && (active.status === 'open' || active.status === 'info_requested')) {
        const doc = await deps.documents.load(event.model, event.id, flow.requesterFields);
        if (doc) await deps.store.updateCaseSnapshot(active.id, doc.snapshot);
        await deps.store.setCaseStatus(active.id, 'cancelled');
        metricsOf(deps).count('cases_closed', { flow: flow.id, outcome: 'cancelled' });
        await deps.audit.append({
          type: 'case.closed',
          caseId: active.id,
          data: { reason: 'no_longer_matches', state: doc?.snapshot.state ?? null, source: event.source },
        });
        await deps.queue.enqueue<CardsJob>(
          QUEUES.notify,
          JOBS.refreshCards,
          { caseId: active.id },
          {
            jobId: jobId('refresh', active.id, 'closed'),
          },
        );
        log.info({ caseId: active.id, flowId: flow.id }, 'case closed: the record left the approval step in Odoo');
        continue;
      }
      // Odoo 17/18 post the webhook before their transaction commits: the
      // record we read may still be the old version. Retry briefly.
      if (event.source === 'webhook' && attempt < 4 && !active) {
        throw new AppError(
          'ingest.not_yet_matching',
          'transient',
          `${event.model} ${event.id} does not match flow ${flow.id} yet; re-reading in case Odoo had not committed`,
        );
      }
      log.debug({ flowId: flow.id }, 'record does not match the flow');
      continue;
    }
    if (active) {
      log.debug({ caseId: active.id }, 'a case is already open for this record');
      continue;
    }
    // A decision that leaves the record matching (a rejection noted in chatter
    // on a bill that stays draft) must not be asked again until the record changes.
    const latest = await deps.store.findLatestCase(flow.id, event.model, event.id);
    if (latest?.snapshot.writeDate) {
      const current =
        event.writeDate ?? (await deps.documents.load(event.model, event.id, flow.requesterFields))?.snapshot.writeDate;
      if (current === latest.snapshot.writeDate) {
        log.debug({ caseId: latest.id }, 'already decided at this version of the record');
        continue;
      }
    }
    await openCase(deps, flow, event, matches);
  }
  log.debug({ decided: matches.counts }, 'domains decided on the record read (local) and asked of Odoo (odoo)');
}
