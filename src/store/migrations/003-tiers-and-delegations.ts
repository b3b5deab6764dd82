import type { Migration } from './migration.js';

/**
 * Multi-tier approvals: a case keeps its tiers, the current one, its timer
 * deadlines, its info requests and an optimistic-concurrency version;
 * `info_requested` and `expired` become statuses, and `info_requested` counts
 * as active for the one-active-case index. Cases opened before this get one
 * tier "Approval" of their approvers. Chat and policy delegations get a table.
 */
export const tiersAndDelegationsMigration: Migration = {
  version: 3,
  name: 'tiers-and-delegations',
  sql: (s) => `
ALTER TABLE ${s}.cases
  ADD COLUMN tiers jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN current_tier integer NOT NULL DEFAULT 0 CHECK (current_tier >= 0),
  ADD COLUMN timers jsonb NOT NULL
    DEFAULT '{"remindAt": null, "escalateAt": null, "expireAt": null, "reminders": 0, "escalated": false, "pausedAt": null}',
  ADD COLUMN info_requests jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN version integer NOT NULL DEFAULT 1;

ALTER TABLE ${s}.cases DROP CONSTRAINT IF EXISTS cases_status_check;
ALTER TABLE ${s}.cases ADD CONSTRAINT cases_status_check CHECK (
  status IN ('open', 'info_requested', 'deciding', 'approved', 'rejected', 'cancelled', 'expired', 'failed'));

DROP INDEX IF EXISTS ${s}.cases_one_active;
CREATE UNIQUE INDEX cases_one_active ON ${s}.cases (flow_id, odoo_model, odoo_id)
  WHERE status IN ('open', 'info_requested', 'deciding');

UPDATE ${s}.cases SET tiers = jsonb_build_array(jsonb_build_object(
  'index', 0,
  'name', 'Approval',
  'approvers', approvers,
  'minApprovals', 1,
  'required', '[]'::jsonb,
  'approvals', '[]'::jsonb,
  'escalated', '[]'::jsonb,
  'startedAt', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
WHERE tiers = '[]'::jsonb;

ALTER TABLE ${s}.decisions ADD COLUMN tier integer CHECK (tier >= 0);

CREATE TABLE ${s}.delegations (
  id uuid PRIMARY KEY,
  from_odoo_user_id integer NOT NULL,
  from_name text NOT NULL,
  to_odoo_user_id integer NOT NULL,
  to_name text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  source text NOT NULL CHECK (source IN ('chat', 'policy')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX delegations_from_ends ON ${s}.delegations (from_odoo_user_id, ends_at);
`,
};
