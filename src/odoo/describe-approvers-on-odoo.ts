import type { ApproverSource, Policy } from '../flows/policy.js';
import type { Directory } from '../flows/ports.js';

/** The source and the roles it names, one level deep (roles name no roles). */
export function expandRoles(policy: Pick<Policy, 'roles'>, source: ApproverSource): ApproverSource[] {
  return [source, ...(source.role ?? []).map((r) => policy.roles[r]).filter((x): x is ApproverSource => !!x)];
}

/**
 * Says who a static approver source names today, for `odoo-chatops check`;
 * sources that depend on the document are described. Throws when a group
 * has nobody or a named user is unknown, saying what to fix. `act` is what
 * the people would do ("approve", "act on these exceptions").
 */
export async function describeApproversOnOdoo(
  directory: Pick<Directory, 'groupMembers' | 'usersByKeys'>,
  policy: Pick<Policy, 'roles'>,
  source: ApproverSource,
  required: string[],
  act = 'approve',
): Promise<string> {
  const parts: string[] = [];
  for (const s of expandRoles(policy, source)) {
    for (const g of s.odooGroup ?? []) {
      const members = await directory.groupMembers(g);
      if (members.length === 0)
        throw new Error(
          `the Odoo group ${g} has no active internal user, so nobody could ${act}; add users to it in Odoo`,
        );
      parts.push(`${members.length} in ${g}`);
    }
    if (s.users?.length) {
      const found = await directory.usersByKeys(s.users);
      const missing = s.users.filter(
        (k) => !found.some((u) => [u.login, u.email].some((x) => x?.toLowerCase() === k.toLowerCase())),
      );
      if (missing.length)
        throw new Error(
          `no active internal Odoo user has the login or email ${missing.join(', ')}; fix "users" in the policy file`,
        );
      parts.push(`${found.length} named`);
    }
    if (s.field?.length) parts.push(`the document's ${s.field.join(', ')}`);
    if (s.manager) parts.push(`manager level ${s.manager.levels} of the requester`);
    if (s.departmentManager) parts.push("the requester's department manager");
  }
  if (required.length) {
    const found = await directory.usersByKeys(required);
    if (found.length < required.length)
      throw new Error(`a required approver (${required.join(', ')}) is not an active internal Odoo user`);
  }
  return parts.join(' + ') || 'nobody';
}
