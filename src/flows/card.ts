/**
 * The platform-neutral card. The flow engine builds one; the Slack adapter
 * renders it to Block Kit and the Teams adapter to an Adaptive Card.
 */

/** Action ids are defined once, dotted and lower-case. */
export const ACTION_IDS = {
  approve: 'approval.approve',
  reject: 'approval.reject',
  rejectSubmit: 'approval.reject_submit',
  openInOdoo: 'approval.open_in_odoo',
  askQuestion: 'approval.ask_question',
  answerQuestion: 'approval.answer_question',
  forward: 'approval.forward',
  /** Teams asks Adaptive Cards to redraw for the person viewing them (`refresh`). */
  refresh: 'card.refresh',
  exceptionAssign: 'exception.assign',
  exceptionResolve: 'exception.resolve',
  exceptionSnooze: 'exception.snooze',
  exceptionEscalate: 'exception.escalate',
} as const;

export type CardTone = 'waiting' | 'pending' | 'approved' | 'rejected' | 'warning' | 'error' | 'closed';

export interface CardFact {
  label: string;
  value: string;
}

export interface CardAction {
  id: (typeof ACTION_IDS)[keyof typeof ACTION_IDS];
  label: string;
  style: 'primary' | 'danger' | 'default';
  /** Opaque value round-tripped by the platform (case id and card version). */
  value: string;
  /** A link button instead of a callback. */
  url?: string;
  /**
   * What the person must type first: Slack opens a modal, Teams shows the
   * input inline (Action.ShowCard). `required` inputs may not be blank.
   */
  input?: { id: string; label: string; kind: 'text' | 'date' | 'person'; required: boolean; placeholder?: string };
}

export interface CardTable {
  columns: string[];
  rows: string[][];
  /** Rows left out to respect platform limits ("and N more"). */
  omitted: number;
}

export interface CardModel {
  caseId: string;
  /** Approval cards and exception cards share the renderer; actions differ. */
  kind?: 'approval' | 'exception' | 'question';
  /**
   * Chat-neutral user keys (platform user ids are resolved by the adapter) of
   * the people who may act; Teams shows the buttons only to them.
   */
  actors?: Array<{ email: string | null }>;
  title: string;
  /** Fallback text for notifications and screen readers. */
  text: string;
  facts: CardFact[];
  table?: CardTable;
  summary: string;
  status: { tone: CardTone; text: string };
  actions: CardAction[];
  link?: { label: string; url: string };
  footer?: string;
}
