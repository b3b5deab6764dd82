import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { xmlRpcCodec } from '../../odoo/xmlrpc-codec.js';
import { FakeOdooDb, odooDatetime } from './fake-odoo-db.js';
import { FakeFault, fakeFaults } from './fake-odoo-faults.js';
import { FakeOdooRpc, type FakeRpcCall } from './fake-odoo-rpc.js';
import { type FakeOdooVersion, purchaseStates, type StoredRecord } from './fake-odoo-schema.js';
import {
  ADMIN_UID,
  type Credentials,
  createUser,
  MAIN_COMPANY_ID,
  type NewFakeUser,
  SUPERUSER_ID,
  seedBaseData,
} from './fake-odoo-seed.js';
import {
  seedApprovalRequest,
  seedDepartment,
  seedEmployee,
  seedExpense,
  seedExpenseSheet,
  seedPaymentTransaction,
  seedSaleOrder,
  seedVendorBill,
} from './fake-odoo-seed-documents.js';
import type {
  NewApprovalRequest,
  NewDepartment,
  NewEmployee,
  NewExpense,
  NewExpenseSheet,
  NewPaymentTransaction,
  NewSaleOrder,
  NewVendorBill,
} from './fake-odoo-seed-types.js';

export type { FakeRpcCall } from './fake-odoo-rpc.js';
export type { FakeOdooVersion } from './fake-odoo-schema.js';
export type { NewFakeUser } from './fake-odoo-seed.js';
export type * from './fake-odoo-seed-types.js';

export interface FakeOdooServerOptions {
  version?: FakeOdooVersion;
  /** Database name callers must pass. Default `odoo`. */
  db?: string;
  /** Clock for create/write dates and approvals. */
  now?: () => Date;
}

/** How the next calls fail: socket cut, proxy 502 page, serialization-failure Fault 1, or a slow answer. */
export type FailureMode = 'unreachable' | 'http502' | 'server_error' | 'delay';

export interface NewPurchaseOrder {
  name?: string;
  partnerId: number;
  /** The buyer (`user_id`). */
  userId: number;
  createUid?: number;
  lines: Array<{ productId: number; qty: number; priceUnit: number; description?: string }>;
  currency?: 'EUR' | 'USD';
  state?: string;
  dateOrder?: Date;
}

const PROXY_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/**
 * Odoo 16–19 as the bot sees it: a real HTTP server on 127.0.0.1 speaking
 * XML-RPC on `/xmlrpc/2/common` and `/xmlrpc/2/object`, with Odoo's fault
 * codes, marshalling (`False` for empty, `[id, name]`, naive-UTC datetime
 * strings, the "cannot marshal None" fault after commit) and purchase
 * approval rules. Seeded with an `admin`/`admin` purchase manager (uid 2).
 */
export class FakeOdooServer {
  readonly version: FakeOdooVersion;
  readonly db: string;
  readonly adminUid = ADMIN_UID;
  /** Every call received, oldest first, without passwords. */
  readonly calls: FakeRpcCall[] = [];
  private readonly store: FakeOdooDb;
  private readonly rpc: FakeOdooRpc;
  private readonly credentials: Credentials = new Map();
  private readonly failures: Array<{ mode: FailureMode; ms: number }> = [];
  private orderSeq = 0;
  private saleSeq = 0;

  private constructor(
    private readonly server: http.Server,
    options: FakeOdooServerOptions,
  ) {
    this.version = options.version ?? 17;
    this.db = options.db ?? 'odoo';
    this.store = new FakeOdooDb(this.version, options.now ?? (() => new Date()));
    seedBaseData(this.store, this.credentials);
    this.rpc = new FakeOdooRpc(this.store, this.db, this.credentials);
  }

