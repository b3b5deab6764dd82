import { join } from 'node:path';
import { SlackPlatform } from '../bot/slack/slack-platform.js';
import { clientCredentialsToken } from '../bot/teams/client-credentials-token.js';
import { type Env, loadEnv, slackConfig, teamsConfig } from '../config/env.js';
import { loadPolicy, type PolicyFile } from '../config/policy.js';
import type { Policy } from '../flows/policy.js';
import { checkExceptionOnOdoo } from '../odoo/check-exception-on-odoo.js';
import { flowGapsOnOdoo } from '../odoo/check-flow-on-odoo.js';
import { describeApproversOnOdoo } from '../odoo/describe-approvers-on-odoo.js';
import { OdooDirectory } from '../odoo/odoo-directory.js';
import { applyPresets } from '../odoo/presets.js';
import { XmlRpcOdooGateway } from '../odoo/xmlrpc-odoo-gateway.js';
import { createJobQueue } from '../queue/create-job-queue.js';
import { createStore } from '../store/create-store.js';
import { openDatabase } from '../store/open-database.js';

interface CheckLine {
  ok: boolean;
  name: string;
  detail: string;
}

function print(line: CheckLine): void {
  console.log(`${line.ok ? '✓' : '✗'} ${line.name}: ${line.detail}`);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function attempt(name: string, fn: () => Promise<string>): Promise<CheckLine> {
  try {
    return { ok: true, name, detail: await fn() };
  } catch (err) {
    return { ok: false, name, detail: message(err) };
  }
}

async function checkOdoo(env: Env, file: PolicyFile | null): Promise<CheckLine[]> {
  const odoo = new XmlRpcOdooGateway({
    url: env.ODOO_URL,
    db: env.ODOO_DB,
    username: env.ODOO_USERNAME,
    apiKey: env.ODOO_API_KEY,
  });
  const lines: CheckLine[] = [];
  const auth = await attempt('odoo', async () => {
    const v = await odoo.version();
    const uid = await odoo.authenticate();
    return `${env.ODOO_URL} runs Odoo ${v.serie}; logged in to database ${env.ODOO_DB} as ${env.ODOO_USERNAME} (uid ${uid})`;
  });
  lines.push(auth);
  if (!auth.ok || !file) return lines;
  const version = await odoo.version();
  let policy: Policy;
  try {
    policy = applyPresets(file, version);
  } catch (err) {
    lines.push({ ok: false, name: 'policy presets', detail: message(err) });
    return lines;
  }
  for (const flow of policy.approvals) {
    lines.push(
      await attempt(`flow ${flow.id}`, async () => {
        const gaps = await flowGapsOnOdoo(odoo, flow, version);
        if (gaps.length)
          throw new Error(`on Odoo ${version.serie}: ${gaps.join('; ')}. Fix the flow in the policy file.`);
        const directory = new OdooDirectory(odoo);
        const tierNotes: string[] = [];
        for (const tier of flow.tiers) {
          tierNotes.push(
            `"${tier.name}": ${await describeApproversOnOdoo(directory, policy, tier.approvers, tier.required)}`,
          );
        }
        const matching = await odoo.search(flow.model, flow.when, { limit: 1000 });
        const waiting = matching.length >= 1000 ? '1000 or more' : String(matching.length);
        return `${flow.model}: ${tierNotes.join('; ')}; ${waiting} record(s) waiting now`;
      }),
    );
  }
  const exceptionDeps = { odoo, directory: new OdooDirectory(odoo), policy, now: new Date() };
  for (const [index, def] of (policy.exceptions ?? []).entries()) {
    lines.push(
      await attempt(`exception ${def.id}`, async () => {
        const { gaps, summary } = await checkExceptionOnOdoo(exceptionDeps, def, index);
        if (gaps.length) throw new Error(`on Odoo ${version.serie}: ${gaps.join('; ')}`);
        return summary;
      }),
    );
  }
  return lines;
}

/** `odoo-chatops check`: one line per check, exit code 1 when any failed. */
export async function runChecks(): Promise<number> {
  const lines: CheckLine[] = [];
  let env: Env;
  try {
    env = loadEnv();
    lines.push({
      ok: true,
      name: 'configuration',
      detail: 'all required environment variables are set and well formed',
    });
  } catch (err) {
    print({ ok: false, name: 'configuration', detail: message(err) });
    return 1;
  }
  print(lines[0]!);
  let policy: PolicyFile | null = null;
  try {
    const file = await loadPolicy(env.POLICY_FILE);
    policy = file;
    const l = {
      ok: true,
      name: 'policy',
      detail: `${env.POLICY_FILE}: ${file.approvals.length} approval flow(s): ${file.approvals.map((f) => (f.type ? `${f.id} (${f.type})` : f.id)).join(', ')}${file.exceptions?.length ? `; ${file.exceptions.length} exception definition(s): ${file.exceptions.map((e) => e.id).join(', ')}` : ''}`,
    };
    lines.push(l);
    print(l);
  } catch (err) {
    const l = { ok: false, name: 'policy', detail: message(err) };
    lines.push(l);
    print(l);
  }
  for (const l of await checkOdoo(env, policy)) {
    lines.push(l);
    print(l);
  }
  let queueLine: CheckLine | null = null;
  const db = await attempt('database', async () => {
    const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: join(env.DATA_DIR, 'pglite') });
    try {
      const stores = await createStore({ databaseUrl: database.connectionString, dataDir: env.DATA_DIR });
      try {
        await stores.store.ping();
      } finally {
        await stores.close();
      }
      if (!env.REDIS_URL)
        queueLine = await attempt('queue', async () => {
          const queue = await createJobQueue({ postgresUrl: database.connectionString });
          try {
            await queue.ping();
          } finally {
            await queue.close();
          }
          return "REDIS_URL unset: queues and timers run on BullMQ's PostgreSQL backend in the same database, which answers";
        });
    } finally {
      await database.close();
    }
    return `${database.description} answers; schema up to date`;
  });
  lines.push(db);
  print(db);
  if (queueLine) {
    lines.push(queueLine);
    print(queueLine);
  }
  if (env.REDIS_URL) {
    const redis = await attempt('redis', async () => {
      const queue = await createJobQueue({ redisUrl: env.REDIS_URL!, prefix: env.QUEUE_PREFIX });
      try {
        await queue.ping();
      } finally {
        await queue.close();
      }
      return `${env.REDIS_URL!.replace(/\/\/[^@]*@/, '//***@')} answers; queues and timers run on Redis`;
    });
    lines.push(redis);
    print(redis);
  }
  const slackSettings = slackConfig(env);
  if (slackSettings) {
    const slack = await attempt('slack', async () => {
      const platform = new SlackPlatform({ token: slackSettings.token, apiUrl: slackSettings.apiUrl, retries: 0 });
      const me = await platform.authTest();
      return `token valid for workspace ${me.team || me.teamId} (bot user ${me.botUserId})`;
    });
    lines.push(slack);
    print(slack);
  }
  const teamsSettings = teamsConfig(env);
  if (teamsSettings) {
    const teams = await attempt('teams', async () => {
      const loginUrl = env.TEAMS_LOGIN_URL ?? 'https://login.microsoftonline.com';
      const token = clientCredentialsToken({ loginUrl, ...teamsSettings, timeoutMs: 10_000 });
      await token('https://api.botframework.com/.default');
      return `Microsoft Entra issued a Bot Framework token for app ${teamsSettings.clientId} in tenant ${teamsSettings.tenantId}`;
    });
    lines.push(teams);
    print(teams);
  }
  const failed = lines.filter((l) => !l.ok).length;
  console.log(
    failed === 0 ? 'All checks passed.' : `${failed} check(s) failed; fix them and run odoo-chatops check again.`,
  );
  return failed === 0 ? 0 : 1;
}
