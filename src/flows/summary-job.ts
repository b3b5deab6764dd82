import type { FlowDeps } from './deps.js';
import { jobId } from './jobs.js';

/** Its own queue, so a slow AI provider never holds up posting or updating cards. */
export const AI_QUEUE = 'chatops.ai';
export const SUMMARIZE_JOB = 'ai.summarize';

export interface SummarizeCaseJob {
  caseId: string;
}

/** Queues the AI draft for a case, once per record version; a no-op when no provider is configured. */
export async function enqueueSummary(deps: FlowDeps, caseId: string, writeDate: string | null): Promise<void> {
  if (!deps.context?.summarizer) return;
  await deps.queue.enqueue<SummarizeCaseJob>(
    AI_QUEUE,
    SUMMARIZE_JOB,
    { caseId },
    { jobId: jobId('summary', caseId, writeDate ?? 'none'), attempts: 1 },
  );
}
