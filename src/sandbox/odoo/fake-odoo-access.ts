/**
 * Model access (`ir.model.access`) as the fake enforces it before any ORM or
 * business method: per-model groups, the read-only `hr.employee.public`
 * view, and `hr.employee`'s fallback for users without HR rights (they may
 * read the public fields only, as `HrEmployee.read` redirects them).
 */
import type { FakeOdooDb } from './fake-odoo-db.js';
import { fakeFaults } from './fake-odoo-faults.js';
import { PUBLIC_EMPLOYEE_FIELDS } from './fake-odoo-schema-hr.js';
import { hasGroup } from './fake-odoo-seed.js';

/** Models that need a group to touch at all, with the group's display name for the message. */
const MODEL_GROUPS: Record<string, [xmlId: string, label: string]> = {
  'purchase.order': ['purchase.group_purchase_user', 'Purchase/User'],
  'purchase.order.line': ['purchase.group_purchase_user', 'Purchase/User'],
  'sale.order': ['sales_team.group_sale_salesman', 'Sales/User: Own Documents Only'],
  'sale.order.line': ['sales_team.group_sale_salesman', 'Sales/User: Own Documents Only'],
  'approval.category': ['approvals.group_approval_user', 'Approvals/User'],
  'approval.request': ['approvals.group_approval_user', 'Approvals/User'],
  'approval.approver': ['approvals.group_approval_user', 'Approvals/User'],
};

const WRITES = new Set(['create', 'write', 'unlink']);

export function checkModelAccess(
  db: FakeOdooDb,
  uid: number,
  model: string,
  method: string,
  fields: string[] | undefined,
): void {
  const m = db.model(model);
  const needed = MODEL_GROUPS[model];
  if (needed && !hasGroup(db, uid, needed[0])) {
    throw fakeFaults.accessError(
      `You are not allowed to access '${m.description}' (${model}) records.\n\n` +
        `This operation is allowed for the following groups:\n\t- ${needed[1]}\n\n` +
        'Contact your administrator to request access if necessary.',
    );
  }
  if (model === 'hr.employee.public' && WRITES.has(method)) {
    throw fakeFaults.accessError(
      `You are not allowed to modify '${m.description}' (${model}) records.\n\n` +
        'It is a read-only view of hr.employee; write to hr.employee instead.',
    );
  }
  if (model !== 'hr.employee' || hasGroup(db, uid, 'hr.group_hr_user')) return;
  if (WRITES.has(method)) {
    throw fakeFaults.accessError(
      `You are not allowed to modify 'Employee' (hr.employee) records.\n\n` +
        'This operation is allowed for the following groups:\n\t- Employees/Officer: Manage all employees\n\n' +
        'Contact your administrator to request access if necessary.',
    );
  }
  if (method === 'read' || method === 'search_read') {
    const asked = fields && fields.length > 0 ? fields : Object.keys(m.fields);
    const privateFields = asked.filter((f) => !PUBLIC_EMPLOYEE_FIELDS.has(f));
    if (privateFields.length > 0) {
      throw fakeFaults.accessError(
        `The fields "${privateFields.join(',')}" you try to read is not available on the public employee profile.`,
      );
    }
  }
}
