import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AppError } from '../errors.js';
import type { ExceptionListFilter, ExceptionStore, NewException } from '../flows/exceptions/ports.js';
import { ACTIVE_EXCEPTION_STATUSES, type ExceptionItem, type ExceptionStatus } from '../flows/exceptions/types.js';
import type { PostedMessageRef } from '../flows/types.js';
import { Database } from './database.js';
import { defaultSchema, quoteSchema } from './schema-name.js';
import { describeTarget, isUuid } from './store-errors.js';

interface ExceptionRow {
  id: string;
  status: ExceptionStatus;
  item: Omit<ExceptionItem, 'id' | 'status' | 'version' | 'createdAt' | 'updatedAt' | 'closedAt'>;
  version: number;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

const COLUMNS = 'id, status, item, version, created_at, updated_at, closed_at';
const ACTIVE = ACTIVE_EXCEPTION_STATUSES.map((s) => `'${s}'`).join(', ');
const FINAL: ExceptionStatus[] = ['resolved', 'auto_closed'];

function toItem(r: ExceptionRow): ExceptionItem {
  return {
    ...r.item,
    id: r.id,
    status: r.status,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
  };
}

/** The jsonb part of an item: everything but the columns. */
function body(item: Partial<ExceptionItem>): string {
  const { id: _i, status: _s, version: _v, createdAt: _c, updatedAt: _u, closedAt: _x, ...rest } = item;
  return JSON.stringify(rest);
}

/** `ExceptionStore` on PostgreSQL (or the embedded PGlite), in the store's schema (migration 5). */
export class PgExceptionStore implements ExceptionStore {
  private readonly db: Database;
  private readonly t: { exceptions: string; messages: string };

  constructor(pool: pg.Pool, options: { schema?: string; target?: string } = {}) {
    this.db = new Database(pool, options.target ?? describeTarget(''));
    const s = quoteSchema(options.schema ?? defaultSchema);
    this.t = { exceptions: `${s}.exceptions`, messages: `${s}.exception_messages` };
  }

