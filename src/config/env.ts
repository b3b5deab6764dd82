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

const envFields = z.object({
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
  /** Slack is enabled when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are both set. */
  SLACK_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^xoxb-/, 'must be a bot token starting with xoxb- (Slack app → OAuth & Permissions → Bot User OAuth Token)')
    .optional(),
  SLACK_SIGNING_SECRET: z.string().trim().min(1).optional(),
  SLACK_API_URL: httpUrl('https://slack.com/api/')
    .transform((v) => (v.endsWith('/') ? v : `${v}/`))
    .optional(),
  /** Microsoft Teams is enabled when the three TEAMS_ credentials of the bot's Entra app registration are set. */
  TEAMS_CLIENT_ID: z
    .string()
    .trim()
    .regex(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
      "must be the Application (client) ID of the bot's Entra app registration, a GUID",
    )
    .optional(),
  TEAMS_CLIENT_SECRET: z.string().trim().min(1).optional(),
  TEAMS_TENANT_ID: z
    .string()
    .trim()
    .regex(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
      'must be the Directory (tenant) ID of your Microsoft 365 tenant, a GUID (the bot is single-tenant)',
    )
    .optional(),
  /** Bot Connector base URL for conversations whose own serviceUrl the bot never learnt (a fallback); default https://smba.trafficmanager.net/teams. */
  TEAMS_SERVICE_URL: httpUrl('https://smba.trafficmanager.net/teams').optional(),
  /** Advanced, for sovereign clouds (and offline tests): the Entra login endpoint. */
  TEAMS_LOGIN_URL: httpUrl('https://login.microsoftonline.us').optional(),
  /** Advanced: the Bot Framework OpenID metadata that publishes the keys inbound activities are signed with. */
  TEAMS_OPENID_METADATA_URL: httpUrl('https://login.botframework.com/v1/.well-known/openidconfiguration').optional(),
  /** Advanced: the issuer of the tokens the Bot Connector sends. */
  TEAMS_TOKEN_ISSUER: z.string().trim().min(1).optional(),
  /** Development only: accept Teams activities without a Bot Framework token. Refused when NODE_ENV=production. */
  TEAMS_ALLOW_UNAUTHENTICATED: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1')
    .optional(),
  NODE_ENV: z.string().trim().optional(),
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
  /**
   * Shared secret for `POST /events` (external exceptions signed with
   * HMAC-SHA256); unset, the endpoint answers 404.
   */
  EVENTS_HMAC_SECRET: z
    .string()
    .trim()
    .min(32, 'must be at least 32 characters; generate one with `openssl rand -hex 32`')
    .optional(),
  /**
   * The `/events` secret before a rotation: requests signed with it are still
   * accepted until every caller has the new one; then unset it.
   */
  EVENTS_HMAC_SECRET_PREVIOUS: z
    .string()
    .trim()
    .min(32, 'must be at least 32 characters: the EVENTS_HMAC_SECRET you are rotating away from')
    .optional(),
  /**
   * Bearer token that `GET /metrics` then requires, for a metrics port that
   * is reachable beyond the scraper's network; unset, `/metrics` is open.
   */
  METRICS_TOKEN: z
    .string()
    .trim()
    .min(24, 'must be at least 24 characters; generate one with `openssl rand -hex 24`')
    .regex(
      /^[A-Za-z0-9._~+/=-]+$/,
      'may contain only letters, digits and - . _ ~ + / = (Prometheus sends it in an Authorization header)',
    )
    .optional(),
  POLL_INTERVAL_SECONDS: z.coerce
    .number({ message: 'must be a number of seconds, e.g. 60' })
    .int()
    .min(5, 'must be at least 5 seconds')
    .default(60),
  /**
   * AI-drafted card summaries: an OpenAI-compatible endpoint (OpenAI, Azure
   * OpenAI, Ollama, vLLM). AI is off unless AI_BASE_URL and AI_MODEL are both
   * set; cards always carry the deterministic summary first.
   */
  AI_BASE_URL: httpUrl('https://api.openai.com/v1 or http://localhost:11434/v1').optional(),
  /** Not needed by local servers. */
  AI_API_KEY: z.string().trim().optional(),
  AI_MODEL: z.string().trim().min(1).optional(),
  AI_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a number of milliseconds, e.g. 8000' })
    .int()
    .min(500, 'must be at least 500 ms')
    .max(120_000, 'must be at most 120000 ms (the draft only helps if it arrives while someone looks)')
    .default(8000),
  /** A product price up by more than this percent on a purchase order is flagged on the card. */
  RISK_PRICE_INCREASE_PCT: z.coerce
    .number({ message: 'must be a percentage, e.g. 10' })
    .min(0, 'must be 0 or more')
    .default(10),
});

