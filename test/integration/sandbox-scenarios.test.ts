import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { runScenario, SCENARIOS } from '../../src/sandbox/sandbox-scenarios.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox-start.js';

describe('odoo-chatops sandbox: scripted scenarios against the real service and the simulators', () => {
  let sb: Sandbox;

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
  }, 60_000);
  afterAll(async () => {
    await new Promise((r) => setTimeout(r, 500));
    await sb?.close();
  });

  for (const name of Object.keys(SCENARIOS)) {
    it(`${name} passes and prints a timeline`, async () => {
      const lines: string[] = [];
      const code = await runScenario(sb, name, (l) => lines.push(l));
      expect(code, lines.join('\n')).toBe(0);
      expect(lines.at(-1)).toBe(`PASSED: ${name}`);
      expect(lines.join('\n')).toMatch(/Audit log: hash chain verified/);
    }, 60_000);
  }

  it('serves the page, the Adaptive Cards renderer and the state API', async () => {
    const page = await fetch(`${sb.baseUrl}/sandbox`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('odoo-chatops sandbox');
    const js = await fetch(`${sb.baseUrl}/sandbox/assets/adaptivecards.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    const state = (await (await fetch(`${sb.baseUrl}/sandbox/api/state`)).json()) as Record<string, unknown[]>;
    expect(state.people!.length).toBe(5);
    expect(state.audit!.length).toBeGreaterThan(0);
  });

  it('answers a wrong request with what to fix', async () => {
    const res = await fetch(`${sb.baseUrl}/sandbox/api/fast-forward`, { method: 'POST', body: '{"hours":-1}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/hours must be/);
  });
});
