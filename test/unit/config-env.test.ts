import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { AppError } from '../../src/errors.js';

const minimal = (overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
  ODOO_URL: 'https://mycompany.odoo.com/',
  ODOO_DB: 'mycompany',
  ODOO_USERNAME: 'chatops-bot@example.com',
  ODOO_API_KEY: 'a1b2c3d4e5',
  ODOO_WEBHOOK_TOKEN: '0123456789abcdef0123456789abcdef0123456789abcdef',
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'shh-signing-secret',
  ...overrides,
});

function envError(source: Record<string, string | undefined>): AppError {
  try {
    loadEnv(source);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected loadEnv to throw');
}

/** The message line about one variable, e.g. "  PORT must be ...". */
function lineAbout(err: AppError, name: string): string | undefined {
  return err.message.split('\n').find((l) => l.trimStart().startsWith(`${name} `));
}

describe('loadEnv', () => {
  it('parses a minimal environment and fills in the defaults', () => {
    const env = loadEnv(minimal());
    expect(env).toMatchObject({
      PORT: 3000,
      DATA_DIR: './.data',
      POLICY_FILE: './policy.yaml',
      LOG_LEVEL: 'info',
      QUEUE_PREFIX: 'chatops',
      POLL_INTERVAL_SECONDS: 60,
      ODOO_URL: 'https://mycompany.odoo.com',
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.SLACK_API_URL).toBeUndefined();
  });

  it('coerces numbers and keeps explicit values', () => {
    const env = loadEnv(
      minimal({ PORT: '8080', POLL_INTERVAL_SECONDS: '15', LOG_LEVEL: 'debug', QUEUE_PREFIX: 'acme' }),
    );
    expect(env).toMatchObject({ PORT: 8080, POLL_INTERVAL_SECONDS: 15, LOG_LEVEL: 'debug', QUEUE_PREFIX: 'acme' });
  });

  it.each([
    ['ODOO_URL', /http/],
    ['ODOO_DB', /database/i],
    ['ODOO_USERNAME', /login/],
    ['ODOO_API_KEY', /API key/],
    ['ODOO_WEBHOOK_TOKEN', /openssl rand/],
    ['SLACK_BOT_TOKEN', /xoxb-/],
    ['SLACK_SIGNING_SECRET', /Signing Secret/],
  ])('names %s when it is missing, with a hint', (name, hint) => {
    const err = envError(minimal({ [name]: undefined }));
    const line = lineAbout(err, name);
    expect(line, err.message).toBeDefined();
    expect(line).toMatch(/required/);
    expect(line).toMatch(hint);
  });

  it.each([
    ['ODOO_URL', 'mycompany.odoo.com', /http/],
    ['ODOO_URL', 'ftp://mycompany.odoo.com', /http/],
    ['SLACK_BOT_TOKEN', 'xoxp-user-token', /xoxb-/],
    ['ODOO_WEBHOOK_TOKEN', 'short', /at least 24/],
    ['ODOO_WEBHOOK_TOKEN', '0123456789abcdef/0123456789abcdef', /letters, digits/],
    ['DATABASE_URL', 'mysql://db/chatops', /PostgreSQL/],
    ['REDIS_URL', 'http://127.0.0.1:6379', /redis:\/\//],
    ['PORT', '70000', /port number/],
    ['PORT', 'http', /port number/],
    ['LOG_LEVEL', 'loud', /one of fatal, error/],
    ['POLL_INTERVAL_SECONDS', '1', /at least 5/],
    ['QUEUE_PREFIX', 'a b', /letters, digits/],
    ['PUBLIC_URL', 'chatops.example.com', /http/],
  ])('names %s=%s as malformed', (name, value, hint) => {
    const err = envError(minimal({ [name]: value }));
    const line = lineAbout(err, name);
    expect(line, err.message).toBeDefined();
    expect(line).toMatch(hint);
  });

  it('lists every problem at once', () => {
    const err = envError(
      minimal({ ODOO_DB: undefined, SLACK_BOT_TOKEN: 'nope', PORT: '70000', LOG_LEVEL: 'loud', REDIS_URL: 'x' }),
    );
    for (const name of ['ODOO_DB', 'SLACK_BOT_TOKEN', 'PORT', 'LOG_LEVEL', 'REDIS_URL'])
      expect(lineAbout(err, name), `${name} in\n${err.message}`).toBeDefined();
    expect(err.message).toMatch(/see README\.md/);
  });

  it('treats empty and blank strings as unset', () => {
    const env = loadEnv(minimal({ PORT: '', LOG_LEVEL: '   ', DATABASE_URL: '' }));
    expect(env.PORT).toBe(3000);
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.DATABASE_URL).toBeUndefined();
    const err = envError(minimal({ ODOO_DB: '', SLACK_SIGNING_SECRET: '  ' }));
    expect(lineAbout(err, 'ODOO_DB')).toMatch(/required/);
    expect(lineAbout(err, 'SLACK_SIGNING_SECRET')).toMatch(/required/);
  });

  it('adds a trailing slash to SLACK_API_URL and keeps one that is there', () => {
    expect(loadEnv(minimal({ SLACK_API_URL: 'http://127.0.0.1:9999/api' })).SLACK_API_URL).toBe(
      'http://127.0.0.1:9999/api/',
    );
    expect(loadEnv(minimal({ SLACK_API_URL: 'https://slack.com/api/' })).SLACK_API_URL).toBe('https://slack.com/api/');
  });

  it('accepts postgres, postgresql, redis and rediss URLs', () => {
    const env = loadEnv(minimal({ DATABASE_URL: 'postgresql://u:p@db:5432/x', REDIS_URL: 'rediss://cache:6380' }));
    expect(env.DATABASE_URL).toBe('postgresql://u:p@db:5432/x');
    expect(env.REDIS_URL).toBe('rediss://cache:6380');
    expect(loadEnv(minimal({ DATABASE_URL: 'postgres://db/x' })).DATABASE_URL).toBe('postgres://db/x');
  });

  it('throws an AppError with code config.invalid_env and kind user', () => {
    const err = envError({});
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('config.invalid_env');
    expect(err.kind).toBe('user');
  });

  it('never echoes a secret value in the message', () => {
    const err = envError(minimal({ ODOO_API_KEY: 'top-secret-key', PORT: 'nope' }));
    expect(err.message).not.toContain('top-secret-key');
  });
});
