import { join } from 'node:path';
import { CheckedSummarizer } from './ai/checked-summarizer.js';
import { OpenAiSummarizer } from './ai/openai-summarizer.js';
import { loadSummaryPrompt } from './ai/summary-prompt.js';
import { SlackPlatform } from './bot/slack/slack-platform.js';
import { createTeamsBot } from './bot/teams/teams-bot.js';
import { aiConfig, type Env, slackConfig, teamsConfig } from './config/env.js';
import type { PolicyFile } from './config/policy.js';
import { AppError, isAppError } from './errors.js';
import type { FlowDeps } from './flows/deps.js';
import { JOBS, jobId, QUEUES } from './flows/jobs.js';
import type { ChatPlatform, Clock, Logger } from './flows/ports.js';
import { type HttpHandlers, type RunningServer, startHttpServer } from './http/server.js';
import { MeteredJobQueue } from './metrics/metered-job-queue.js';
import { registerOpenWorkGauges } from './metrics/open-work-gauges.js';
import { PromMetrics } from './metrics/prom-metrics.js';
import { OdooContextSource } from './odoo/context-source.js';
import { OdooDirectory } from './odoo/odoo-directory.js';
import { resolvePolicy } from './odoo/presets.js';
import { OdooDocumentSource } from './odoo/profiles/document-source.js';
import { CredentialUserOdooAccess } from './odoo/user-odoo-access.js';
import { XmlRpcOdooGateway } from './odoo/xmlrpc-odoo-gateway.js';
import { observeXmlRpcCalls } from './odoo/xmlrpc-transport.js';
import { createJobQueue } from './queue/create-job-queue.js';
import { registerWorkers } from './queue/register-workers.js';
import { createStore } from './store/create-store.js';
import { CredentialVault } from './store/credential-vault.js';
import { openDatabase } from './store/open-database.js';
import { PgCredentialStore } from './store/pg-credential-store.js';
import { PgExceptionStore } from './store/pg-exception-store.js';
import { PgInsightBoard } from './store/pg-insight-board.js';
import { PgOpenWork } from './store/pg-open-work.js';
import { PgQueryStore } from './store/pg-query-store.js';
import { PgTeamsStore } from './store/pg-teams-store.js';
import { startWebProcess } from './web-process.js';

export type ProcessRole = 'all' | 'web' | 'worker';

export interface Service {
  port: number | null;
  deps: FlowDeps;
  close(): Promise<void>;
}

export interface StartOptions {
  role: ProcessRole;
  log: Logger;
  /** Reconciler period; the poller's comes from POLL_INTERVAL_SECONDS. */
  reconcileIntervalMs?: number;
  /** The domain's clock; the sandbox passes one it can fast-forward. Default: the wall clock. */
  clock?: Clock;
  /** Serves `/sandbox` (page and API); only the sandbox sets it. */
  sandbox?: HttpHandlers['sandbox'];
}

