import { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * Environment variables. The only place that reads `process.env`. Each entry
 * says what goes wrong without it and how to fix it, because the first person
 * to see these messages is an operator at start-up.
 */
const httpUrl = (example: string) =>
  z
    .string({ message: `is required: an http(s) URL, e.g. ${example}` })
    .trim()
    .url({ message: `must be an http(s) URL, e.g. ${example}` })
    .refine((v) => /^https?:\/\//.test(v), { message: `must start with http:// or https://, e.g. ${example}` });

const required = (what: string) =>
  z
    .string({ message: `is required: ${what}` })
    .trim()
    .min(1, `is required: ${what}`);

export const envSchema = z.object({
  PORT: z.coerce
    .number({ message: 'must be a port number, e.g. 3000' })
    .int()
    .min(0)
    .max(65535, 'must be a port number between 0 and 65535')
    .default(3000),
  PUBLIC_URL: httpUrl('https://chatops.example.com').optional(),
  ODOO_URL: httpUrl('https://mycompany.odoo.com').transform((v) => v.replace(/\/+$/, '')),
  ODOO_DB: required(
    'the Odoo database name (shown in Odoo under Settings → Database, or in the URL of /web/database/manager)',
  ),
  ODOO_USERNAME: required('the login of the Odoo user the bot acts as, e.g. chatops-bot@example.com'),
  ODOO_API_KEY: required('an API key of that user (Odoo: My Profile → Account Security → New API Key)'),
  ODOO_WEBHOOK_TOKEN: z
    .string({
      message: 'is required: a long random token for the webhook URL; generate one with `openssl rand -hex 24`',
    })
    .trim()
    .min(24, 'must be at least 24 characters; generate one with `openssl rand -hex 24`')
    .regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, "-" and "_" (it is part of a URL)'),
  SLACK_BOT_TOKEN: z
    .string({
      message: 'is required: the Bot User OAuth Token from your Slack app (OAuth & Permissions), starting with xoxb-',
    })
    .trim()
    .regex(
      /^xoxb-/,
      'must be a bot token starting with xoxb- (Slack app → OAuth & Permissions → Bot User OAuth Token)',
    ),
  SLACK_SIGNING_SECRET: required('the Signing Secret from your Slack app (Basic Information → App Credentials)'),
  SLACK_API_URL: httpUrl('https://slack.com/api/')
    .transform((v) => (v.endsWith('/') ? v : `${v}/`))
    .optional(),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must be a PostgreSQL URL, e.g. postgres://user:pass@db.example.com:5432/chatops')
    .optional(),
  DATA_DIR: z.string().trim().min(1).default('./.data'),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\//, 'must be a Redis URL, e.g. redis://127.0.0.1:6379')
    .optional(),
  /** Namespace of the queues in Redis, so several deployments can share one Redis. */
  QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'may contain only letters, digits, "-" and "_" (at most 40)')
    .default('chatops'),
  POLICY_FILE: z.string().trim().min(1).default('./policy.yaml'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  /**
   * Encrypts per-user Odoo API keys (`/odoo link`) at rest; unset, per-user
   * keys are off. 32 bytes as base64 or hex; checked by CredentialVault.fromEnv.
   */
  CREDENTIALS_KEY: z.string().trim().optional(),
  /** The key before a rotation, so keys sealed with it still open (and are sealed again with the new one). */
  CREDENTIALS_KEY_PREVIOUS: z.string().trim().optional(),
  POLL_INTERVAL_SECONDS: z.coerce
    .number({ message: 'must be a number of seconds, e.g. 60' })
    .int()
    .min(5, 'must be at least 5 seconds')
    .default(60),
});

export type Env = z.infer<typeof envSchema>;

/** Empty strings count as unset: `FOO=` in a .env file means "no value". */
function withoutEmpty(source: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v.trim() !== '') out[k] = v;
  return out;
}

/** Parses the environment, listing every problem at once. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(withoutEmpty(source));
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(environment)'} ${issue.message}`);
  throw new AppError(
    'config.invalid_env',
    'user',
    `The configuration is incomplete or wrong:\n${lines.join('\n')}\nSet these environment variables (see README.md, "Configuration") and start again.`,
  );
}

/** Reads one raw variable for the CLI's own options, so nothing else touches process.env. */
export function readEnvFlag(name: string, source: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = source[name];
  return v === undefined || v.trim() === '' ? undefined : v;
}
