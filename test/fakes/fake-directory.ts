import type { Directory } from '../../src/flows/ports.js';
import type { OdooUser } from '../../src/flows/types.js';
import type { FakeOdooGateway } from './fake-odoo-gateway.js';

/** People over the fake gateway's users, with a manager map the test sets. */
export class FakeDirectory implements Directory {
  private readonly managers = new Map<number, number>();
  private readonly departmentManagers = new Map<number, number>();

  constructor(private readonly odoo: FakeOdooGateway) {}

  /** `userId`'s manager (hr.employee.parent_id) is `managerId`. */
  setManager(userId: number, managerId: number): this {
    this.managers.set(userId, managerId);
    return this;
  }

  setDepartmentManager(userId: number, managerId: number): this {
    this.departmentManagers.set(userId, managerId);
    return this;
  }

  groupMembers(xmlId: string): Promise<OdooUser[]> {
    return this.odoo.groupMembers(xmlId);
  }

  users(ids: number[]): Promise<OdooUser[]> {
    return this.odoo.users(ids);
  }

  async usersByKeys(keys: string[]): Promise<OdooUser[]> {
    const out: OdooUser[] = [];
    for (const k of keys) {
      const u = await this.odoo.findUserByEmail(k);
      if (u && !out.some((x) => x.id === u.id)) out.push(u);
    }
    return out;
  }

  async managerChain(userId: number, levels: number): Promise<OdooUser[]> {
    const ids: number[] = [];
    let current = userId;
    while (ids.length < levels) {
      const next = this.managers.get(current);
      if (next === undefined || ids.includes(next)) break;
      ids.push(next);
      current = next;
    }
    return this.odoo.users(ids);
  }

  async departmentManager(userId: number): Promise<OdooUser | null> {
    const id = this.departmentManagers.get(userId);
    return id === undefined ? null : ((await this.odoo.users([id]))[0] ?? null);
  }
}
