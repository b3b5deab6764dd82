import type { ChatActor } from './types.js';

/**
 * Queue and job names, defined once. BullMQ refuses ':' in custom job ids,
 * so ids use '.' and '-'.
 */
export const QUEUES = {
  events: 'chatops.events',
  notify: 'chatops.notify',
  decisions: 'chatops.decisions',
  maintenance: 'chatops.maintenance',
  timers: 'chatops.timers',
} as const;

export const JOBS = {
  ingestRecord: 'ingest.record',
  postCards: 'cards.post',
  refreshCards: 'cards.refresh',
  applyDecision: 'decision.apply',
  pollFlow: 'poll.flow',
  reconcile: 'reconcile',
  fireTimer: 'timer.fire',
  remindPerson: 'timer.remind_person',
  askQuestion: 'info.ask',
  answerQuestion: 'info.answer',
  forwardCase: 'case.forward',
} as const;

/** An approver asks the requester a question, the requester answers, or an approver hands the case on. */
export interface CaseActionJob {
  caseId: string;
  actor: ChatActor;
  /** The question, the answer, or the reason for forwarding. */
  text: string;
  /** For answers: which question. */
  requestId?: string;
  /** For forwards: the chat user it goes to. */
  toChatUserId?: string;
  context: { channelId?: string; responseUrl?: string };
}

export interface IngestRecordJob {
  model: string;
  id: number;
  /** `write_date` the event carried, ISO; null when it did not carry one. */
  writeDate: string | null;
  source: 'webhook' | 'poll';
}

export interface CardsJob {
  caseId: string;
  /** A sentence shown on the card (e.g. why it was redrawn). */
  notice?: string | null;
}

export interface ApplyDecisionJob {
  decisionId: string;
  /** Where to answer the person privately. */
  context: { channelId?: string; responseUrl?: string };
  /** Counts re-enqueues after a long Odoo outage; see apply-decision.ts. */
  generation?: number;
}

export interface PollFlowJob {
  flowId: string;
}

/** A job id safe for BullMQ: only letters, digits, '.', '-' and '_'. */
export function jobId(...parts: Array<string | number>): string {
  return parts.map((p) => String(p).replace(/[^A-Za-z0-9._-]/g, '_')).join('-');
}