/** The composition root: configuration in, running adapters and servers out. */
/** `policyFile` may leave keys to `type:` presets: they are filled for the Odoo version found at start. */
export async function startService(env: Env, policyFile: PolicyFile, options: StartOptions): Promise<Service> {
  const { log } = options;
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const c of closers.reverse()) {
      try {
        await c();
      } catch (err) {
        log.warn({ err }, 'error while shutting down');
      }
    }
  };
  try {
    // One registry per service; every XML-RPC call of the process is counted on it (docs/operations.md, "Metrics").
    const metrics = new PromMetrics();
    const stopCountingOdoo = observeXmlRpcCalls((call) => metrics.odooCall(call));
    closers.push(async () => stopCountingOdoo());
    const odoo = new XmlRpcOdooGateway({
      url: env.ODOO_URL,
      db: env.ODOO_DB,
      username: env.ODOO_USERNAME,
      apiKey: env.ODOO_API_KEY,
      logger: log,
    });
    closers.push(async () => odoo.close());
    try {
      await odoo.authenticate();
    } catch (err) {
      if (isAppError(err) && err.kind === 'transient')
        log.warn({ err }, 'Odoo is not reachable yet; starting anyway, decisions wait until it answers (see /readyz)');
      else throw err;
    }
    const policy = await resolvePolicy(odoo, policyFile);

    const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: join(env.DATA_DIR, 'pglite') });
    closers.push(() => database.close());
    log.info({}, `store: ${database.description}`);
    const stores = await createStore({ databaseUrl: database.connectionString, dataDir: env.DATA_DIR });
    closers.push(() => stores.close());
    // Per-user Odoo keys (`/odoo link`) only when CREDENTIALS_KEY is set; a bad key stops the start here.
    const credentials = env.CREDENTIALS_KEY
      ? new PgCredentialStore(
          stores.store.pool,
          CredentialVault.fromEnv(env.CREDENTIALS_KEY, env.CREDENTIALS_KEY_PREVIOUS),
          { schema: stores.store.schema },
        )
      : undefined;

    const queue = await createJobQueue({
      ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : { postgresUrl: database.connectionString }),
      prefix: env.QUEUE_PREFIX,
      logger: log,
    });
    closers.push(() => queue.close());
    const jobs = new MeteredJobQueue(queue, metrics);

    const slackSettings = slackConfig(env);
    const slack =
      slackSettings &&
      new SlackPlatform({
        token: slackSettings.token,
        apiUrl: slackSettings.apiUrl,
        logger: log,
        channels: (flowId) =>
          policy.approvals.find((f) => f.id === flowId)?.slack?.channel ??
          policy.exceptions?.find((e) => e.id === flowId)?.slack?.channel ??
          null,
      });
    const bot = slack && (await slack.authTest());
    if (bot) log.info({ platform: 'slack', team: bot.team, botUserId: bot.botUserId }, 'connected to Slack');
    const teamsSettings = teamsConfig(env);
    const teams =
      teamsSettings &&
      (await createTeamsBot({
        ...teamsSettings,
        serviceUrl: env.TEAMS_SERVICE_URL,
        loginUrl: env.TEAMS_LOGIN_URL,
        openIdMetadataUrl: env.TEAMS_OPENID_METADATA_URL,
        tokenIssuer: env.TEAMS_TOKEN_ISSUER,
        allowUnauthenticated: env.TEAMS_ALLOW_UNAUTHENTICATED ?? false,
        store: new PgTeamsStore(stores.store.pool, { schema: stores.store.schema }),
        log,
        channels: (flowId) =>
          policy.approvals.find((f) => f.id === flowId)?.teams?.channel ??
          policy.exceptions?.find((e) => e.id === flowId)?.teams?.channel ??
          null,
      }));
    // Background roster reads finish (or give up after 5 s) before the store closes.
    if (teams)
      closers.push(() =>
        Promise.race([teams.platform.roster.settled(), new Promise<void>((r) => setTimeout(r, 5000).unref())]),
      );
    const chats: ChatPlatform[] = [];
    if (slack) chats.push(slack);
    if (teams) chats.push(teams.platform);

    // Per-person gateways for `asApprover` actions (approval.request), from the keys `/odoo link` stored.
    const userOdoo =
      credentials &&
      new CredentialUserOdooAccess({
        credentials,
        connect: (c) =>
          new XmlRpcOdooGateway({
            url: env.ODOO_URL,
            db: env.ODOO_DB,
            username: c.login,
            apiKey: c.apiKey,
            logger: log,
          }),
        logger: log,
      });
    if (userOdoo) closers.push(async () => userOdoo.close());
    const ai = aiConfig(env);
    if (!ai && (env.AI_BASE_URL || env.AI_MODEL))
      log.warn(
        {},
        'AI summaries are off: set both AI_BASE_URL and AI_MODEL to turn them on (cards use the deterministic summary)',
      );
    const summarizer =
      ai &&
      new CheckedSummarizer({
        provider: new OpenAiSummarizer(ai),
        prompt: loadSummaryPrompt(),
        timeoutMs: ai.timeoutMs,
        log,
      });
    const deps: FlowDeps = {
      ...(userOdoo ? { userOdoo } : {}),
      context: {
        context: new OdooContextSource(odoo),
        insights: new PgInsightBoard(stores.store.db, { schema: stores.store.schema }),
        priceIncreasePct: env.RISK_PRICE_INCREASE_PCT,
        ...(summarizer ? { summarizer } : {}),
      },
      policy,
      odoo,
      documents: new OdooDocumentSource(odoo, log),
      directory: new OdooDirectory(odoo),
      store: stores.store,
      exceptions: new PgExceptionStore(stores.store.pool, {
        schema: stores.store.schema,
        target: stores.store.db.target,
      }),
      audit: stores.audit,
      queries: new PgQueryStore(stores.store.db, { schema: stores.store.schema }),
      queue: jobs,
      chat: chats[0]!,
      chats,
      clock: options.clock ?? { now: () => new Date() },
      log,
      metrics,
    };

    if (options.role !== 'web') {
      const stopSchedules = await registerWorkers(deps, {
        pollIntervalMs: env.POLL_INTERVAL_SECONDS * 1000,
        reconcileIntervalMs: options.reconcileIntervalMs ?? 60_000,
      });
      closers.push(async () => stopSchedules());
      await queue.enqueue(QUEUES.maintenance, JOBS.reconcile, {}, { jobId: jobId('reconcile', 'start', Date.now()) });
    }

    // AI counters live where the summarizer runs; a web-only process (role `web`) has none to show.
    if (summarizer && options.role !== 'web') metrics.append(() => summarizer.metrics.prometheus());
    const flowIds = policy.approvals.map((f) => f.id);
    const definitionIds = (policy.exceptions ?? []).map((e) => e.id);
    metrics.prime({ flows: flowIds, definitions: definitionIds, platforms: chats.map((c) => c.platform) });
    registerOpenWorkGauges(metrics.registry, {
      store: new PgOpenWork(stores.store.db, { schema: stores.store.schema }),
      ...(options.role !== 'web'
        ? { backlog: { queues: () => jobs.queues(), jobCounts: (q) => queue.jobCounts(q) } }
        : {}),
      flows: flowIds,
      definitions: definitionIds,
      log,
    });
    const metricsRoute: Pick<HttpHandlers, 'metrics' | 'metricsToken' | 'observeRequest'> = {
      metrics: () => metrics.exposition(),
      observeRequest: (route, status, seconds) => metrics.httpRequest(route, status, seconds),
      ...(env.METRICS_TOKEN ? { metricsToken: env.METRICS_TOKEN } : {}),
    };
    const readiness = [
      { name: 'database', run: () => stores.store.ping() },
      { name: env.REDIS_URL ? 'redis' : 'queue', run: () => queue.ping() },
      { name: 'odoo', run: async () => void (await odoo.version()) },
    ];
    let server: RunningServer | null = null;
    if (options.role === 'worker') {
      // Workers take no traffic but still answer health checks for the orchestrator.
      server = await startHttpServer(
        { webhookToken: env.ODOO_WEBHOOK_TOKEN, healthOnly: true, readiness, log, ...metricsRoute },
        env.PORT,
      );
      closers.push(() => server!.close());
      log.info(
        { port: server.port, role: options.role },
        `odoo-chatops worker listening on port ${server.port} (health checks and /metrics only)`,
      );
    } else {
      server = await startWebProcess({
        env,
        deps,
        log,
        queue,
        slack:
          slackSettings && bot
            ? {
                signingSecret: slackSettings.signingSecret,
                token: slackSettings.token,
                apiUrl: slackSettings.apiUrl,
                bot,
              }
            : null,
        teams: teams || null,
        credentials: credentials || null,
        sandbox: options.sandbox,
        readiness,
        metricsRoute,
      });
      closers.push(() => server!.close());
      log.info({ port: server.port, role: options.role }, `odoo-chatops listening on port ${server.port}`);
    }
    return { port: server?.port ?? null, deps, close };
  } catch (err) {
    await close();
    if (isAppError(err)) throw err;
    throw new AppError('start.failed', 'internal', `odoo-chatops could not start: ${String(err)}`, { cause: err });
  }
}
