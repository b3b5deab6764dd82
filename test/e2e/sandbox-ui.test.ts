import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox-start.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `SKIPPED sandbox UI test: ${CHROMIUM} is absent. Install Debian's Chromium (apt-get install -y chromium); .ci/run does it.`,
  );

type Browser = import('playwright-core').Browser;
type Page = import('playwright-core').Page;

describe.skipIf(!hasChromium)('the /sandbox page in Chromium', () => {
  let sb: Sandbox;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${sb.baseUrl}/sandbox`);
    await page.waitForSelector('body[data-ready="true"]');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => setTimeout(r, 500));
    await sb?.close();
  });

  /** Runs a step; on failure writes a screenshot to test-results/ and rethrows. */
  async function step(name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      await mkdir('test-results', { recursive: true });
      await page.screenshot({ path: `test-results/sandbox-${name}.png`, fullPage: true }).catch(() => undefined);
      const toasts = await page
        .evaluate(() => (globalThis as unknown as { sandboxToasts?: string[] }).sandboxToasts ?? [])
        .catch(() => []);
      if (toasts.length > 0) console.error(`sandbox page messages before "${name}" failed:\n  ${toasts.join('\n  ')}`);
      throw err;
    }
  }

  const be = (person: string) => page.selectOption('#person', person);
  /** The Slack card titled with `name` (its header block): summaries of other cards may name it too ("latest P00004"). */
  const card = (name: string) =>
    page
      .locator('#slack .slack-msg')
      .filter({
        has: page.locator('.blk-header', {
          hasText: new RegExp(`(^|\\W)${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|\\W)`),
        }),
      })
      .first();
  const odooState = (name: string) => page.locator(`#odoo .odoo-rec[data-name="${name}"] .state`);

  it('approves a purchase order as a manager', async () => {
    await step('approve', async () => {
      await be('mia');
      await card('P00001').locator('button[data-action="approval.approve"]').click();
      await expect.poll(() => odooState('P00001').textContent(), { timeout: 30_000 }).toBe('purchase');
      await expect
        .poll(() => page.locator('#odoo .odoo-rec[data-name="P00001"] .chatter').textContent(), { timeout: 30_000 })
        .toMatch(/Approved by Mia Manager/);
    });
  }, 60_000);

  it('rejects one with a reason typed into the modal', async () => {
    await step('reject', async () => {
      await page.click('button[data-new="po"]');
      await card('P00004').locator('button[data-action="approval.reject"]').waitFor({ timeout: 30_000 });
      await card('P00004').locator('button[data-action="approval.reject"]').click();
      await page.locator('#modal[open]').waitFor();
      await page.fill('#modal-text', 'Quote expired, ask the vendor again');
      await page.click('#modal-submit');
      await expect.poll(() => odooState('P00004').textContent(), { timeout: 30_000 }).toBe('cancel');
      await expect
        .poll(() => page.locator('#odoo .odoo-rec[data-name="P00004"] .chatter').textContent(), { timeout: 30_000 })
        .toMatch(/Quote expired, ask the vendor again/);
    });
  }, 60_000);

  it('resolves a bill-variance exception as the accountant', async () => {
    await step('exception', async () => {
      await be('ann');
      // The bill-variance card, by its title: #billing-exceptions also holds the overdue invoice's card.
      const button = card('Vendor bill does not match its purchase order')
        .locator('button[data-action="exception.resolve"]')
        .first();
      await button.waitFor({ timeout: 30_000 });
      await button.click();
      await page.locator('#modal[open]').waitFor();
      await page.fill('#modal-text', 'Price increase agreed with purchasing');
      await page.click('#modal-submit');
      await expect
        .poll(() => page.locator('#odoo .odoo-rec', { hasText: 'release_to_pay_manual: yes' }).count(), {
          timeout: 30_000,
        })
        .toBeGreaterThan(0);
    });
  }, 60_000);

  it('answers /odoo status and shows the decisions in the audit log', async () => {
    await step('status', async () => {
      await be('mia');
      await page.fill('#command-text', 'status P00001');
      await page.click('#command-send');
      await expect.poll(() => page.locator('#command-answer').textContent(), { timeout: 30_000 }).toMatch(/P00001/);
      await expect.poll(() => page.locator('#audit tr[data-type="decision.applied"]').count()).toBeGreaterThan(1);
      await expect.poll(() => page.locator('#audit tr[data-type="exception.resolved"]').count()).toBe(1);
      // The Teams pane renders the channel's Adaptive Cards with the adaptivecards renderer.
      await expect.poll(() => page.locator('#teams .ac-adaptiveCard').count()).toBeGreaterThan(0);
    });
  }, 60_000);
});
