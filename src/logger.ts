import { pino } from 'pino';
import type { Logger } from './flows/ports.js';

/** Paths that may carry secrets; pino replaces them before anything is written. */
export const REDACT_PATHS = [
  'apiKey',
  'token',
  'password',
  'signingSecret',
  '*.apiKey',
  '*.token',
  '*.password',
  '*.signingSecret',
  'headers.authorization',
  'headers["x-slack-signature"]',
  'env.ODOO_API_KEY',
  'env.SLACK_BOT_TOKEN',
  'env.SLACK_SIGNING_SECRET',
  'env.ODOO_WEBHOOK_TOKEN',
  'env.TEAMS_CLIENT_SECRET',
  'env.EVENTS_HMAC_SECRET',
  'env.CREDENTIALS_KEY',
  'env.CREDENTIALS_KEY_PREVIOUS',
  'clientSecret',
  '*.clientSecret',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger & pino.Logger {
  return pino(
    {
      level,
      base: { service: 'odoo-chatops' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination(2),
  );
}
