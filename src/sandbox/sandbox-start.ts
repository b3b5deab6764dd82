import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from '../config/env.js';
import { parsePolicyFile } from '../config/policy.js';
import { JOBS, QUEUES } from '../flows/jobs.js';
import type { Logger } from '../flows/ports.js';
import type { HttpHandlers } from '../http/server.js';
import { type Service, startService } from '../main.js';
import { SandboxActions } from './sandbox-actions.js';
import { SandboxClock } from './sandbox-clock.js';
import { pollExceptionsNow } from './sandbox-exception-poll.js';
import { SANDBOX_POLICY_YAML } from './sandbox-policy.js';
import { sandboxRoutes } from './sandbox-routes.js';
import { type SandboxWorld, startSandboxWorld } from './sandbox-world.js';
import { conversationUpdateActivity, installationUpdateActivity } from './teams/activities.js';

export interface SandboxOptions {
  /** Port of the service (and the page); 0 picks a free one. Default 3000. */
  port?: number;
  /** Keeps the store here between runs; default a temporary directory removed on close. */
  dataDir?: string;
  log: Logger;
}

export interface Sandbox {
  world: SandboxWorld;
  service: Service;
  clock: SandboxClock;
  actions: SandboxActions;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real service (same composition root as `start`) wired to the Odoo,
 * Slack and Teams simulators, with the embedded PGlite store and queues, and
 * the `/sandbox` page served next to its real endpoints.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const clock = new SandboxClock();
  const world = await startSandboxWorld(clock);
  const ownDir = options.dataDir ? null : await mkdtemp(join(tmpdir(), 'odoo-chatops-sandbox-'));
  const dataDir = options.dataDir ?? ownDir!;
  let routes: HttpHandlers['sandbox'] | null = null;
  let service: Service;
  try {
    const env = loadEnv(world.env(dataDir, options.port ?? 3000));
    const policy = parsePolicyFile(SANDBOX_POLICY_YAML, 'sandbox-policy.yaml');
    service = await startService(env, policy, {
      role: 'all',
      log: options.log,
      clock,
      sandbox: async (req, raw) => {
        if (!routes) return { status: 503, headers: { 'content-type': 'text/plain' }, body: 'sandbox starting' };
        return routes(req, raw);
      },
    });
  } catch (err) {
    await world.stop();
    if (ownDir) await rm(ownDir, { recursive: true, force: true });
    throw err;
  }
  const baseUrl = `http://127.0.0.1:${service.port}`;
  const actions = new SandboxActions(world, baseUrl);
  routes = sandboxRoutes({ world, deps: service.deps, clock, actions });
  const close = async () => {
    await service.close();
    await world.stop();
    if (ownDir) await rm(ownDir, { recursive: true, force: true });
  };
  try {
    await introduceTeams(world, actions);
    // Pick up the seeded backlog now rather than at the first scheduled poll.
    for (const flow of service.deps.policy.approvals)
      await service.deps.queue.enqueue(QUEUES.maintenance, JOBS.pollFlow, { flowId: flow.id });
    await pollExceptionsNow(service.deps);
  } catch (err) {
    await close();
    throw err;
  }
  return { world, service, clock, actions, baseUrl, close };
}

/** The app is installed in the Teams channel and everyone is a member, so the bot can match people by email. */
async function introduceTeams(world: SandboxWorld, actions: SandboxActions): Promise<void> {
  const ctx = world.teamsChannelContext();
  const mia = world.person('mia').teams;
  await actions.deliver(installationUpdateActivity(ctx, mia));
  await actions.deliver(
    conversationUpdateActivity(ctx, mia, [
      { id: `28:${ctx.botId}` },
      ...world.people.map((p) => ({ id: p.teams.id, aadObjectId: p.teams.aadObjectId })),
    ]),
  );
}
