import { randomBytes } from 'node:crypto';
import { FakeOdooServer } from './odoo/fake-odoo-server.js';
import type { SandboxClock } from './sandbox-clock.js';
import { SANDBOX_CHANNELS, SANDBOX_TEAMS_CHANNEL, SANDBOX_TEAMS_TEAM } from './sandbox-policy.js';
import { type SandboxReceivables, seedReceivables } from './sandbox-receivables.js';
import { FakeSlackApi } from './slack/fake-slack-api.js';
import type { ActivityContext, TeamsPerson } from './teams/activities.js';
import { FakeBotConnector } from './teams/fake-bot-connector.js';

const TEAMS_CLIENT_ID = '00000000-0000-4000-8000-00000000b07a';
const TEAMS_TENANT_ID = '00000000-0000-4000-8000-0000000a7e4a';
const BOT_GROUPS = [
  'purchase.group_purchase_manager',
  'account.group_account_manager',
  'hr.group_hr_user',
  'hr_expense.group_hr_expense_manager',
];

/** One seeded person: the same email in Odoo, Slack and Teams, which is how the bot links them. */
export interface SandboxPerson {
  key: string;
  name: string;
  email: string;
  role: string;
  odooId: number;
  /** Odoo group XML ids given at creation (implied groups not listed). */
  groups: string[];
  slackId: string;
  teams: TeamsPerson;
}

/** The simulators, the seeded company and the secrets the service is configured with. */
export interface SandboxWorld extends SandboxReceivables {
  odoo: FakeOdooServer;
  slack: FakeSlackApi;
  teams: FakeBotConnector;
  people: SandboxPerson[];
  person(key: string): SandboxPerson;
  vendor: number;
  products: { chair: number; desk: number };
  employees: Record<string, number>;
  secrets: { signingSecret: string; webhookToken: string; slackToken: string };
  /** Environment for loadEnv: every URL points at a simulator. */
  env(dataDir: string, port: number): Record<string, string>;
  teamsContext(conversation: ActivityContext['conversation']): ActivityContext;
  teamsChannelContext(): ActivityContext;
  /** New purchase order waiting for approval; `big` goes above the CFO threshold. */
  newPurchaseOrder(options?: { big?: boolean }): number;
  /** A posted bill whose order was only partly received and billed dearer: release_to_pay = exception. */
  newVarianceBill(): number;
  stop(): Promise<void>;
}

const PEOPLE: Array<Omit<SandboxPerson, 'odooId' | 'slackId' | 'teams'>> = [
  {
    key: 'mia',
    name: 'Mia Manager',
    email: 'mia@acme.test',
    role: 'Purchasing manager; Eve and Bob report to her',
    groups: ['purchase.group_purchase_manager', 'hr_expense.group_hr_expense_team_approver'],
  },
  {
    key: 'carla',
    name: 'Carla CFO',
    email: 'carla@acme.test',
    role: 'CFO: second step of orders from 5,000; escalations',
    groups: ['purchase.group_purchase_manager', 'account.group_account_manager'],
  },
  {
    key: 'ann',
    name: 'Ann Accountant',
    email: 'ann@acme.test',
    role: 'Accountant: vendor bills, bill variances, overdue invoices and failed payments',
    groups: ['account.group_account_manager'],
  },
  {
    key: 'bob',
    name: 'Bob Buyer',
    email: 'bob@acme.test',
    role: 'Buyer: creates purchase orders, may not approve them',
    groups: ['purchase.group_purchase_user'],
  },
  {
    key: 'eve',
    name: 'Eve Employee',
    email: 'eve@acme.test',
    role: 'Employee: submits expenses',
    groups: ['base.group_user'],
  },
];

