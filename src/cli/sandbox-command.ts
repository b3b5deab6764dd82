import { parseArgs } from 'node:util';
import { createLogger } from '../logger.js';
import { runScenario, SCENARIOS } from '../sandbox/sandbox-scenarios.js';
import { startSandbox } from '../sandbox/sandbox-start.js';

export const SANDBOX_USAGE = `  odoo-chatops sandbox [--port 3000] [--data DIR] [--scenario NAME]
                                               try the bot with simulated Odoo, Slack and Teams
                                               (scenarios: ${Object.keys(SCENARIOS).join(', ')})`;

/** `odoo-chatops sandbox`: the page at /sandbox, or one scripted scenario run headless. */
export async function sandboxCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      scenario: { type: 'string' },
      'log-level': { type: 'string', default: 'warn' },
    },
  });
  const port = values.port === undefined ? (values.scenario ? 0 : 3000) : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number, e.g. 3000 (got "${values.port}")`);
    return 2;
  }
  if (values.scenario && !(values.scenario in SCENARIOS)) {
    console.error(`There is no scenario "${values.scenario}". Try one of: ${Object.keys(SCENARIOS).join(', ')}.`);
    return 2;
  }
  const log = createLogger(values['log-level'] ?? 'warn');
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox({ port, log, ...(values.data ? { dataDir: values.data } : {}) });
  } catch (err) {
    const inUse = String(err).includes('EADDRINUSE');
    console.error(
      inUse
        ? `Port ${port} is already in use. Stop what uses it, or pick another with --port 3001 (or --port 0 for any free port).`
        : `The sandbox could not start: ${err instanceof Error ? err.message : String(err)}`,
    );
    return 1;
  }
  if (values.scenario) {
    try {
      return await runScenario(sandbox, values.scenario, (line) => console.log(line));
    } finally {
      // Let jobs the scenario set off (card refreshes, follow-up timers) finish before the queue closes.
      await new Promise((r) => setTimeout(r, 1500));
      await sandbox.close();
    }
  }
  const url = `http://localhost:${sandbox.service.port}/sandbox`;
  console.log(`odoo-chatops sandbox is running: ${url}

Simulated Odoo 17 (${sandbox.world.odoo.url}), Slack workspace and Teams tenant, all in this process.
Demo company: Mia (purchasing manager), Carla (CFO), Ann (accountant), Bob (buyer), Eve (employee).

Try:
  1. Open ${url}, be Mia, and press Approve on purchase order P00001 in #approvals.
  2. Reject P00002 with a reason, or approve it as Mia and then as Carla (it is over 5,000).
  3. Be Ann: resolve the bill variance in #billing-exceptions and watch the Odoo pane.
  4. Type "status P00001" in the /odoo box; fast-forward a day to see reminders and escalations.

Headless: npx odoo-chatops sandbox --scenario approve-po   (also: ${Object.keys(SCENARIOS).join(', ')})
Stop with Ctrl+C.`);
  await new Promise<void>((resolve) => {
    const stop = () => sandbox.close().then(resolve, resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
