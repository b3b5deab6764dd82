import type { CardModel } from '../card.js';
import { platformsOf } from '../chats.js';
import type { FlowDeps } from '../deps.js';
import type { ChatPlatform } from '../ports.js';
import { deliverOnce } from './deliver.js';

export type DigestOutcome = 'sent' | 'empty' | 'already_sent' | 'not_configured' | 'nowhere';

/** One daily channel digest: a flow's or an exception definition's. */
export interface ChannelDigest {
  /** The flow or definition id: where `channelFor` finds a linked Teams channel. */
  id: string;
  /** `digest:` from the policy file. */
  channels: { channel?: string | undefined; teamsChannel?: string | undefined };
  /** The checkpoint that says the digest of that day is done, and its per-platform key. */
  key: string;
  platformKey: (platform: string) => string;
  /** The card, or null when nothing is open (the digest is then skipped). */
  build: () => Promise<CardModel | null>;
  /** For the log: `{ flowId }` or `{ definitionId }`, what it is, and what "empty" means. */
  logFields: Record<string, string>;
  label: string;
  emptyReason: string;
}

/**
 * Posts a digest to its channels on every platform, once: the checkpoint is
 * set after it went out (or was skipped because it was empty), so other
 * workers, retries and restarts do not post it again.
 */
export async function postChannelDigest(deps: FlowDeps, d: ChannelDigest): Promise<DigestOutcome> {
  if (await deps.store.getCheckpoint(d.key)) return 'already_sent';
  const card = await d.build();
  const now = () => deps.clock.now().toISOString();
  if (!card) {
    await deps.store.setCheckpoint(d.key, `empty ${now()}`);
    deps.log.info(d.logFields, `${d.label} skipped: ${d.emptyReason}`);
    return 'empty';
  }
  const channelOf = async (chat: ChatPlatform) =>
    (chat.platform === 'slack' ? d.channels.channel : d.channels.teamsChannel) ?? (await chat.channelFor(d.id));
  const delivered = await deliverOnce(
    deps,
    platformsOf(deps),
    (chat) => d.platformKey(chat.platform),
    async (chat) => {
      const channelId = await channelOf(chat);
      if (!channelId) return false;
      await chat.postCard({ kind: 'channel', channelId }, card);
      return true;
    },
    `the ${d.id} ${d.label}`,
  );
  await deps.store.setCheckpoint(d.key, `${delivered ? 'sent' : 'nowhere'} ${now()}`);
  if (!delivered)
    deps.log.warn(
      d.logFields,
      `${d.label} not posted: no channel on any platform; set digest.channel (Slack) or digest.teamsChannel, or link a Teams channel`,
    );
  return delivered ? 'sent' : 'nowhere';
}
