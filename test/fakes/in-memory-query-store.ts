import type { QueryStore } from '../../src/flows/queries/ports.js';
import type { AuditEntry, Case } from '../../src/flows/types.js';
import type { InMemoryAuditLog } from './in-memory-audit-log.js';
import type { InMemoryStore } from './in-memory-store.js';

const ALL = Number.MAX_SAFE_INTEGER;

/** The query port over the in-memory store and audit log, answering like `PgQueryStore`. */
export class InMemoryQueryStore implements QueryStore {
  constructor(
    private readonly store: InMemoryStore,
    private readonly audit: InMemoryAuditLog,
  ) {}

  private async all(): Promise<Case[]> {
    return this.store.listCases({ limit: ALL });
  }

  async casesByReference(reference: string, limit = 20, offset = 0): Promise<Case[]> {
    const q = reference.toLowerCase();
    return (await this.all())
      .filter((c) => c.snapshot.reference.toLowerCase() === q)
      .reverse()
      .slice(offset, offset + limit);
  }

  async recentReferences(limit: number): Promise<Array<{ caseId: string; reference: string }>> {
    return (await this.all())
      .reverse()
      .slice(0, limit)
      .map((c) => ({ caseId: c.id, reference: c.snapshot.reference }));
  }

  async waitingCases(filter: { flowId?: string | undefined }): Promise<Case[]> {
    return this.store.listCases({ status: ['open', 'info_requested'], flowId: filter.flowId, limit: ALL });
  }

  async casesOpenedSince(since: Date, filter: { flowId?: string | undefined }): Promise<Case[]> {
    return (await this.store.listCases({ flowId: filter.flowId, limit: ALL })).filter(
      (c) => c.createdAt.getTime() >= since.getTime(),
    );
  }

  async lastCaseEvents(caseId: string, limit: number): Promise<AuditEntry[]> {
    return this.audit.list({ caseId }).slice(-limit);
  }

  async eventsSince(since: Date, types: string[]): Promise<AuditEntry[]> {
    return this.audit.list().filter((e) => e.at.getTime() >= since.getTime() && types.includes(e.type));
  }
}
