import type { FlowDeps } from './deps.js';
import { findFlow } from './find-flow.js';
import { type CardsJob, type IngestRecordJob, JOBS, jobId, QUEUES } from './jobs.js';
import { metricsOf } from './metrics-port.js';
import { eachCasePage, RECORD_PAGE, walkRecords } from './paged.js';

/**
 * Odoo stamps `write_date` with the transaction's start, so a long
 * transaction can commit with a date older than our checkpoint: look back.
 */
export const POLL_OVERLAP_MS = 60_000;
/** Records per page of a poll (see `walkRecords`). */
export const POLL_PAGE = RECORD_PAGE;

/**
 * A walk of the window that one poll could not finish (more than
 * RECORD_PAGES_PER_POLL pages): the next poll continues it after `afterId`
 * with the same `since`, and only when it ends does the checkpoint move, to
 * `mark`, the newest date the walk's first poll saw. A later date could skip
 * a record changed during the walk behind the cursor; this one cannot.
 */
interface UnfinishedWalk {
  since: string | null;
  afterId: number;
  mark: string | null;
}

function parseWalk(value: string | null): UnfinishedWalk | null {
  if (!value) return null;
  try {
    const w = JSON.parse(value) as Partial<UnfinishedWalk>;
    const date = (v: unknown) => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v)));
    if (typeof w.afterId === 'number' && w.afterId > 0 && date(w.since) && date(w.mark))
      return { since: w.since ?? null, afterId: w.afterId, mark: w.mark ?? null };
  } catch {
    // Not ours or damaged: start the window again, which re-reads and loses nothing.
  }
  return null;
}

/** The window this poll reads (since the checkpoint, less the overlap) and the checkpoint its walk starts from. */
function startOf(stored: string | null, resumed: UnfinishedWalk | null): { since: Date | null; mark: Date | null } {
  const date = (v: string | null) => (v === null ? null : new Date(v));
  if (resumed) return { since: date(resumed.since), mark: date(resumed.mark) };
  return { since: stored ? new Date(Date.parse(stored) - POLL_OVERLAP_MS) : null, mark: date(stored) };
}

/**
 * Catches what webhooks miss (and is the only source on Odoo 16): every
 * record matching the flow changed since the checkpoint is ingested, page by
 * page in id order, and open cases whose record no longer matches are closed.
 */
export async function pollFlow(deps: FlowDeps, flowId: string): Promise<{ seen: number }> {
  const flow = findFlow(deps.policy, flowId);
  const key = `poll.${flow.id}`;
  const walkKey = `${key}.walk`;
  const stored = await deps.store.getCheckpoint(key);
  const resumed = parseWalk(await deps.store.getCheckpoint(walkKey));
  const start = startOf(stored, resumed);
  const { since } = start;
  let { mark } = start;
  const walk = await walkRecords(
    deps,
    {
      model: flow.model,
      domain: flow.when,
      since,
      afterId: resumed?.afterId ?? 0,
      what: `${flow.model} records for flow ${flow.id}`,
    },
    async (rows) => {
      for (const row of rows) {
        // Same key as the webhook's (`…T10:00:00Z`), so one version arriving both ways is ingested once.
        const writeDate = row.writeDate ? `${row.writeDate.toISOString().slice(0, 19)}Z` : null;
        await deps.queue.enqueue<IngestRecordJob>(
          QUEUES.events,
          JOBS.ingestRecord,
          { model: flow.model, id: row.id, writeDate, source: 'poll' },
          { jobId: jobId('ingest', flow.model, row.id, writeDate ?? 'none') },
        );
        if (!resumed && row.writeDate && (!mark || row.writeDate > mark)) mark = row.writeDate;
      }
    },
  );
  if (walk.done) {
    if (mark) await deps.store.setCheckpoint(key, mark.toISOString());
    if (resumed) await deps.store.setCheckpoint(walkKey, '');
  } else {
    const unfinished: UnfinishedWalk = {
      since: since?.toISOString() ?? null,
      afterId: walk.afterId,
      mark: mark?.toISOString() ?? null,
    };
    await deps.store.setCheckpoint(walkKey, JSON.stringify(unfinished));
  }

  // Cases whose record left the approval step in Odoo itself: every open case, a page (one Odoo query) at a time.
  // Asked of Odoo per case, not inferred from the walk above, which may have stopped before a record's page.
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
      metricsOf(deps).count('cases_closed', { flow: flow.id, outcome: 'cancelled' });
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
  return { seen: walk.read };
}
