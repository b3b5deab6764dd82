import { parsePolicy } from '../../src/config/policy.js';
import { applyDecision } from '../../src/flows/apply-decision.js';
import type { FlowDeps } from '../../src/flows/deps.js';
import { ingestRecord } from '../../src/flows/ingest-record.js';
import type { ApplyDecisionJob } from '../../src/flows/jobs.js';
import { type ApprovalFlow, DEFAULT_CALENDAR, type Policy } from '../../src/flows/policy.js';
import type { NewDecision } from '../../src/flows/ports.js';
import { requestDecision } from '../../src/flows/request-decision.js';
import type { Case, ChatActor, Decision, OdooRecord } from '../../src/flows/types.js';
import { registerWorkers } from '../../src/queue/register-workers.js';
import { APPROVER_GROUP, aFlow, aPurchaseOrder, PEOPLE, PURCHASE } from './builders.js';
import { FakeChatPlatform } from './fake-chat-platform.js';
import { FakeDirectory } from './fake-directory.js';
import { FakeDocumentSource } from './fake-document-source.js';
import { FakeOdooGateway } from './fake-odoo-gateway.js';
import { FixedClock } from './fixed-clock.js';
import { InMemoryAuditLog } from './in-memory-audit-log.js';
import { InMemoryJobQueue } from './in-memory-job-queue.js';
import { InMemoryStore } from './in-memory-store.js';
import { RecordingLogger } from './recording-logger.js';

export interface TestWorld {
  deps: FlowDeps;
  flow: ApprovalFlow;
  clock: FixedClock;
  store: InMemoryStore;
  audit: InMemoryAuditLog;
  queue: InMemoryJobQueue;
  chat: FakeChatPlatform;
  odoo: FakeOdooGateway;
  directory: FakeDirectory;
  documents: FakeDocumentSource;
  log: RecordingLogger;
  /** Adds a purchase order waiting for approval; returns its id. */
  addOrder(overrides?: Partial<OdooRecord>): number;
  /** Runs ingestion for an order and returns its active case. */
  openCaseFor(odooId: number): Promise<Case>;
  /** The chat actor of one of `PEOPLE` (or any chat user id). */
  actor(userId: string): ChatActor;
  /** A click recorded through `requestDecision`, as the chat adapter does. */
  click(caseId: string, userId: string, overrides?: Partial<NewDecision>): Promise<Decision>;
  /** An extra Odoo user (login = email), with a chat account when `chat` is given. */
  addPerson(id: number, name: string, email: string, chatId?: string | null, tz?: string | null): void;
  /** Binds every queue to its use case (as `main.ts` does), so `queue.runUntilIdle()` runs the whole flow. */
  startWorkers(): Promise<void>;
  /** Runs the decision worker once, as attempt `attempt` of `maxAttempts`. */
  apply(decisionId: string, attempt?: number, maxAttempts?: number, job?: Partial<ApplyDecisionJob>): Promise<void>;
}

/**
 * Flow dependencies on in-memory fakes, seeded with the people of
 * `PEOPLE`: admin, marc and bob approve (group `purchase.group_purchase_manager`),
 * eve does not; bob has no chat account. `button_approve` sets the order to
 * `purchase`, `button_cancel` to `cancel`.
 *
 * With `policyYaml`, the policy is that file parsed by `parsePolicy` (as at
 * start-up) and `flow` is its first approval flow, so tests read like the docs.
 */
export function buildDeps(
  options: { flow?: Partial<ApprovalFlow>; policyYaml?: string; now?: Date | string } = {},
): TestWorld {
  const parsed = options.policyYaml ? parsePolicy(options.policyYaml, 'test-policy.yaml') : null;
  const flow = parsed ? { ...parsed.approvals[0]!, ...options.flow } : aFlow(options.flow);
  const clock = new FixedClock(options.now);
  const audit = new InMemoryAuditLog(clock);
  const store = new InMemoryStore({ audit, clock });
  const queue = new InMemoryJobQueue(clock);
  const chat = new FakeChatPlatform('slack');
  const odoo = new FakeOdooGateway(clock);
  const documents = new FakeDocumentSource(odoo);
  const log = new RecordingLogger();

  for (const p of Object.values(PEOPLE)) {
    odoo.addUser({ ...p.odoo, login: p.odoo.email });
    if (p.chat) chat.addUser(p.chat, p.odoo.email);
  }
  odoo.setGroup(APPROVER_GROUP, [PEOPLE.admin.odoo.id, PEOPLE.marc.odoo.id, PEOPLE.bob.odoo.id]);
  odoo.onMethod(PURCHASE, 'button_approve', (r) => {
    r.state = 'purchase';
  });
  odoo.onMethod(PURCHASE, 'button_cancel', (r) => {
    r.state = 'cancel';
  });

  const policy: Policy = parsed
    ? { ...parsed, approvals: [flow, ...parsed.approvals.slice(1)] }
    : { calendar: DEFAULT_CALENDAR, roles: {}, delegations: [], approvals: [flow] };
  chat.channels = (flowId) => policy.approvals.find((f) => f.id === flowId)?.slack?.channel ?? null;
  const directory = new FakeDirectory(odoo);
  const deps: FlowDeps = { policy, odoo, documents, directory, store, audit, queue, chat, clock, log };
  const actor = (userId: string): ChatActor => {
    const person = Object.values(PEOPLE).find((p) => p.chat === userId);
    return { platform: 'slack', userId, teamId: 'T-TEST', displayName: person?.odoo.name ?? userId };
  };
  let clicks = 0;

  return {
    deps,
    flow,
    clock,
    store,
    audit,
    queue,
    chat,
    odoo,
    documents,
    directory,
    log,
    addOrder: (overrides = {}) => odoo.put(flow.model, aPurchaseOrder(overrides)),
    async openCaseFor(odooId) {
      await ingestRecord(deps, { model: flow.model, id: odooId, writeDate: null, source: 'poll' }, 1);
      const c = await store.findActiveCase(flow.id, flow.model, odooId);
      if (!c) throw new Error(`no case opened for ${flow.model} ${odooId}`);
      return c;
    },
    actor,
    addPerson(id, name, email, chatId = null, tz = null) {
      odoo.addUser({ id, name, email, login: email, tz });
      if (chatId) chat.addUser(chatId, email);
    },
    async startWorkers() {
      const stop = await registerWorkers(deps, { pollIntervalMs: 60_000, reconcileIntervalMs: 60_000 });
      stop();
    },
    async click(caseId, userId, overrides = {}) {
      const c = await store.getCase(caseId);
      const input: NewDecision = {
        caseId,
        idempotencyKey: `click-${++clicks}`,
        action: 'approve',
        actor: actor(userId),
        reason: null,
        cardWriteDate: c?.snapshot.writeDate ?? null,
        ...overrides,
      };
      return (await requestDecision(deps, input, { channelId: 'C-APPROVALS' })).decision;
    },
    apply: (decisionId, attempt = 1, maxAttempts = 8, job = {}) =>
      applyDecision(deps, { decisionId, context: { channelId: 'C-APPROVALS' }, ...job }, { attempt, maxAttempts }),
  };
}
