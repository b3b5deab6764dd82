/**
 * Billing exceptions as work items: a record (or an external event) that
 * needs someone to sort it out, with owners, an SLA and a resolution.
 * Nothing here knows Odoo's wire shapes, Block Kit or SQL.
 */
import type { CardFact } from '../card.js';
import type { ApproverRef, ChatActor } from '../types.js';

export const EXCEPTION_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type ExceptionSeverity = (typeof EXCEPTION_SEVERITIES)[number];

export const EXCEPTION_ACTIONS = ['assign', 'resolve', 'snooze', 'escalate'] as const;
export type ExceptionAction = (typeof EXCEPTION_ACTIONS)[number];

export type ExceptionStatus = 'open' | 'assigned' | 'snoozed' | 'resolved' | 'auto_closed';

/** Statuses in which someone still has to act (at most one per definition and Odoo record). */
export const ACTIVE_EXCEPTION_STATUSES: ExceptionStatus[] = ['open', 'assigned', 'snoozed'];

export interface ExceptionPerson {
  odooUserId: number;
  name: string;
  email: string | null;
}

/** SLA state: `dueAt` runs in business hours; while snoozed it is paused with `remainingMinutes` kept. */
export interface ExceptionSla {
  dueAt: string | null;
  /** Business minutes that were left when the exception was snoozed. */
  remainingMinutes: number | null;
  escalated: boolean;
  escalatedAt: string | null;
}

export interface ExceptionResolution {
  by: ExceptionPerson;
  note: string;
  at: string;
  /** The Odoo write applied on resolve, if the definition has one. */
  write: Record<string, unknown> | null;
}

export interface ExceptionItem {
  id: string;
  definitionId: string;
  source: 'odoo' | 'external';
  /** The caller's idempotency key for external events; null for Odoo-sourced exceptions. */
  key: string | null;
  type: string;
  severity: ExceptionSeverity;
  title: string;
  status: ExceptionStatus;
  /** Status to return to when a snooze ends. */
  statusBeforeSnooze: 'open' | 'assigned' | null;
  odooModel: string | null;
  odooId: number | null;
  /** Odoo reference (bill number) when the exception is about a record. */
  reference: string | null;
  url: string | null;
  /** Odoo `write_date` last seen (or written by the bot): an unchanged record is not reopened. */
  writeDate: string | null;
  /** The facts that explain the exception, in the order the card shows them. */
  facts: CardFact[];
  /** Longer explanation lines (variance per bill line). */
  details: string[];
  owners: ApproverRef[];
  escalated: ApproverRef[];
  assignee: ExceptionPerson | null;
  /** mail.activity id of the assignee's to-do on the record. */
  activityId: number | null;
  sla: ExceptionSla;
  snoozedUntil: string | null;
  resolution: ExceptionResolution | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

/** A click or a form submission on an exception card, queued for the worker. */
export interface ExceptionActionRequest {
  exceptionId: string;
  action: ExceptionAction;
  actor: ChatActor;
  /** The resolution note (resolve) or a reason (escalate). */
  note?: string | undefined;
  /** Snooze: the date (YYYY-MM-DD, calendar time zone) the exception reopens. */
  until?: string | undefined;
  context: { channelId?: string; responseUrl?: string };
}
