import type { IngestRecordJob } from '../jobs.js';
import { jobId } from '../jobs.js';
import { collect, eachExceptionPage } from '../paged.js';
import { closeException } from './close-exception.js';
import { exceptionDomain } from './exception-domain.js';
import { type ExceptionDeps, exceptionDefinitions, findDefinition } from './exception-support.js';
import { EXCEPTION_JOBS, EXCEPTION_QUEUES, type ExceptionIngestJob } from './jobs.js';
import { openOdooException } from './open-exception.js';

/** Records read per poll of one definition; exceptions are the few records that need a person. */
export const EXCEPTION_POLL_LIMIT = 500;

/**
 * One Odoo record, for one definition: open an exception when it matches and
 * none is active; auto-close the active one when it no longer matches.
 */
export async function ingestException(deps: ExceptionDeps, job: ExceptionIngestJob): Promise<void> {
  const def = findDefinition(deps, job.definitionId);
  if (!def?.odoo || def.odoo.model !== job.model) return;
  const domain = exceptionDomain(def, deps.policy, deps.clock.now());
  const [match] = await deps.documents.matchingIds(job.model, domain, [job.id]);
  const active = await deps.exceptions.findActive(def.id, job.model, job.id);
  if (match === undefined) {
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

/**
 * Checks a definition's domain against Odoo: every matching record gets an
 * ingest job, and active exceptions whose record left the domain are
 * auto-closed. Reads the whole match set (not since a checkpoint) because a
 * record can enter a date-based domain without being written.
 */
export async function pollExceptions(deps: ExceptionDeps, definitionId: string): Promise<{ seen: number }> {
  const def = findDefinition(deps, definitionId);
  if (!def?.odoo) return { seen: 0 };
  const { model } = def.odoo;
  const domain = exceptionDomain(def, deps.policy, deps.clock.now());
  const rows = await deps.documents.changedSince(model, domain, null, EXCEPTION_POLL_LIMIT);
  const active = await collect(
    eachExceptionPage(deps.exceptions, { status: ['open', 'assigned', 'snoozed'], definitionId }),
  );
  for (const row of rows) {
    if (active.some((a) => a.odooModel === model && a.odooId === row.id)) continue;
    const writeDate = row.writeDate ? `${row.writeDate.toISOString().slice(0, 19)}Z` : null;
    await deps.queue.enqueue<ExceptionIngestJob>(
      EXCEPTION_QUEUES.work,
      EXCEPTION_JOBS.ingest,
      { definitionId, model, id: row.id, writeDate, source: 'poll' },
      { jobId: jobId('exc-ingest', definitionId, model, row.id, writeDate ?? 'poll') },
    );
  }
  const seen = new Set(rows.map((r) => r.id));
  const unseen = active.filter((a) => a.odooModel === model && a.odooId !== null && !seen.has(a.odooId));
  if (unseen.length) {
    const still = new Set(
      await deps.documents.matchingIds(
        model,
        domain,
        unseen.map((a) => a.odooId!),
      ),
    );
    for (const a of unseen.filter((x) => !still.has(x.odooId!))) await closeException(deps, a, 'poll');
  }
  return { seen: rows.length };
}
