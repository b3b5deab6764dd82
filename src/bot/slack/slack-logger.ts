import { LogLevel, type Logger as SlackLogger } from '@slack/logger';
import type { Logger } from '../../flows/ports.js';

/** Sends the Slack SDKs' log lines into our JSON log instead of plain text on stderr. */
export function slackLogger(log: Logger): SlackLogger {
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...m) => log.debug({ platform: 'slack' }, text(m)),
    info: (...m) => log.info({ platform: 'slack' }, text(m)),
    warn: (...m) => log.warn({ platform: 'slack' }, text(m)),
    error: (...m) => log.error({ platform: 'slack' }, text(m)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
