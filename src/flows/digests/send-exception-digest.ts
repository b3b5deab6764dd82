import type { FlowDeps } from '../deps.js';
import { findDefinition } from '../exceptions/exception-support.js';
import { buildExceptionDigest } from './build-exception-digest.js';
import { digestKey, type ExceptionDigestJob } from './jobs.js';
import { type DigestOutcome, postChannelDigest } from './post-channel-digest.js';

/** Posts one exception definition's digest for `job.date` (checkpoint `digest.exc.<id>.<date>`), once; see postChannelDigest. */
export async function sendExceptionDigest(deps: FlowDeps, job: ExceptionDigestJob): Promise<DigestOutcome> {
  const def = findDefinition(deps, job.definitionId);
  const digest = def?.digest;
  if (!def || !digest || !deps.exceptions) return 'not_configured';
  return postChannelDigest(deps, {
    id: def.id,
    channels: digest,
    key: digestKey.exception(def.id, job.date),
    platformKey: (platform) => digestKey.exceptionPlatform(def.id, job.date, platform),
    build: () => buildExceptionDigest(deps, def, job.date),
    logFields: { definitionId: def.id },
    label: 'exception digest',
    emptyReason: 'no exception is open',
  });
}
