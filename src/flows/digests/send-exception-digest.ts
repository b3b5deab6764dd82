import { platformsOf } from '../chats.js';
import type { FlowDeps } from '../deps.js';
import { findDefinition } from '../exceptions/exception-support.js';
import type { ChatPlatform } from '../ports.js';
import { buildExceptionDigest } from './build-exception-digest.js';
import { deliverOnce } from './deliver.js';
import { digestKey, type ExceptionDigestJob } from './jobs.js';
import type { DigestOutcome } from './send-flow-digest.js';

/**
 * Posts one exception definition's digest for `job.date` to its channels on
 * every platform, once: the checkpoint `digest.exc.<id>.<date>` is set after
 * it went out (or was skipped because none is open), so other workers,
 * retries and restarts do not post it again.
 */
export async function sendExceptionDigest(deps: FlowDeps, job: ExceptionDigestJob): Promise<DigestOutcome> {
  const def = findDefinition(deps, job.definitionId);
  const digest = def?.digest;
  if (!def || !digest || !deps.exceptions) return 'not_configured';
  const key = digestKey.exception(def.id, job.date);
  if (await deps.store.getCheckpoint(key)) return 'already_sent';
  const card = await buildExceptionDigest(deps, def, job.date);
  const now = () => deps.clock.now().toISOString();
  if (!card) {
    await deps.store.setCheckpoint(key, `empty ${now()}`);
    deps.log.info({ definitionId: def.id }, 'exception digest skipped: no exception is open');
    return 'empty';
  }
  const channelOf = async (chat: ChatPlatform) =>
    (chat.platform === 'slack' ? digest.channel : digest.teamsChannel) ?? (await chat.channelFor(def.id));
  const delivered = await deliverOnce(
    deps,
    platformsOf(deps),
    (chat) => digestKey.exceptionPlatform(def.id, job.date, chat.platform),
    async (chat) => {
      const channelId = await channelOf(chat);
      if (!channelId) return false;
      await chat.postCard({ kind: 'channel', channelId }, card);
      return true;
    },
    `the ${def.id} exception digest`,
  );
  await deps.store.setCheckpoint(key, `${delivered ? 'sent' : 'nowhere'} ${now()}`);
  if (!delivered)
    deps.log.warn(
      { definitionId: def.id },
      'exception digest not posted: the definition has no channel on any platform; set digest.channel (Slack) or digest.teamsChannel, or link a Teams channel',
    );
  return delivered ? 'sent' : 'nowhere';
}
