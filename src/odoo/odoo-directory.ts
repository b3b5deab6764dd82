import { isAppError } from '../errors.js';
import type { Directory, OdooGateway } from '../flows/ports.js';
import type { OdooUser, RecordLink } from '../flows/types.js';

const EMPLOYEE_FIELDS = ['user_id', 'parent_id', 'department_id'];

function linkId(v: unknown): number | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as RecordLink).id : null;
}

/**
 * People in Odoo for approver sources. Manager chains go through
 * `hr.employee`; a service account without HR rights falls back to
 * `hr.employee.public`, which carries the same links.
 */
export class OdooDirectory implements Directory {
  private employeeModel: 'hr.employee' | 'hr.employee.public' = 'hr.employee';

  constructor(private readonly odoo: OdooGateway) {}

  groupMembers(xmlId: string): Promise<OdooUser[]> {
    return this.odoo.groupMembers(xmlId);
  }

  users(ids: number[]): Promise<OdooUser[]> {
    return ids.length ? this.odoo.users(ids) : Promise.resolve([]);
  }

  async usersByKeys(keys: string[]): Promise<OdooUser[]> {
    const out = new Map<number, OdooUser>();
    for (const key of keys) {
      const user = await this.odoo.findUserByEmail(key);
      if (user) out.set(user.id, user);
    }
    return [...out.values()];
  }

  private async employees(domain: Parameters<OdooGateway['searchRead']>[1]) {
    try {
      return await this.odoo.searchRead(this.employeeModel, domain, EMPLOYEE_FIELDS, { limit: 1 });
    } catch (err) {
      if (isAppError(err) && err.kind === 'forbidden' && this.employeeModel === 'hr.employee') {
        this.employeeModel = 'hr.employee.public';
        return this.odoo.searchRead(this.employeeModel, domain, EMPLOYEE_FIELDS, { limit: 1 });
      }
      throw err;
    }
  }

  async managerChain(userId: number, levels: number): Promise<OdooUser[]> {
    const managers: number[] = [];
    const seen = new Set<number>();
    let [employee] = await this.employees([['user_id', '=', userId]]);
    while (employee && managers.length < levels) {
      const parent = linkId(employee.parent_id);
      if (!parent || seen.has(parent)) break;
      seen.add(parent);
      [employee] = await this.employees([['id', '=', parent]]);
      const user = linkId(employee?.user_id);
      if (user) managers.push(user);
      else break;
    }
    const users = await this.users(managers);
    return managers.map((id) => users.find((u) => u.id === id)).filter((u): u is OdooUser => !!u);
  }

  async departmentManager(userId: number): Promise<OdooUser | null> {
    const [employee] = await this.employees([['user_id', '=', userId]]);
    const department = linkId(employee?.department_id);
    if (!department) return null;
    const [dept] = await this.odoo.read('hr.department', [department], ['manager_id']);
    const managerEmployee = linkId(dept?.manager_id);
    if (!managerEmployee) return null;
    const [manager] = await this.employees([['id', '=', managerEmployee]]);
    const user = linkId(manager?.user_id);
    return user ? ((await this.users([user]))[0] ?? null) : null;
  }
}
