/**
 * Employees (`addons/hr`, with the fields `hr_expense` adds): the org chart
 * the approver sources walk (`parent_id`, `department_id.manager_id`,
 * `expense_manager_id`). `hr.employee.public` is Odoo's SQL view over the
 * same rows, with only the fields any internal user may read.
 */
import { char, flag, m2o, o2m } from './fake-odoo-fields.js';
import type { FakeField, FakeModel, FakeOdooVersion } from './fake-odoo-schema.js';

/** Fields both `hr.employee` and `hr.employee.public` have; relations point at `employeeModel`. */
function employeeFields(employeeModel: string): Record<string, FakeField> {
  return {
    name: char('Employee Name'),
    active: flag('Active', true),
    user_id: m2o('res.users', 'User'),
    parent_id: m2o(employeeModel, 'Manager'),
    coach_id: m2o(employeeModel, 'Coach'),
    department_id: m2o('hr.department', 'Department'),
    job_title: char('Job Title'),
    work_email: char('Work Email'),
    company_id: m2o('res.company', 'Company'),
    // hr_expense: the user who approves this employee's expenses (a res.users, not an employee).
    expense_manager_id: m2o('res.users', 'Expense'),
    child_ids: o2m(employeeModel, 'parent_id', 'Direct subordinates'),
  };
}

/** The fields `hr.employee.public` exposes: what a user without HR rights may read on `hr.employee`. */
export const PUBLIC_EMPLOYEE_FIELDS = new Set([
  'id',
  'display_name',
  ...Object.keys(employeeFields('hr.employee.public')),
  'create_uid',
  'create_date',
  'write_uid',
  'write_date',
]);

export function hrModels(_version: FakeOdooVersion): FakeModel[] {
  return [
    {
      name: 'hr.department',
      description: 'Department',
      order: 'name',
      recName: 'name',
      mailThread: true,
      fields: {
        name: char('Department Name'),
        active: flag('Active', true),
        manager_id: m2o('hr.employee', 'Manager'),
        parent_id: m2o('hr.department', 'Parent Department'),
        company_id: m2o('res.company', 'Company'),
        member_ids: o2m('hr.employee', 'department_id', 'Members'),
      },
    },
    {
      name: 'hr.employee',
      description: 'Employee',
      order: 'name',
      recName: 'name',
      mailThread: true,
      fields: {
        ...employeeFields('hr.employee'),
        private_email: char('Private Email'),
        private_phone: char('Private Phone'),
      },
    },
    {
      name: 'hr.employee.public',
      description: 'Public Employee',
      order: 'name',
      recName: 'name',
      table: 'hr.employee',
      fields: employeeFields('hr.employee.public'),
    },
  ];
}
