/**
 * The narrow interfaces the flow engine talks to. Adapters in `src/odoo`,
 * `src/bot`, `src/store`, `src/audit` and `src/queue` implement them; only
 * `src/main.ts` wires concrete adapters.
 */
import type { CardModel } from './card.js';
import type { DomainRecord } from './domain-fields.js';
import type {
  AuditEntry,
  AuditEntryInput,
  AuditVerifyResult,
  Case,
  CaseSnapshot,
  CaseStatus,
  ChatActor,
  ChatTarget,
  Decision,
  DecisionStatus,
  Delegation,
  Domain,
  FieldValue,
  OdooRecord,
  OdooServerVersion,
  OdooUser,
  PostedMessageRef,
} from './types.js';

/**
 * Odoo, whatever the protocol. Values come back normalised (see `FieldValue`).
 * Errors are `AppError`s: `odoo.unreachable`/`odoo.server_error` (transient),
 * `odoo.access_denied` (bad credentials), `odoo.access_error` (forbidden),
 * `odoo.user_error`/`odoo.missing` (user), `odoo.fault` (internal).
 */
export interface OdooGateway {
  version(): Promise<OdooServerVersion>;
  /** The uid of the service account; throws `odoo.access_denied` on bad credentials. */
  authenticate(): Promise<number>;
  read(model: string, ids: number[], fields: string[]): Promise<OdooRecord[]>;
  searchRead(
    model: string,
    domain: Domain,
    fields: string[],
    options?: { order?: string; limit?: number; offset?: number },
  ): Promise<OdooRecord[]>;
  /** Ids in `order` (Odoo's default: the model's `_order`), ties by id; `offset` skips that many first. */
  search(
    model: string,
    domain: Domain,
    options?: { order?: string; limit?: number; offset?: number },
  ): Promise<number[]>;
  /** Field names of a model, with their types and whether Odoo stores them (from `fields_get`), cached. */
  fields(model: string): Promise<Record<string, { type: string; string: string; relation?: string; store: boolean }>>;
  /**
   * Calls a public method on records. Odoo's "cannot marshal None" fault is
   * the success it is and comes back as `null`.
   */
  callMethod(model: string, method: string, ids: number[], kwargs?: Record<string, unknown>): Promise<unknown>;
  /** Creates a record (wizards such as hr.expense.refuse.wizard) and returns its id. */
  create(model: string, values: Record<string, unknown>): Promise<number>;
  /** Schedules a to-do activity on a record for a user (mail.activity). */
  scheduleActivity(
    model: string,
    id: number,
    activity: { userId: number; summary: string; note?: string; deadline?: string },
  ): Promise<number>;
  /** Posts an internal note in the record's chatter; `html` is trusted HTML. */
  postNote(model: string, id: number, html: string): Promise<number | null>;
  /** Active internal users of a group given by XML id (`purchase.group_purchase_manager`). */
  groupMembers(xmlId: string): Promise<OdooUser[]>;
  /** The active internal user whose email or login is this address, if exactly one. */
  findUserByEmail(email: string): Promise<OdooUser | null>;
  users(ids: number[]): Promise<OdooUser[]>;
  /** Link to the record in Odoo's web client. */
  recordUrl(model: string, id: number): string;
}

/**
 * A chat platform (Slack, Microsoft Teams). Block Kit and Adaptive Card JSON
 * never leave the adapter. Several platforms run at once; the flow engine
 * posts to each and routes replies by the platform of a ref or an actor.
 */
export interface ChatPlatform {
  readonly platform: 'slack' | 'teams';
  /**
   * The conversation this platform posts a flow's channel cards in: the one
   * the policy names for this platform, or one an admin linked from chat.
   * Null when there is none yet (then only DMs go out).
   */
  channelFor(flowId: string): Promise<string | null>;
  postCard(target: ChatTarget, card: CardModel): Promise<PostedMessageRef>;
  updateCard(ref: PostedMessageRef, card: CardModel): Promise<void>;
  /** Posts a reply in the thread under a channel card (reminders, escalations, answers). */
  postReply(ref: PostedMessageRef, text: string): Promise<void>;
  /** The chat user id for an email, or null when nobody in the workspace has it. */
  findUserByEmail(email: string): Promise<string | null>;
  /** The verified email of a chat user, or null when the platform has none. */
  userEmail(userId: string): Promise<string | null>;
  /**
   * Tells one person something only they see: ephemeral in `channelId` when
   * given, otherwise a direct message.
   */
  tellUser(actor: ChatActor, text: string, context?: { channelId?: string; responseUrl?: string }): Promise<void>;
}

export interface NewCase {
  flowId: string;
  odooModel: string;
  odooId: number;
  snapshot: Case['snapshot'];
  requesterIds: number[];
  approvers: Case['approvers'];
  tiers?: Case['tiers'];
  timers?: Case['timers'];
}

