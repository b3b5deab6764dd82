import { randomUUID } from 'node:crypto';
import type { NewDelegation } from '../flows/ports.js';
import type { Delegation } from '../flows/types.js';
import type { Database } from './database.js';
import { type DelegationRow, delegationColumns, toDelegation } from './rows.js';

/**
 * Delegations in PostgreSQL, for `PgStore`. A delegation runs over the
 * half-open window `[starts_at, ends_at)`; ending one early moves `ends_at`,
 * so the row stays as the record of who could act for whom and when.
 */
export class PgDelegations {
  constructor(
    private readonly db: Database,
    /** The quoted `delegations` table. */
    private readonly table: string,
  ) {}

  async add(input: NewDelegation): Promise<Delegation> {
    const r = await this.db.query<DelegationRow>(
      'add a delegation',
      `INSERT INTO ${this.table}
         (id, from_odoo_user_id, from_name, to_odoo_user_id, to_name, starts_at, ends_at, source, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${delegationColumns}`,
      [
        randomUUID(),
        input.fromOdooUserId,
        input.fromName,
        input.toOdooUserId,
        input.toName,
        input.startsAt,
        input.endsAt,
        input.source,
        input.createdBy,
      ],
    );
    return toDelegation(r.rows[0]!);
  }

  /** Only chat delegations: standing ones come from the policy file and end when it says. */
  async end(fromOdooUserId: number, at: Date): Promise<number> {
    const r = await this.db.query(
      'end delegations',
      `UPDATE ${this.table} SET ends_at = $2
       WHERE from_odoo_user_id = $1 AND source = 'chat' AND ends_at > $2`,
      [fromOdooUserId, at],
    );
    return r.rowCount ?? 0;
  }

  /** Ordered by start, then creation. */
  async list(filter: { activeAt: Date; fromOdooUserId?: number }): Promise<Delegation[]> {
    const values: unknown[] = [filter.activeAt];
    let from = '';
    if (filter.fromOdooUserId !== undefined) {
      values.push(filter.fromOdooUserId);
      from = 'AND from_odoo_user_id = $2';
    }
    const r = await this.db.query<DelegationRow>(
      'list delegations',
      `SELECT ${delegationColumns} FROM ${this.table}
       WHERE starts_at <= $1 AND ends_at > $1 ${from}
       ORDER BY starts_at, created_at, id`,
      values,
    );
    return r.rows.map(toDelegation);
  }
}
