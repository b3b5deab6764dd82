import { isTransient } from '../../errors.js';
import type { FlowDeps } from '../deps.js';
import type { ChatPlatform } from '../ports.js';

/**
 * Runs `send` once per platform, remembering each success under its own
 * checkpoint so a retry after a partial failure does not repeat what went
 * out. A transient failure is rethrown after the other platforms had their
 * turn (the queue retries the job); any other failure is logged and not
 * retried, because retrying would fail the same way.
 */
export async function deliverOnce(
  deps: Pick<FlowDeps, 'store' | 'log' | 'clock'>,
  platforms: ChatPlatform[],
  keyOf: (platform: ChatPlatform) => string,
  send: (platform: ChatPlatform) => Promise<boolean>,
  what: string,
): Promise<number> {
  let retry: unknown = null;
  let delivered = 0;
  for (const platform of platforms) {
    const key = keyOf(platform);
    if (await deps.store.getCheckpoint(key)) continue;
    try {
      const sent = await send(platform);
      await deps.store.setCheckpoint(key, `${sent ? 'sent' : 'nowhere'} ${deps.clock.now().toISOString()}`);
      if (sent) delivered += 1;
    } catch (err) {
      if (isTransient(err)) {
        deps.log.warn({ err, platform: platform.platform }, `could not send ${what}; it will be retried`);
        retry ??= err;
        continue;
      }
      deps.log.error(
        { err, platform: platform.platform },
        `could not send ${what}, and retrying would fail the same way; it is skipped today. Check the channel id and that the bot is a member of it.`,
      );
      await deps.store.setCheckpoint(key, `failed ${deps.clock.now().toISOString()}`);
    }
  }
  if (retry) throw retry;
  return delivered;
}