export interface NewDelegation {
  fromOdooUserId: number;
  fromName: string;
  toOdooUserId: number;
  toName: string;
  startsAt: Date;
  endsAt: Date;
  source: Delegation['source'];
  createdBy: string;
}

export interface NewDecision {
  caseId: string;
  idempotencyKey: string;
  action: Decision['action'];
  actor: ChatActor;
  reason: string | null;
  cardWriteDate: string | null;
  tier?: number | null;
}

/** Which cases `Store.listCases` returns, and from where. */
export interface CaseListFilter {
  status?: CaseStatus[];
  flowId?: string;
  limit?: number;
  /** The last case of the previous page: the listing continues after it. */
  afterId?: string;
}

/** Persistent state. Everything here must survive a restart. */
export interface Store {
  /** Opens a case unless one is already open for this flow and record. */
  openCase(input: NewCase): Promise<{ created: boolean; case: Case }>;
  getCase(id: string): Promise<Case | null>;
  findActiveCase(flowId: string, odooModel: string, odooId: number): Promise<Case | null>;
  /** The most recently created case of this flow for the record, whatever its status. */
  findLatestCase(flowId: string, odooModel: string, odooId: number): Promise<Case | null>;
  /**
   * Oldest first (creation time, then a fixed tie-break), at most `limit`
   * (default 100). `afterId` continues after that case in the same order:
   * keyset paging, so pages stay whole while cases change status; an unknown
   * id gives nothing. Use `eachCasePage` (flows/paged.ts) to read them all.
   */
  listCases(filter: CaseListFilter): Promise<Case[]>;
  updateCaseSnapshot(id: string, snapshot: Case['snapshot']): Promise<void>;
  /**
   * Atomically moves `open` → `deciding` for this decision. Returns false when
   * the case was not open (someone else won).
   */
  claimCase(caseId: string, decisionId: string): Promise<boolean>;
  /** Sets the status, closing the case when the status is final. */
  setCaseStatus(caseId: string, status: CaseStatus): Promise<void>;
  /**
   * Writes the case's mutable state (status, snapshot, approvers, tiers,
   * currentTier, timers, infoRequests, decisionId) if nobody saved it since
   * it was read (`c.version`). Returns the saved case with the next version,
   * or null on a conflict: re-read and decide again.
   */
  saveCase(c: Case): Promise<Case | null>;

  addDelegation(input: NewDelegation): Promise<Delegation>;
  /** Ends the chat delegations from this user that are still running at `at`; returns how many. */
  endDelegations(fromOdooUserId: number, at: Date): Promise<number>;
  /** Delegations running at `at` (startsAt <= at < endsAt), optionally from one user. */
  listDelegations(filter: { activeAt: Date; fromOdooUserId?: number }): Promise<Delegation[]>;

  /** Records a click; the same idempotency key returns the existing decision. */
  recordDecision(input: NewDecision): Promise<{ created: boolean; decision: Decision }>;
  getDecision(id: string): Promise<Decision | null>;
  /** Decisions not yet final (queued or applying), for the reconciler. */
  listUnfinishedDecisions(olderThan: Date): Promise<Decision[]>;
  updateDecision(
    id: string,
    patch: Partial<
      Pick<Decision, 'status' | 'odooUserId' | 'odooUserName' | 'outcome' | 'appliedAt' | 'chatterPostedAt'>
    >,
  ): Promise<Decision>;
  /**
   * Moves a decision to a final status and appends its audit entry in one
   * transaction, only if it is not final already. Returns false when it was.
   */
  finishDecision(
    id: string,
    status: Extract<DecisionStatus, 'applied' | 'refused' | 'superseded' | 'failed'>,
    outcome: string | null,
    audit: AuditEntryInput,
  ): Promise<boolean>;

  addPostedMessage(caseId: string, ref: PostedMessageRef): Promise<void>;
  listPostedMessages(caseId: string): Promise<PostedMessageRef[]>;

  /** Cached chat-user → Odoo-user links (by verified email). */
  getIdentity(
    platform: string,
    chatUserId: string,
  ): Promise<{ odooUserId: number; email: string; checkedAt: Date } | null>;
  saveIdentity(platform: string, chatUserId: string, odooUserId: number, email: string): Promise<void>;

