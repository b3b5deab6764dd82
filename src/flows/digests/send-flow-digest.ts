import { platformsOf } from '../chats.js';
import type { FlowDeps } from '../deps.js';
import type { ChatPlatform } from '../ports.js';
import { buildFlowDigest } from './build-flow-digest.js';
import { deliverOnce } from './deliver.js';
import { digestKey, type FlowDigestJob } from './jobs.js';

export type DigestOutcome = 'sent' | 'empty' | 'already_sent' | 'not_configured' | 'nowhere';

/**
 * Posts one flow's digest for `job.date` to its channels on every platform,
 * once: the checkpoint `digest.<flow>.<date>` is set after it went out (or
 * was skipped because nothing waits), so other workers, retries and restarts
 * do not post it again.
 */
export async function sendFlowDigest(deps: FlowDeps, job: FlowDigestJob): Promise<DigestOutcome> {
  const flow = deps.policy.approvals.find((f) => f.id === job.flowId);
  const digest = flow?.digest;
  if (!flow || !digest) return 'not_configured';
  const key = digestKey.flow(flow.id, job.date);
  if (await deps.store.getCheckpoint(key)) return 'already_sent';
  const card = await buildFlowDigest(deps, flow, job.date);
  const now = () => deps.clock.now().toISOString();
  if (!card) {
    await deps.store.setCheckpoint(key, `empty ${now()}`);
    deps.log.info({ flowId: flow.id }, 'digest skipped: nothing is waiting');
    return 'empty';
  }
  const channelOf = async (chat: ChatPlatform) =>
    (chat.platform === 'slack' ? digest.channel : digest.teamsChannel) ?? (await chat.channelFor(flow.id));
  const delivered = await deliverOnce(
    deps,
    platformsOf(deps),
    (chat) => digestKey.flowPlatform(flow.id, job.date, chat.platform),
    async (chat) => {
      const channelId = await channelOf(chat);
      if (!channelId) return false;
      await chat.postCard({ kind: 'channel', channelId }, card);
      return true;
    },
    `the ${flow.id} digest`,
  );
  await deps.store.setCheckpoint(key, `${delivered ? 'sent' : 'nowhere'} ${now()}`);
  if (!delivered)
    deps.log.warn(
      { flowId: flow.id },
      'digest not posted: the flow has no channel on any platform; set digest.channel (Slack) or digest.teamsChannel, or link a Teams channel',
    );
  return delivered ? 'sent' : 'nowhere';
}