/** Starts the three simulators on 127.0.0.1 and seeds a small demo company in them. */
export async function startSandboxWorld(clock: SandboxClock): Promise<SandboxWorld> {
  const odoo = await FakeOdooServer.start({ version: 17, db: 'acme', now: () => clock.now() });
  const slackToken = 'xoxb-sandbox-token';
  const slack = await FakeSlackApi.start({ token: slackToken });
  const teamsSecret = randomBytes(16).toString('hex');
  const teams = await FakeBotConnector.start({
    clientId: TEAMS_CLIENT_ID,
    clientSecret: teamsSecret,
    tenantId: TEAMS_TENANT_ID,
  });
  const secrets = {
    signingSecret: randomBytes(16).toString('hex'),
    webhookToken: randomBytes(16).toString('hex'),
    slackToken,
  };
  odoo.addUser({
    login: 'chatops-bot',
    name: 'Chatops Bot',
    email: 'bot@acme.test',
    groups: BOT_GROUPS,
    apiKey: 'bot-key',
  });
  for (const [key, name] of Object.entries(SANDBOX_CHANNELS))
    slack.addChannel({ id: name, name: key === 'exceptions' ? 'billing-exceptions' : key });
  const people: SandboxPerson[] = PEOPLE.map((p) => ({
    ...p,
    odooId: odoo.addUser({ login: p.key, name: p.name, email: p.email, groups: p.groups, tz: 'Europe/Brussels' }),
    slackId: slack.addUser({ name: p.key, email: p.email }),
    teams: teams.addUser({ name: p.name, email: p.email }),
  }));
  const person = (key: string) => {
    const found = people.find((p) => p.key === key);
    if (!found) throw new Error(`no sandbox person "${key}"; known: ${people.map((p) => p.key).join(', ')}`);
    return found;
  };
  const employees: Record<string, number> = {};
  employees.mia = odoo.addEmployee({ name: 'Mia Manager', userId: person('mia').odooId, workEmail: 'mia@acme.test' });
  for (const key of ['bob', 'eve', 'ann'])
    employees[key] = odoo.addEmployee({ name: person(key).name, userId: person(key).odooId, parentId: employees.mia });
  const vendor = odoo.addPartner('Azure Interior', 'sales@azure.example');
  const products = {
    chair: odoo.addProduct('Office Chair', 'FURN_7777'),
    desk: odoo.addProduct('Standing Desk', 'FURN_8888'),
  };

  const newPurchaseOrder = (o: { big?: boolean } = {}) =>
    odoo.addPurchaseOrder({
      partnerId: vendor,
      userId: person('bob').odooId,
      state: 'to approve',
      lines: o.big
        ? [{ productId: products.desk, qty: 12, priceUnit: 620 }]
        : [
            { productId: products.chair, qty: 4, priceUnit: 180 },
            { productId: products.desk, qty: 1, priceUnit: 640 },
          ],
    });
  const newVarianceBill = () => {
    const order = odoo.addPurchaseOrder({
      partnerId: vendor,
      userId: person('bob').odooId,
      lines: [{ productId: products.chair, qty: 5, priceUnit: 150 }],
      state: 'purchase',
    });
    const line = odoo.record('purchase.order', order)!.order_line as number[];
    odoo.write('purchase.order.line', line[0]!, { qty_received: 3 });
    return odoo.addVendorBill({
      partnerId: vendor,
      purchaseOrderId: order,
      releaseToPay: 'exception',
      state: 'posted',
      lines: [{ productId: products.chair, qty: 5, priceUnit: 160 }],
    });
  };

  // The demo company's backlog: two orders waiting (one big enough for the CFO), a draft bill, an expense report,
  // a bill with a variance, then unpaid customer invoices (one 45 days past due) and a refused card payment.
  newPurchaseOrder();
  newPurchaseOrder({ big: true });
  odoo.addVendorBill({
    partnerId: vendor,
    invoiceUserId: person('ann').odooId,
    ref: 'INV-2291',
    lines: [{ productId: products.chair, qty: 10, priceUnit: 150 }],
  });
  odoo.addExpenseSheet({
    name: 'Client visit Antwerp',
    employeeId: employees.eve!,
    managerUserId: person('mia').odooId,
    lines: [
      { name: 'Train tickets', amount: 86.4 },
      { name: 'Lunch with client', amount: 112 },
    ],
  });
  newVarianceBill();
  const receivables = seedReceivables(odoo, clock, products, person('ann').odooId);

  return {
    ...receivables,
    odoo,
    slack,
    teams,
    people,
    person,
    vendor,
    products,
    employees,
    secrets,
    env: (dataDir, port) => ({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ODOO_URL: odoo.url,
      ODOO_DB: 'acme',
      ODOO_USERNAME: 'chatops-bot',
      ODOO_API_KEY: 'bot-key',
      ODOO_WEBHOOK_TOKEN: secrets.webhookToken,
      SLACK_BOT_TOKEN: slackToken,
      SLACK_SIGNING_SECRET: secrets.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      TEAMS_CLIENT_ID,
      TEAMS_CLIENT_SECRET: teamsSecret,
      TEAMS_TENANT_ID,
      TEAMS_SERVICE_URL: teams.serviceUrl,
      TEAMS_LOGIN_URL: teams.loginUrl,
      TEAMS_OPENID_METADATA_URL: teams.openIdMetadataUrl,
      TEAMS_TOKEN_ISSUER: teams.issuer,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      POLL_INTERVAL_SECONDS: '3600',
    }),
    teamsContext: (conversation) => teams.context(conversation),
    teamsChannelContext: () =>
      teams.context({
        kind: 'channel',
        id: SANDBOX_TEAMS_CHANNEL,
        teamId: SANDBOX_TEAMS_TEAM,
        channelName: 'Approvals',
      }),
    newPurchaseOrder,
    newVarianceBill,
    async stop() {
      await Promise.allSettled([odoo.stop(), slack.stop(), teams.stop()]);
    },
  };
}