  static async start(options: FakeOdooServerOptions = {}): Promise<FakeOdooServer> {
    const server = http.createServer();
    const fake = new FakeOdooServer(server, options);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return fake;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  addUser(input: NewFakeUser): number {
    return createUser(this.store, this.credentials, input);
  }

  addPartner(name: string, email?: string): number {
    return this.store.create('res.partner', { name, email: email ?? false, company_id: MAIN_COMPANY_ID }, SUPERUSER_ID);
  }

  addProduct(name: string, defaultCode?: string): number {
    return this.store.create('product.product', { name, default_code: defaultCode ?? false }, SUPERUSER_ID);
  }

  /** A purchase order with its lines; `amount_total` is computed from them (no taxes). */
  addPurchaseOrder(input: NewPurchaseOrder): number {
    const state = input.state ?? 'draft';
    if (!purchaseStates(this.version).some(([value]) => value === state)) {
      throw new Error(
        `FakeOdooServer.addPurchaseOrder: "${state}" is not a purchase.order state on Odoo ${this.version}`,
      );
    }
    const currency = this.store.all('res.currency').find((c) => c.name === (input.currency ?? 'EUR'));
    const uid = input.createUid ?? input.userId;
    const uom = this.version >= 19 ? 'product_uom_id' : 'product_uom';
    this.orderSeq += 1;
    return this.store.create(
      'purchase.order',
      {
        name: input.name ?? `P${String(this.orderSeq).padStart(5, '0')}`,
        partner_id: input.partnerId,
        user_id: input.userId,
        state,
        currency_id: currency?.id ?? false,
        company_id: MAIN_COMPANY_ID,
        date_order: odooDatetime(input.dateOrder ?? this.store.now()),
        order_line: input.lines.map((l) => [
          0,
          0,
          {
            product_id: l.productId,
            name: l.description ?? this.store.displayName('product.product', l.productId),
            product_qty: l.qty,
            price_unit: l.priceUnit,
            [uom]: 1,
            date_planned: odooDatetime(this.store.now()),
          },
        ]),
      },
      uid,
    );
  }

  /** An `hr.employee`; `parentId` is the manager employee, `userId` the employee's Odoo user. */
  addEmployee(input: NewEmployee): number {
    return seedEmployee(this.store, input);
  }

  addDepartment(input: NewDepartment): number {
    return seedDepartment(this.store, input);
  }

  /** An `account.move` (default a draft `in_invoice` dated today) with its lines; totals come from the lines. */
  addVendorBill(input: NewVendorBill): number {
    return seedVendorBill(this.store, input);
  }

  /** Odoo 16–18: an `hr.expense.sheet` (default submitted) with one `hr.expense` per line. */
  addExpenseSheet(input: NewExpenseSheet): number {
    return seedExpenseSheet(this.store, input);
  }

  /** An `hr.expense`: on 19 the approvable document (default `submitted`); on 16–18 a loose expense. */
  addExpense(input: NewExpense): number {
    return seedExpense(this.store, input);
  }

  /** A `sale.order` with lines; `cost` is the line's `purchase_price`, from which `margin` is computed. */
  addSaleOrder(input: NewSaleOrder): number {
    this.saleSeq += 1;
    return seedSaleOrder(this.store, input, this.saleSeq);
  }

  /** An `approval.request` with one `approval.approver` line per user (pending unless `submitted: false`). */
  addApprovalRequest(input: NewApprovalRequest): number {
    return seedApprovalRequest(this.store, input);
  }

  /** A `payment.transaction` (default draft) through a provider created on first use (default Stripe). */
  addPaymentTransaction(input: NewPaymentTransaction): number {
    return seedPaymentTransaction(this.store, input);
  }

  addApprovalCategory(name: string, minimum = 1): number {
    return this.store.create('approval.category', { name, approval_minimum: minimum }, SUPERUSER_ID);
  }

  /** Open `mail.activity` records on a document, oldest first. */
  activities(model: string, id: number): StoredRecord[] {
    return this.store
      .all('mail.activity')
      .filter((a) => a.res_id === id && this.store.value('mail.activity', a, 'res_model') === model)
      .map((a) => this.record('mail.activity', a.id) as StoredRecord);
  }

  /** The stored record (many2one as ids, datetimes as Odoo strings), computed amounts included. */
  record(model: string, id: number): StoredRecord | undefined {
    const record = this.store.get(model, id);
    if (!record) return undefined;
    const out: StoredRecord = { ...structuredClone(record) };
    for (const [name, field] of Object.entries(this.store.model(model).fields)) {
      if (field.compute || field.type === 'one2many') out[name] = this.store.value(model, record, name);
    }
    return out;
  }

  /** Chatter messages posted on a record, oldest first. */
  messages(model: string, id: number): StoredRecord[] {
    return this.store
      .all('mail.message')
      .filter((m) => m.model === model && m.res_id === id)
      .map((m) => structuredClone(m));
  }

  /** Writes as OdooBot, bumping `write_date` like any Odoo write. */
  write(model: string, id: number, vals: Record<string, unknown>): void {
    this.store.write(model, [id], vals, SUPERUSER_ID);
  }

  setState(model: string, id: number, state: string): void {
    this.write(model, id, { state });
  }

  /** Record id of an XML id such as `purchase.group_purchase_manager`. */
  ref(xmlId: string): number {
    const [module, ...rest] = xmlId.split('.');
    const row = this.store.all('ir.model.data').find((r) => r.module === module && r.name === rest.join('.'));
    if (!row) throw new Error(`FakeOdooServer.ref: no record has the XML id "${xmlId}"`);
    return Number(row.res_id);
  }

  /** The next `count` requests fail this way (`delay` waits `ms`, then answers normally). */
  failNext(count: number, mode: FailureMode, ms = 0): void {
    for (let i = 0; i < count; i++) this.failures.push({ mode, ms });
  }

  /** Odoo is back: drops the failures `failNext` still has queued. */
  recover(): void {
    this.failures.length = 0;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    const service = path === '/xmlrpc/2/common' ? 'common' : path === '/xmlrpc/2/object' ? 'object' : null;
    if (!service) {
      res.writeHead(404, { 'Content-Type': 'text/html' }).end('<!doctype html><title>404: Not Found</title>');
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { 'Content-Type': 'text/html', Allow: 'POST' }).end('<title>405 Method Not Allowed</title>');
      return;
    }
    const failure = this.failures.shift();
    if (failure?.mode === 'unreachable') {
      req.socket.destroy();
      return;
    }
    if (failure?.mode === 'http502') {
      req.resume();
      res.writeHead(502, { 'Content-Type': 'text/html' }).end(PROXY_502);
      return;
    }
    if (failure?.mode === 'delay') await new Promise((resolve) => setTimeout(resolve, failure.ms));
    let body: string;
    try {
      const { method, params } = await xmlRpcCodec.decodeCall(req);
      this.calls.push(this.rpc.describe(service, method, params));
      if (failure?.mode === 'server_error') throw fakeFaults.serializationFailure();
      const result = service === 'common' ? this.rpc.common(method, params) : this.rpc.object(method, params);
      // Odoo's marshaller has allow_none=False; the transaction has committed by now.
      body = containsNone(result)
        ? xmlRpcCodec.encodeFault(fakeFaults.noneMarshal())
        : xmlRpcCodec.encodeResponse(result);
    } catch (err) {
      const fault = err instanceof FakeFault ? err : fakeFaults.server(`Exception: ${String(err)}`);
      body = xmlRpcCodec.encodeFault({ faultCode: fault.faultCode, faultString: fault.faultString });
    }
    if (res.destroyed) return;
    // Faults travel with HTTP 200, as Odoo ≤17 answers them.
    res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' }).end(body);
  }
}

function containsNone(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.some(containsNone);
  if (typeof value === 'object') return Object.values(value).some(containsNone);
  return false;
}
