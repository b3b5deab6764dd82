import type { IngestRecordJob } from '../jobs.js';
import { jobId } from '../jobs.js';
import { collect, eachExceptionPage, PAGE_SIZE, walkRecords } from '../paged.js';
import { recordMatches } from '../record-matches.js';
import { closeException } from './close-exception.js';
import { exceptionDomain } from './exception-domain.js';
import { type ExceptionDeps, exceptionDefinitions, findDefinition } from './exception-support.js';
import { EXCEPTION_JOBS, EXCEPTION_QUEUES, type ExceptionIngestJob } from './jobs.js';
import { openOdooException } from './open-exception.js';

/**
 * One Odoo record, for one definition: open an exception when it matches and
 * none is active; auto-close the active one when it no longer matches.
 */
export async function ingestException(deps: ExceptionDeps, job: ExceptionIngestJob): Promise<void> {
  const def = findDefinition(deps, job.definitionId);
  if (!def?.odoo || def.odoo.model !== job.model) return;
  const domain = exceptionDomain(def, deps.policy, deps.clock.now());
  // One read of the record, decided locally (Odoo asked only for what the evaluator declines).
  const match = await (await recordMatches(deps, job.model, job.id, [domain])).matches(domain);
  const active = await deps.exceptions.findActive(def.id, job.model, job.id);
  if (!match) {
    if (active) await closeException(deps, active, job.source);
    return;
  }
  if (active) return;
  // Resolved at this version of the record (the bot's own write included): do not ask again until it changes.
  const latest = await deps.exceptions.findLatest(def.id, job.model, job.id);
  if (latest?.writeDate) {
    const current = job.writeDate ?? (await deps.documents.load(job.model, job.id, []))?.snapshot.writeDate ?? null;
    if (current === latest.writeDate) return;
  }
  await openOdooException(deps, def, job.model, job.id, job.source);
}

/** Queues `ingestException` for every definition on the record's model (called from the approval ingest job). */
export async function queueExceptionIngest(deps: ExceptionDeps, event: IngestRecordJob): Promise<void> {
  for (const def of exceptionDefinitions(deps)) {
    if (def.odoo?.model !== event.model) continue;
    await deps.queue.enqueue<ExceptionIngestJob>(
      EXCEPTION_QUEUES.work,
      EXCEPTION_JOBS.ingest,
      { definitionId: def.id, model: event.model, id: event.id, writeDate: event.writeDate, source: event.source },
      { jobId: jobId('exc-ingest', def.id, event.model, event.id, event.writeDate ?? event.source) },
    );
  }
}

/** The checkpoint holding where an unfinished walk of a definition's matches stopped (an Odoo id), or ''. */
export function exceptionWalkKey(definitionId: string): string {
  return `poll.exception.${definitionId}.walk`;
}

/**
 * Checks a definition's domain against Odoo: every matching record gets an
 * ingest job, and active exceptions whose record left the domain are
 * auto-closed. Reads the whole match set (not since a checkpoint) because a
 * record can enter a date-based domain without being written, page by page;
 * a match set too large for one poll is continued by the next one.
 */
export async function pollExceptions(deps: ExceptionDeps, definitionId: string): Promise<{ seen: number }> {
  const def = findDefinition(deps, definitionId);
  if (!def?.odoo) return { seen: 0 };
  const { model } = def.odoo;
  const domain = exceptionDomain(def, deps.policy, deps.clock.now());
  const walkKey = exceptionWalkKey(definitionId);
  const resumeAfter = Number(await deps.store.getCheckpoint(walkKey)) || 0;
  const active = (
    await collect(eachExceptionPage(deps.exceptions, { status: ['open', 'assigned', 'snoozed'], definitionId }))
  ).filter((a) => a.odooModel === model && a.odooId !== null);
  const hasActive = new Set(active.map((a) => a.odooId));
  const seen = new Set<number>();
  const walk = await walkRecords(
    deps,
    { model, domain, since: null, afterId: resumeAfter, what: `${model} records for exception ${definitionId}` },
    async (rows) => {
      for (const row of rows) {
        seen.add(row.id);
        if (hasActive.has(row.id)) continue;
        const writeDate = row.writeDate ? `${row.writeDate.toISOString().slice(0, 19)}Z` : null;
        await deps.queue.enqueue<ExceptionIngestJob>(
          EXCEPTION_QUEUES.work,
          EXCEPTION_JOBS.ingest,
          { definitionId, model, id: row.id, writeDate, source: 'poll' },
          { jobId: jobId('exc-ingest', definitionId, model, row.id, writeDate ?? 'poll') },
        );
      }
    },
  );
  if (walk.afterId !== resumeAfter) await deps.store.setCheckpoint(walkKey, walk.done ? '' : String(walk.afterId));
  // Not seen by this poll's walk is not proof of leaving the domain (the walk may have stopped before its page):
  // ask Odoo about those records, a page at a time, and close only the ones that really left.
  const unseen = active.filter((a) => !seen.has(a.odooId!));
  for (let i = 0; i < unseen.length; i += PAGE_SIZE) {
    const page = unseen.slice(i, i + PAGE_SIZE);
    const still = new Set(
      await deps.documents.matchingIds(
        model,
        domain,
        page.map((a) => a.odooId!),
      ),
    );
    for (const a of page.filter((x) => !still.has(x.odooId!))) await closeException(deps, a, 'poll');
  }
  return { seen: walk.read };
}
