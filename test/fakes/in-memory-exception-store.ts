import { randomUUID } from 'node:crypto';
import type { ExceptionListFilter, ExceptionStore, NewException } from '../../src/flows/exceptions/ports.js';
import {
  ACTIVE_EXCEPTION_STATUSES,
  type ExceptionItem,
  type ExceptionStatus,
} from '../../src/flows/exceptions/types.js';
import type { Clock } from '../../src/flows/ports.js';
import type { PostedMessageRef } from '../../src/flows/types.js';

/** What jsonb gives back: the JSON round trip, dates kept as dates. */
function copy(item: ExceptionItem): ExceptionItem {
  const { createdAt, updatedAt, closedAt, ...rest } = item;
  return { ...(JSON.parse(JSON.stringify(rest)) as typeof rest), createdAt, updatedAt, closedAt };
}

const FINAL: ExceptionStatus[] = ['resolved', 'auto_closed'];

/** `ExceptionStore` in memory with `PgExceptionStore`'s rules (key unique for ever, one active per record). */
export class InMemoryExceptionStore implements ExceptionStore {
  private readonly items = new Map<string, ExceptionItem>();
  private readonly posted: Array<{ exceptionId: string; ref: PostedMessageRef }> = [];

  constructor(private readonly clock: Clock = { now: () => new Date() }) {}

  async open(input: NewException): Promise<{ created: boolean; item: ExceptionItem }> {
    const existing =
      input.key !== null
        ? await this.findByKey(input.key)
        : input.source === 'odoo' && input.odooModel && input.odooId !== null
          ? await this.findActive(input.definitionId, input.odooModel, input.odooId)
          : null;
    if (existing) return { created: false, item: existing };
    const now = this.clock.now();
    const item: ExceptionItem = {
      ...structuredClone(input),
      id: randomUUID(),
      status: 'open',
      statusBeforeSnooze: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    this.items.set(item.id, copy(item));
    return { created: true, item: copy(item) };
  }

  async get(id: string): Promise<ExceptionItem | null> {
    const item = this.items.get(id);
    return item ? copy(item) : null;
  }

  async findByKey(key: string): Promise<ExceptionItem | null> {
    const item = [...this.items.values()].find((i) => i.key === key);
    return item ? copy(item) : null;
  }

  async findActive(definitionId: string, odooModel: string, odooId: number): Promise<ExceptionItem | null> {
    const item = this.forRecord(definitionId, odooModel, odooId).find((i) =>
      ACTIVE_EXCEPTION_STATUSES.includes(i.status),
    );
    return item ? copy(item) : null;
  }

  async findLatest(definitionId: string, odooModel: string, odooId: number): Promise<ExceptionItem | null> {
    const item = this.forRecord(definitionId, odooModel, odooId).at(-1);
    return item ? copy(item) : null;
  }

  /** Oldest first, ties in the order opened; `afterId` continues after that exception. */
  async list(filter: ExceptionListFilter): Promise<ExceptionItem[]> {
    const ordered = [...this.items.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const start = filter.afterId === undefined ? 0 : ordered.findIndex((i) => i.id === filter.afterId) + 1;
    if (start === 0 && filter.afterId !== undefined) return [];
    return ordered
      .slice(start)
      .filter((i) => !filter.status || filter.status.includes(i.status))
      .filter((i) => !filter.definitionId || i.definitionId === filter.definitionId)
      .slice(0, filter.limit ?? 1000)
      .map(copy);
  }

  async save(item: ExceptionItem): Promise<ExceptionItem | null> {
    const stored = this.items.get(item.id);
    if (!stored || stored.version !== item.version) return null;
    const now = this.clock.now();
    const final = FINAL.includes(item.status);
    const saved: ExceptionItem = {
      ...copy(item),
      version: stored.version + 1,
      createdAt: stored.createdAt,
      updatedAt: now,
      closedAt: final ? (stored.closedAt ?? now) : null,
    };
    this.items.set(item.id, saved);
    return copy(saved);
  }

  async addPostedMessage(exceptionId: string, ref: PostedMessageRef): Promise<void> {
    if (this.posted.some((p) => p.ref.channelId === ref.channelId && p.ref.messageId === ref.messageId)) return;
    this.posted.push({ exceptionId, ref: { ...ref } });
  }

  async listPostedMessages(exceptionId: string): Promise<PostedMessageRef[]> {
    return this.posted.filter((p) => p.exceptionId === exceptionId).map((p) => ({ ...p.ref }));
  }

  private forRecord(definitionId: string, odooModel: string, odooId: number): ExceptionItem[] {
    return [...this.items.values()]
      .filter(
        (i) =>
          i.source === 'odoo' && i.definitionId === definitionId && i.odooModel === odooModel && i.odooId === odooId,
      )
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }
}