const PLATFORMS = [
  {
    name: 'Slack',
    vars: {
      SLACK_BOT_TOKEN: 'the Bot User OAuth Token from your Slack app (OAuth & Permissions), starting with xoxb-',
      SLACK_SIGNING_SECRET: 'the Signing Secret from your Slack app (Basic Information → App Credentials)',
    },
  },
  {
    name: 'Microsoft Teams',
    vars: {
      TEAMS_CLIENT_ID: "the Application (client) ID of the bot's Entra app registration",
      TEAMS_CLIENT_SECRET: 'a client secret of that app registration (Certificates & secrets)',
      TEAMS_TENANT_ID: 'the Directory (tenant) ID of your Microsoft 365 tenant',
    },
  },
] as const;

/**
 * Each platform's variables come as a group (all or none), at least one
 * platform is configured, and the unauthenticated Teams flag stays out of
 * production. Checked on the raw values too, so these show up alongside
 * other mistakes in one message.
 */
export function platformProblems(values: Record<string, unknown>): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  let configured = false;
  let mentioned = false;
  for (const p of PLATFORMS) {
    const names = Object.keys(p.vars) as Array<keyof typeof p.vars>;
    const set = names.filter((v) => values[v] !== undefined);
    if (set.length > 0) mentioned = true;
    if (set.length === names.length) configured = true;
    else if (set.length > 0)
      for (const v of names.filter((x) => values[x] === undefined))
        out.push({
          path: v,
          message: `is required: ${p.vars[v]} (${p.name} needs ${names.join(', ')} together, and ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set; unset them all to turn ${p.name} off)`,
        });
  }
  if (!configured && !mentioned)
    out.push({
      path: '',
      message:
        'configures no chat platform: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET for Slack, and/or TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID for Microsoft Teams',
    });
  const allow = values.TEAMS_ALLOW_UNAUTHENTICATED;
  if ((allow === true || allow === 'true' || allow === '1') && values.NODE_ENV === 'production')
    out.push({
      path: 'TEAMS_ALLOW_UNAUTHENTICATED',
      message:
        'is refused when NODE_ENV=production: it lets anyone post fake Teams clicks to /api/messages. Remove it (it is for local development only).',
    });
  return out;
}

export const envSchema = envFields.superRefine((env, ctx) => {
  for (const p of platformProblems(env))
    ctx.addIssue({ code: 'custom', path: p.path ? [p.path] : [], message: p.message });
});

export type Env = z.infer<typeof envSchema>;

/** Slack's settings when Slack is configured. */
export function slackConfig(env: Env): { token: string; signingSecret: string; apiUrl?: string } | null {
  if (!env.SLACK_BOT_TOKEN || !env.SLACK_SIGNING_SECRET) return null;
  return {
    token: env.SLACK_BOT_TOKEN,
    signingSecret: env.SLACK_SIGNING_SECRET,
    ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
  };
}

/** Teams' settings when Teams is configured. */
export function teamsConfig(env: Env): { clientId: string; clientSecret: string; tenantId: string } | null {
  if (!env.TEAMS_CLIENT_ID || !env.TEAMS_CLIENT_SECRET || !env.TEAMS_TENANT_ID) return null;
  return { clientId: env.TEAMS_CLIENT_ID, clientSecret: env.TEAMS_CLIENT_SECRET, tenantId: env.TEAMS_TENANT_ID };
}

/** The AI provider's settings, or null when AI summaries are off (AI_BASE_URL or AI_MODEL unset). */
export function aiConfig(env: Env): { baseUrl: string; apiKey?: string; model: string; timeoutMs: number } | null {
  if (!env.AI_BASE_URL || !env.AI_MODEL) return null;
  return {
    baseUrl: env.AI_BASE_URL,
    ...(env.AI_API_KEY ? { apiKey: env.AI_API_KEY } : {}),
    model: env.AI_MODEL,
    timeoutMs: env.AI_TIMEOUT_MS,
  };
}

/** Empty strings count as unset: `FOO=` in a .env file means "no value". */
function withoutEmpty(source: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v.trim() !== '') out[k] = v;
  return out;
}

/** Parses the environment, listing every problem at once. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const raw = withoutEmpty(source);
  const result = envSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(environment)'} ${issue.message}`);
  // Refinements do not run when a field is wrong; check the platform groups on the raw values then.
  for (const p of platformProblems(raw)) {
    const line = `  ${p.path || '(environment)'} ${p.message}`;
    if (!lines.includes(line)) lines.push(line);
  }
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