  async open(input: NewException): Promise<{ created: boolean; item: ExceptionItem }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await this.db.transaction('open an exception', async (client) => {
        const inserted = await client.query<ExceptionRow>(
          `INSERT INTO ${this.t.exceptions} (id, definition_id, source, key, odoo_model, odoo_id, status, item)
           VALUES ($1, $2, $3, $4, $5, $6, 'open', $7)
           ON CONFLICT DO NOTHING
           RETURNING ${COLUMNS}`,
          [
            randomUUID(),
            input.definitionId,
            input.source,
            input.key,
            input.odooModel,
            input.odooId,
            body({ ...input, statusBeforeSnooze: null }),
          ],
        );
        if (inserted.rows[0]) return { created: true, item: toItem(inserted.rows[0]) };
        const existing =
          input.key !== null
            ? await client.query<ExceptionRow>(`SELECT ${COLUMNS} FROM ${this.t.exceptions} WHERE key = $1`, [
                input.key,
              ])
            : await client.query<ExceptionRow>(this.activeSql(), [input.definitionId, input.odooModel, input.odooId]);
        return existing.rows[0] ? { created: false, item: toItem(existing.rows[0]) } : null;
      });
      if (result) return result;
    }
    throw new AppError(
      'store.retry',
      'transient',
      `Could not open exception ${input.definitionId} for ${input.odooModel ?? input.key}: it kept opening and closing; try again.`,
    );
  }

  async get(id: string): Promise<ExceptionItem | null> {
    if (!isUuid(id)) return null;
    return this.one('read an exception', `SELECT ${COLUMNS} FROM ${this.t.exceptions} WHERE id = $1`, [id]);
  }

  async findByKey(key: string): Promise<ExceptionItem | null> {
    return this.one('find an exception by key', `SELECT ${COLUMNS} FROM ${this.t.exceptions} WHERE key = $1`, [key]);
  }

  async findActive(definitionId: string, odooModel: string, odooId: number): Promise<ExceptionItem | null> {
    return this.one('find an active exception', this.activeSql(), [definitionId, odooModel, odooId]);
  }

  async findLatest(definitionId: string, odooModel: string, odooId: number): Promise<ExceptionItem | null> {
    return this.one(
      'find the latest exception',
      `SELECT ${COLUMNS} FROM ${this.t.exceptions}
       WHERE definition_id = $1 AND odoo_model = $2 AND odoo_id = $3 AND source = 'odoo'
       ORDER BY created_at DESC, id DESC LIMIT 1`,
      [definitionId, odooModel, odooId],
    );
  }

  /** Oldest first; `afterId` compares against that row's stored `(created_at, id)` in SQL (microseconds kept). */
  async list(filter: ExceptionListFilter): Promise<ExceptionItem[]> {
    if (filter.afterId !== undefined && !isUuid(filter.afterId)) return [];
    const r = await this.db.query<ExceptionRow>(
      'list exceptions',
      `SELECT ${COLUMNS} FROM ${this.t.exceptions}
       WHERE ($1::text[] IS NULL OR status = ANY($1)) AND ($2::text IS NULL OR definition_id = $2)
         AND ($4::uuid IS NULL OR (created_at, id) > (SELECT created_at, id FROM ${this.t.exceptions} WHERE id = $4))
       ORDER BY created_at, id LIMIT $3`,
      [filter.status ?? null, filter.definitionId ?? null, filter.limit ?? 1000, filter.afterId ?? null],
    );
    return r.rows.map(toItem);
  }

  async save(item: ExceptionItem): Promise<ExceptionItem | null> {
    const final = FINAL.includes(item.status);
    return this.one(
      'save an exception',
      `UPDATE ${this.t.exceptions}
       SET status = $2, item = $3, version = version + 1, updated_at = now(),
           closed_at = CASE WHEN $4 THEN COALESCE(closed_at, now()) ELSE NULL END
       WHERE id = $1 AND version = $5
       RETURNING ${COLUMNS}`,
      [item.id, item.status, body(item), final, item.version],
    );
  }

  async addPostedMessage(exceptionId: string, ref: PostedMessageRef): Promise<void> {
    await this.db.query(
      'remember a posted exception card',
      `INSERT INTO ${this.t.messages} (exception_id, platform, channel_id, message_id, kind, recipient)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [exceptionId, ref.platform, ref.channelId, ref.messageId, ref.kind, ref.recipient ?? null],
    );
  }

  async listPostedMessages(exceptionId: string): Promise<PostedMessageRef[]> {
    if (!isUuid(exceptionId)) return [];
    const r = await this.db.query<{
      platform: PostedMessageRef['platform'];
      channel_id: string;
      message_id: string;
      kind: PostedMessageRef['kind'];
      recipient: string | null;
    }>(
      'list posted exception cards',
      `SELECT platform, channel_id, message_id, kind, recipient FROM ${this.t.messages} WHERE exception_id = $1 ORDER BY id`,
      [exceptionId],
    );
    return r.rows.map((m) => ({
      platform: m.platform,
      channelId: m.channel_id,
      messageId: m.message_id,
      kind: m.kind,
      ...(m.recipient ? { recipient: m.recipient } : {}),
    }));
  }

  private activeSql(): string {
    return `SELECT ${COLUMNS} FROM ${this.t.exceptions}
            WHERE definition_id = $1 AND odoo_model = $2 AND odoo_id = $3 AND source = 'odoo' AND status IN (${ACTIVE})`;
  }

  private async one(operation: string, sql: string, values: unknown[]): Promise<ExceptionItem | null> {
    const r = await this.db.query<ExceptionRow>(operation, sql, values);
    return r.rows[0] ? toItem(r.rows[0]) : null;
  }
}
