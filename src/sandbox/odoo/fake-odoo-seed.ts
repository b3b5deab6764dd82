import type { FakeOdooDb } from './fake-odoo-db.js';
import { impliedClosure } from './fake-odoo-schema.js';

/** OdooBot / `__system__`: archived, cannot log in, used for seed writes. */
export const SUPERUSER_ID = 1;
/** The `admin` user (password `admin`), a purchase manager. */
export const ADMIN_UID = 2;
export const MAIN_COMPANY_ID = 1;

/** Passwords and API keys per uid: never readable through the fake's RPC. */
export type Credentials = Map<number, Set<string>>;

export interface NewFakeUser {
  login: string;
  name: string;
  email?: string | null;
  /** Group XML ids; implied groups are added. Default `base.group_user` (`base.group_portal` when `share`). */
  groups?: string[];
  share?: boolean;
  active?: boolean;
  tz?: string | null;
  /** Usable as the password on `authenticate` and on every object call, as in Odoo 14+. */
  apiKey?: string;
  password?: string;
}

/** `module.name` → record id through `ir.model.data`, as Odoo's `env.ref` does. */
export function ref(db: FakeOdooDb, xmlId: string): number | undefined {
  const [module, ...rest] = xmlId.split('.');
  const name = rest.join('.');
  const row = db.all('ir.model.data').find((r) => r.module === module && r.name === name);
  return typeof row?.res_id === 'number' ? row.res_id : undefined;
}

export function addXmlId(db: FakeOdooDb, xmlId: string, model: string, resId: number): void {
  const [module, ...rest] = xmlId.split('.');
  db.create('ir.model.data', { module, name: rest.join('.'), model, res_id: resId }, SUPERUSER_ID);
}

/** Ids of every group of the user, implied ones included. */
export function userGroupIds(db: FakeOdooDb, uid: number): number[] {
  const user = db.get('res.users', uid);
  if (!user) return [];
  const field = db.version >= 19 ? 'all_group_ids' : 'groups_id';
  const ids = db.value('res.users', user, field);
  return Array.isArray(ids) ? (ids as number[]) : [];
}

export function hasGroup(db: FakeOdooDb, uid: number, xmlId: string): boolean {
  const groupId = ref(db, xmlId);
  return groupId !== undefined && userGroupIds(db, uid).includes(groupId);
}

const GROUPS: Array<[xmlId: string, name: string, fullName: string, implies: string[]]> = [
  ['base.group_user', 'Internal User', 'User types / Internal User', []],
  ['base.group_portal', 'Portal', 'User types / Portal', []],
  ['base.group_system', 'Settings', 'Administration / Settings', ['base.group_user']],
  ['purchase.group_purchase_user', 'User', 'Purchase / User', ['base.group_user']],
  ['purchase.group_purchase_manager', 'Administrator', 'Purchase / Administrator', ['purchase.group_purchase_user']],
  ['account.group_account_invoice', 'Billing', 'Invoicing / Billing', ['base.group_user']],
  [
    'account.group_account_manager',
    'Billing Administrator',
    'Invoicing / Billing Administrator',
    ['account.group_account_invoice'],
  ],
  [
    'hr.group_hr_user',
    'Officer: Manage all employees',
    'Employees / Officer: Manage all employees',
    ['base.group_user'],
  ],
  ['hr_expense.group_hr_expense_team_approver', 'Team Approver', 'Expenses / Team Approver', ['base.group_user']],
  [
    'hr_expense.group_hr_expense_user',
    'All Approver',
    'Expenses / All Approver',
    ['hr_expense.group_hr_expense_team_approver'],
  ],
  [
    'hr_expense.group_hr_expense_manager',
    'Administrator',
    'Expenses / Administrator',
    ['hr_expense.group_hr_expense_user'],
  ],
  [
    'sales_team.group_sale_salesman',
    'User: Own Documents Only',
    'Sales / User: Own Documents Only',
    ['base.group_user'],
  ],
  [
    'sales_team.group_sale_salesman_all_leads',
    'User: All Documents',
    'Sales / User: All Documents',
    ['sales_team.group_sale_salesman'],
  ],
  [
    'sales_team.group_sale_manager',
    'Administrator',
    'Sales / Administrator',
    ['sales_team.group_sale_salesman_all_leads'],
  ],
  ['approvals.group_approval_user', 'User', 'Approvals / User', ['base.group_user']],
  ['approvals.group_approval_manager', 'Administrator', 'Approvals / Administrator', ['approvals.group_approval_user']],
];

/** Group XML ids the fake knows, for `addUser`'s `groups`. */
export const KNOWN_GROUPS: readonly string[] = GROUPS.map((g) => g[0]);

