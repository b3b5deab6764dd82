import type { FlowDeps } from '../deps.js';
import { buildFlowDigest } from './build-flow-digest.js';
import { digestKey, type FlowDigestJob } from './jobs.js';
import { type DigestOutcome, postChannelDigest } from './post-channel-digest.js';

/** Posts one flow's digest for `job.date` (checkpoint `digest.<flow>.<date>`), once; see postChannelDigest. */
export async function sendFlowDigest(deps: FlowDeps, job: FlowDigestJob): Promise<DigestOutcome> {
  const flow = deps.policy.approvals.find((f) => f.id === job.flowId);
  const digest = flow?.digest;
  if (!flow || !digest) return 'not_configured';
  return postChannelDigest(deps, {
    id: flow.id,
    channels: digest,
    key: digestKey.flow(flow.id, job.date),
    platformKey: (platform) => digestKey.flowPlatform(flow.id, job.date, platform),
    build: () => buildFlowDigest(deps, flow, job.date),
    logFields: { flowId: flow.id },
    label: 'digest',
    emptyReason: 'nothing is waiting',
  });
}
