import { describe, expect, it } from 'vitest';
import { runCli } from '../support/spawn-service.js';

/**
 * The sandbox quick start as a user runs it after `npm ci`: the built CLI,
 * no configuration at all, a scripted scenario printing its timeline.
 */
describe('npx odoo-chatops sandbox --scenario', () => {
  it('approves a purchase order headless and prints a verified timeline', async () => {
    const r = await runCli(['sandbox', '--scenario', 'approve-po', '--port', '0'], {});
    expect(r.stdout + r.stderr).toMatch(/approve-po/);
    expect(r.stdout).toMatch(/audit/i);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  }, 120_000);

  it('names the scenarios when asked for one that does not exist', async () => {
    const r = await runCli(['sandbox', '--scenario', 'no-such-scenario', '--port', '0'], {});
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/approve-po/);
  }, 60_000);
});