  getCheckpoint(key: string): Promise<string | null>;
  setCheckpoint(key: string, value: string): Promise<void>;
  /**
   * Sets a checkpoint only if the key has none yet; true when this call set
   * it. For effects that must happen once although several processes (or a
   * double click) may race to do them, such as sharing an answer in a channel.
   */
  claimCheckpoint(key: string, value: string): Promise<boolean>;

  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Append-only, hash-chained audit log. */
export interface AuditLog {
  append(entry: AuditEntryInput): Promise<AuditEntry>;
  verify(): Promise<AuditVerifyResult>;
  /** Entries in order, streamed so an export of millions stays small in memory. */
  entries(options?: { caseId?: string; fromSeq?: number }): AsyncIterable<AuditEntry>;
}

export interface JobOptions {
  /** Deduplicates: a second job with the same id is ignored while the first exists. */
  jobId?: string;
  delayMs?: number;
  attempts?: number;
  /** Exponential backoff base in ms for transient failures. */
  backoffMs?: number;
}

export interface JobContext<T> {
  id: string;
  name: string;
  data: T;
  /** 1 for the first try. */
  attempt: number;
  maxAttempts: number;
}

/**
 * Queues and timers. A handler that throws a transient `AppError` is retried
 * with backoff; any other error fails the job for good.
 */
export interface JobQueue {
  enqueue<T>(queue: string, name: string, data: T, options?: JobOptions): Promise<void>;
  /** Removes a waiting or delayed job; false when there was none. */
  cancel(queue: string, jobId: string): Promise<boolean>;
  /** Runs `fn` every `everyMs` in exactly one process of the deployment. */
  schedule(queue: string, schedulerId: string, everyMs: number, name: string, data: unknown): Promise<void>;
  process<T>(
    queue: string,
    handler: (job: JobContext<T>) => Promise<void>,
    options?: { concurrency?: number },
  ): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Per-user Odoo access for documents that Odoo attributes to the caller
 * (approval.request): a gateway logged in with the person's own API key.
 */
export interface UserOdooAccess {
  /** Null when the person has not linked a key (`/odoo link`). */
  gatewayFor(odooUserId: number): Promise<OdooGateway | null>;
}

export interface Clock {
  now(): Date;
}

/** The subset of pino the domain uses; log fields are `caseId`, `odooModel`, `odooId`, `platform`, `jobId`, `actor`. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoadedDocument {
  snapshot: CaseSnapshot;
  /** Odoo user ids named by the flow's requester fields (buyer, creator, ...). */
  requesterIds: number[];
  /** The total in the company's currency (converted with Odoo's rate), for tier amount bounds. */
  companyAmount: number | null;
  /** The extra fields asked for, normalised (e.g. `user_id` for a `field:` approver source). */
  values: Record<string, FieldValue>;
}

/**
 * People in Odoo: the answers approver sources need. Implemented over the
 * Odoo gateway (res.users, res.groups, hr.employee, hr.department).
 */
export interface Directory {
  groupMembers(xmlId: string): Promise<OdooUser[]>;
  /** Active internal users whose login or email is one of `keys` (case-insensitive). */
  usersByKeys(keys: string[]): Promise<OdooUser[]>;
  users(ids: number[]): Promise<OdooUser[]>;
  /** The user's managers through hr.employee.parent_id: index 0 is the direct manager. Missing levels are left out. */
  managerChain(userId: number, levels: number): Promise<OdooUser[]>;
  /** The manager of the department of the user's employee, if any. */
  departmentManager(userId: number): Promise<OdooUser | null>;
}

/** Records as domains read them (`DocumentSource.readForDomains`). */
export interface DomainRead {
  /**
   * The records found, by id: the first field of every path normalised as
   * `FieldValue`, the related record nested in place of its link along a
   * dotted path (with `display_name`), and `active` when the model has it
   * (Odoo's search hides archived records). Missing ids are left out.
   */
  records: Map<number, DomainRecord>;
  /** Dotted paths not loaded, with why (an x2many hop, a non-stored field); domains using one are asked of Odoo. */
  unread: Map<string, string>;
}

/**
 * Reads approval documents the way a card needs them. The Odoo adapter knows
 * which fields each model has; the flow engine only sees snapshots.
 */
export interface DocumentSource {
  /** Null when the record does not exist (deleted, or not visible to the bot). */
  load(model: string, id: number, requesterFields: string[], extraFields?: string[]): Promise<LoadedDocument | null>;
  /** Which of `ids` match the domain, asked of Odoo itself so dotted paths work. */
  matchingIds(model: string, domain: Domain, ids: number[]): Promise<number[]>;
  /**
   * The records as these domains read them, for deciding the domains
   * without a `search` per domain (flows/record-matches.ts): the fields
   * `domainPaths` lists, in one read per model per hop.
   */
  readForDomains(model: string, ids: number[], domains: Domain[]): Promise<DomainRead>;
  /**
   * One page of the records matching the domain and changed at or after
   * `since` (null: any time): in id order, after `page.afterId` (0: from the
   * first), at most `page.limit`. Keyset paging, so a record leaving the
   * domain while a poller walks the pages does not shift the rest; walk them
   * with `walkRecords` (flows/paged.ts).
   */
  changedSince(
    model: string,
    domain: Domain,
    since: Date | null,
    page: { afterId: number; limit: number },
  ): Promise<Array<{ id: number; writeDate: Date | null }>>;
}
