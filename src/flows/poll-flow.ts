import type { FlowDeps } from './deps.js';
import { findFlow } from './find-flow.js';
import { type CardsJob, type IngestRecordJob, JOBS, jobId, QUEUES } from './jobs.js';
import { eachCasePage } from './paged.js';

/**
 * Odoo stamps `write_date` with the transaction's start, so a long
 * transaction can commit with a date older than our checkpoint: look back.
 */
export const POLL_OVERLAP_MS = 60_000;
export const POLL_PAGE = 200;
const MAX_PAGES_PER_RUN = 25;

/**
 * Catches what webhooks miss (and is the only source on Odoo 16): records
 * matching the flow changed since the checkpoint are ingested, and open cases
 * whose record no longer matches are closed.
 */
export async function pollFlow(deps: FlowDeps, flowId: string): Promise<{ seen: number }> {
  const flow = findFlow(deps.policy, flowId);
  const key = `poll.${flow.id}`;
  const stored = await deps.store.getCheckpoint(key);
  let since = stored ? new Date(new Date(stored).getTime() - POLL_OVERLAP_MS) : null;
  let newest = stored ? new Date(stored) : null;
  let seen = 0;
  for (let page = 0; page < MAX_PAGES_PER_RUN; page++) {
    const rows = await deps.documents.changedSince(flow.model, flow.when, since, POLL_PAGE);
    for (const row of rows) {
      // Same key as the webhook's (`…T10:00:00Z`), so one version arriving both ways is ingested once.
      const writeDate = row.writeDate ? `${row.writeDate.toISOString().slice(0, 19)}Z` : null;
      await deps.queue.enqueue<IngestRecordJob>(
        QUEUES.events,
        JOBS.ingestRecord,
        { model: flow.model, id: row.id, writeDate, source: 'poll' },
        { jobId: jobId('ingest', flow.model, row.id, writeDate ?? 'none') },
      );
      if (row.writeDate && (!newest || row.writeDate > newest)) newest = row.writeDate;
    }
    seen += rows.length;
    if (rows.length < POLL_PAGE) break;
    // Next page: strictly after the last date seen on this one (ties are re-read, which is harmless).
    const last = rows[rows.length - 1]?.writeDate ?? null;
    if (!last || (since && last.getTime() === since.getTime())) break;
    since = last;
  }
  if (newest) await deps.store.setCheckpoint(key, newest.toISOString());

  // Cases whose record left the approval step in Odoo itself: every open case, a page (one Odoo query) at a time.
  for await (const open of eachCasePage(deps.store, { status: ['open', 'info_requested'], flowId: flow.id })) {
    const still = new Set(
      await deps.documents.matchingIds(
        flow.model,
        flow.when,
        open.map((c) => c.odooId),
      ),
    );
    for (const c of open.filter((x) => !still.has(x.odooId))) {
      const doc = await deps.documents.load(c.odooModel, c.odooId, flow.requesterFields);
      if (doc) await deps.store.updateCaseSnapshot(c.id, doc.snapshot);
      await deps.store.setCaseStatus(c.id, 'cancelled');
      await deps.audit.append({
        type: 'case.closed',
        caseId: c.id,
        data: { reason: 'no_longer_matches', state: doc?.snapshot.state ?? null, source: 'poll' },
      });
      await deps.queue.enqueue<CardsJob>(
        QUEUES.notify,
        JOBS.refreshCards,
        { caseId: c.id },
        { jobId: jobId('refresh', c.id, 'closed') },
      );
    }
  }
  return { seen };
}
