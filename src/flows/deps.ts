import type { ContextDeps } from './context-ports.js';
import type { ExceptionStore } from './exceptions/ports.js';
import type { Metrics } from './metrics-port.js';
import type { Policy } from './policy.js';
import type {
  AuditLog,
  ChatPlatform,
  Clock,
  Directory,
  DocumentSource,
  JobQueue,
  Logger,
  OdooGateway,
  Store,
  UserOdooAccess,
} from './ports.js';
import type { QueryStore } from './queries/ports.js';

/** Everything a use case may touch, passed in by `main.ts`. */
export interface FlowDeps {
  policy: Policy;
  odoo: OdooGateway;
  documents: DocumentSource;
  directory: Directory;
  store: Store;
  audit: AuditLog;
  queue: JobQueue;
  /** The primary chat platform (the first configured). */
  chat: ChatPlatform;
  /** All configured platforms; absent means just `chat`. */
  chats?: ChatPlatform[];
  clock: Clock;
  log: Logger;
  /** Per-person Odoo access for `asApprover` actions; unset when per-user keys are off (no CREDENTIALS_KEY). */
  userOdoo?: UserOdooAccess;
  /** Billing exceptions (src/flows/exceptions); unset, exception definitions are ignored. */
  exceptions?: ExceptionStore;
  /** Read-only questions for `/odoo status`, `pending` and `sla`; unset, those commands say they are not available. */
  queries?: QueryStore;
  /** Context facts, risk flags and the optional AI summary on cards; unset, cards show the plain summary. */
  context?: ContextDeps;
  /** Counters for `/metrics`; unset, nothing is counted (read it with `metricsOf`). */
  metrics?: Metrics;
}