const ACTIVITY_TYPES: Array<[xmlId: string, name: string, category: string]> = [
  ['mail.mail_activity_data_email', 'Email', 'default'],
  ['mail.mail_activity_data_call', 'Call', 'phonecall'],
  ['mail.mail_activity_data_meeting', 'Meeting', 'default'],
  ['mail.mail_activity_data_todo', 'To-Do', 'default'],
];

/**
 * What a fresh database with Purchase installed has, plus an approval policy
 * that makes approvals matter: two-step validation above 5 000.
 */
export function seedBaseData(db: FakeOdooDb, credentials: Credentials): void {
  const su = SUPERUSER_ID;
  // EUR is the company currency (no rates: rate 1); USD's one rate is in dollars per euro, as Odoo stores it.
  const eur = db.create('res.currency', { name: 'EUR', symbol: '€' }, su);
  const usd = db.create('res.currency', { name: 'USD', symbol: '$' }, su);
  db.create(
    'res.company',
    { name: 'My Company', currency_id: eur, po_double_validation: 'two_step', po_double_validation_amount: 5000 },
    su,
  );
  db.create('res.currency.rate', { name: '2020-01-01', rate: 1.1, currency_id: usd, company_id: MAIN_COMPANY_ID }, su);
  db.create('res.partner', { name: 'My Company', company_id: MAIN_COMPANY_ID }, su);
  db.create('uom.uom', { name: 'Units' }, su);
  addXmlId(
    db,
    'mail.mt_comment',
    'mail.message.subtype',
    db.create('mail.message.subtype', { name: 'Discussions' }, su),
  );
  addXmlId(db, 'mail.mt_note', 'mail.message.subtype', db.create('mail.message.subtype', { name: 'Note' }, su));
  addXmlId(
    db,
    'mail.mt_activities',
    'mail.message.subtype',
    db.create('mail.message.subtype', { name: 'Activities' }, su),
  );
  for (const [xmlId, name, category] of ACTIVITY_TYPES) {
    addXmlId(db, xmlId, 'mail.activity.type', db.create('mail.activity.type', { name, category }, su));
  }
  // One `ir.model` row per model, as the registry has them (activities point at documents through these).
  for (const model of db.schema.values()) {
    if (!model.table) db.create('ir.model', { model: model.name, name: model.description }, su);
  }
  for (const [xmlId, name, fullName, implies] of GROUPS) {
    const implied = implies.map((x) => ref(db, x) as number);
    addXmlId(db, xmlId, 'res.groups', db.create('res.groups', { name, full_name: fullName, implied_ids: implied }, su));
  }
  createUser(db, credentials, { login: '__system__', name: 'OdooBot', active: false, groups: ['base.group_system'] });
  createUser(db, credentials, {
    login: 'admin',
    name: 'Administrator',
    email: 'admin@example.com',
    password: 'admin',
    tz: 'Europe/Brussels',
    groups: [
      'base.group_system',
      'purchase.group_purchase_manager',
      'account.group_account_manager',
      'hr.group_hr_user',
      'hr_expense.group_hr_expense_manager',
      'sales_team.group_sale_manager',
      'approvals.group_approval_manager',
    ],
  });
}

export function createUser(db: FakeOdooDb, credentials: Credentials, input: NewFakeUser): number {
  const share = input.share ?? false;
  const xmlIds = input.groups ?? [share ? 'base.group_portal' : 'base.group_user'];
  const groupIds = xmlIds.map((xmlId) => {
    const id = ref(db, xmlId);
    if (id === undefined) {
      throw new Error(`FakeOdooServer.addUser: unknown group "${xmlId}"; known groups: ${KNOWN_GROUPS.join(', ')}`);
    }
    return id;
  });
  if (db.all('res.users').some((u) => u.login === input.login)) {
    throw new Error(`FakeOdooServer.addUser: login "${input.login}" is taken (Odoo's logins are unique)`);
  }
  const partnerId = db.create(
    'res.partner',
    { name: input.name, email: input.email ?? false, company_id: MAIN_COMPANY_ID },
    SUPERUSER_ID,
  );
  // ≤18 stores the implied closure in groups_id; 19 keeps direct groups and computes all_group_ids.
  const groups = db.version >= 19 ? { group_ids: groupIds } : { groups_id: impliedClosure(db, groupIds) };
  const uid = db.create(
    'res.users',
    {
      login: input.login,
      name: input.name,
      email: input.email ?? false,
      share,
      active: input.active ?? true,
      tz: input.tz ?? false,
      partner_id: partnerId,
      company_id: MAIN_COMPANY_ID,
      ...groups,
    },
    SUPERUSER_ID,
  );
  const secrets = new Set<string>();
  if (input.password) secrets.add(input.password);
  if (input.apiKey) secrets.add(input.apiKey);
  credentials.set(uid, secrets);
  return uid;
}
