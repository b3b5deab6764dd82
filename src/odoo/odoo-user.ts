import type { OdooRecord, OdooUser } from '../flows/types.js';

/** The res.users fields an `OdooUser` is made of. */
export const USER_FIELDS = ['id', 'name', 'login', 'email', 'active', 'share', 'tz'];

/** A normalised res.users record → `OdooUser`. */
export function toOdooUser(row: OdooRecord): OdooUser {
  return {
    id: row.id,
    name: typeof row.name === 'string' ? row.name : '',
    login: typeof row.login === 'string' ? row.login : '',
    email: typeof row.email === 'string' && row.email ? row.email : null,
    active: row.active === true,
    share: row.share === true,
    tz: typeof row.tz === 'string' && row.tz ? row.tz : null,
  };
}

/**
 * Escapes `%`, `_` and `\` so an `=like`/`=ilike` value matches literally:
 * Odoo hands the value to SQL `ILIKE` as a pattern, where `_` matches any
 * character (`a_b@x.com` would also match `axb@x.com`).
 */
export function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
