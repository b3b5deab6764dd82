import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exceptionDomain } from '../../src/flows/exceptions/exception-domain.js';
import { createLogger } from '../../src/logger.js';
import { SANDBOX_CHANNELS } from '../../src/sandbox/sandbox-policy.js';
import { text, title, until } from '../../src/sandbox/sandbox-scenario-steps.js';
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

  it('lists the overdue-invoice scenario', () => {
    expect(Object.keys(SCENARIOS)).toContain('overdue-invoice');
  });

  it('opens cards for the seeded invoice 45 days past due and the failed payment, not the one due 10 days ago', async () => {
    const { exceptions, documents, policy, clock } = sb.service.deps;
    const { odoo, invoices, failedPayment } = sb.world;
    const exceptionCard = (reference: string) =>
      until(`the card of ${reference}`, () =>
        sb.world.slack.messages(SANDBOX_CHANNELS.exceptions).find((m) => title(m).endsWith(`: ${reference}`)),
      );

    const overdue = await until('the overdue-invoice exception', () =>
      exceptions!.findActive('overdue-invoices', 'account.move', invoices.overdue),
    );
    const overdueCard = await exceptionCard(String(odoo.record('account.move', invoices.overdue)!.name));
    expect(title(overdueCard)).toMatch(/^Customer invoice overdue: INV\//);
    expect(text(overdueCard)).toMatch(/Deco Addict/);
    expect(text(overdueCard)).toMatch(/Days overdue[^0-9]*45/);
    expect(overdue.status).toBe('open');

    const reference = String(odoo.record('payment.transaction', failedPayment)!.reference);
    expect(reference).toBe(String(odoo.record('account.move', invoices.dueRecently)!.name));
    await until('the failed-payment exception', () =>
      exceptions!.findActive('failed-payments', 'payment.transaction', failedPayment),
    );
    const failedCard = await exceptionCard(reference);
    expect(title(failedCard)).toBe(`Payment failed: ${reference}`);
    expect(text(failedCard)).toMatch(/Stripe/);
    expect(text(failedCard)).toMatch(/The provider said: Your card has insufficient funds\./);
    // payment.transaction has no chatter in Odoo: its to-do and note go on the invoice (scenario failed-payment).
    expect(text(failedCard)).toMatch(/exception\.assign/);
    expect(text(failedCard)).toMatch(/exception\.resolve/);

    // Due 10 days ago is inside the 30 days: the definition's domain, at the sandbox clock, leaves it out.
    const def = policy.exceptions!.find((e) => e.id === 'overdue-invoices')!;
    const matching = await documents.matchingIds('account.move', exceptionDomain(def, policy, clock.now()), [
      invoices.overdue,
      invoices.dueRecently,
    ]);
    expect(matching).toEqual([invoices.overdue]);
    expect(await exceptions!.findLatest('overdue-invoices', 'account.move', invoices.dueRecently)).toBeNull();
  }, 60_000);

  it('refuses an activity or a chatter note on a payment transaction, as Odoo does (why its to-do and notes go on the invoice)', async () => {
    const { odoo } = sb.service.deps;
    const ann = sb.world.person('ann').odooId;
    await expect(
      odoo.scheduleActivity('payment.transaction', sb.world.failedPayment, {
        userId: ann,
        summary: 'Call the customer',
      }),
    ).rejects.toThrow(/message_notify/);
    await expect(odoo.postNote('payment.transaction', sb.world.failedPayment, '<p>note</p>')).rejects.toThrow(
      /message_post/,
    );
    expect(sb.world.odoo.activities('payment.transaction', sb.world.failedPayment)).toEqual([]);
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
