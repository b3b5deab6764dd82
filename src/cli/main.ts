import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportAudit } from '../audit/export-audit.js';
import { loadEnv } from '../config/env.js';
import { loadPolicy } from '../config/policy.js';
import { isAppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { type ProcessRole, startService } from '../main.js';
import { createStore } from '../store/create-store.js';
import { openDatabase } from '../store/open-database.js';
import { runChecks } from './check.js';
import { manifestCommand } from './manifest-command.js';
import { SANDBOX_USAGE, sandboxCommand } from './sandbox-command.js';

const USAGE = `odoo-chatops — Odoo approvals and billing exceptions in Slack and Microsoft Teams

Usage:
  odoo-chatops start [--role all|web|worker]   run the service (default role: all)
  odoo-chatops check                           validate configuration and try every connection
  odoo-chatops audit verify                    walk the audit hash chain, report the first broken link
  odoo-chatops audit export --format jsonl|csv [--out FILE]
                                               write the audit log (stdout unless --out)
  odoo-chatops manifest teams [--out app.zip]  write the Teams app package (needs TEAMS_CLIENT_ID, PUBLIC_URL)
${SANDBOX_USAGE}
  odoo-chatops help

Configuration comes from environment variables; see README.md.`;

async function start(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { role: { type: 'string', default: 'all' } } });
  const role = values.role as ProcessRole;
  if (!['all', 'web', 'worker'].includes(role)) {
    console.error(`--role must be all, web or worker (got "${values.role}")`);
    return 2;
  }
  const env = loadEnv();
  const policy = await loadPolicy(env.POLICY_FILE);
  const log = createLogger(env.LOG_LEVEL);
  const service = await startService(env, policy, { role, log });
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      service.close().then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}

async function withAudit<T>(fn: (stores: Awaited<ReturnType<typeof createStore>>) => Promise<T>): Promise<T> {
  const env = loadEnv({ ...process.env, ...auditOnlyDefaults() });
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: join(env.DATA_DIR, 'pglite') });
  try {
    const stores = await createStore({ databaseUrl: database.connectionString, dataDir: env.DATA_DIR });
    try {
      return await fn(stores);
    } finally {
      await stores.close();
    }
  } finally {
    await database.close();
  }
}

/** The audit commands need only the database; they must work on an auditor's machine without Odoo or Slack secrets. */
function auditOnlyDefaults(): Record<string, string> {
  const d: Record<string, string> = {};
  const placeholders: Record<string, string> = {
    ODOO_URL: 'http://odoo.invalid',
    ODOO_DB: '-',
    ODOO_USERNAME: '-',
    ODOO_API_KEY: '-',
    ODOO_WEBHOOK_TOKEN: 'x'.repeat(24),
    SLACK_BOT_TOKEN: 'xoxb-unused',
    SLACK_SIGNING_SECRET: '-',
  };
  for (const [k, v] of Object.entries(placeholders)) if (!process.env[k]) d[k] = v;
  return d;
}

async function audit(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify') {
    return withAudit(async ({ audit: log }) => {
      const r = await log.verify();
      if (r.ok) {
        console.log(`audit log intact: ${r.count} entries, head ${r.head}`);
        return 0;
      }
      console.log(`audit log BROKEN at entry ${r.brokenAt}: ${r.reason} (${r.count} entries checked before it)`);
      return 1;
    });
  }
  if (sub === 'export') {
    const { values } = parseArgs({
      args: rest,
      options: { format: { type: 'string', default: 'jsonl' }, out: { type: 'string' } },
    });
    if (values.format !== 'jsonl' && values.format !== 'csv') {
      console.error(`--format must be jsonl or csv (got "${values.format}")`);
      return 2;
    }
    const format = values.format;
    return withAudit(async ({ audit: log }) => {
      const out = values.out ? createWriteStream(values.out) : process.stdout;
      const count = await exportAudit(log, format, out);
      if (values.out) {
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
        console.error(`wrote ${count} audit entries to ${values.out}`);
      }
      return 0;
    });
  }
  console.error(`Unknown audit command "${sub ?? ''}".\n\n${USAGE}`);
  return 2;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        return await start(rest);
      case 'check':
        return await runChecks();
      case 'manifest':
        return await manifestCommand(rest);
      case 'audit':
        return await audit(rest);
      case 'sandbox':
        return await sandboxCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return 0;
      default:
        console.error(`Unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    if (isAppError(err) && (err.kind === 'user' || err.kind === 'forbidden')) console.error(err.message);
    else console.error(`odoo-chatops failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
