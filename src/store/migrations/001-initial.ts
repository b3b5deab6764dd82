import type { Migration } from './migration.js';

/** Cases, decisions, posted messages, identities, checkpoints and the audit log. */
export const initialMigration: Migration = {
  version: 1,
  name: 'initial',
  sql: (s) => `
CREATE SCHEMA IF NOT EXISTS ${s};

CREATE TABLE ${s}.cases (
  id uuid PRIMARY KEY,
  flow_id text NOT NULL,
  odoo_model text NOT NULL,
  odoo_id integer NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'deciding', 'approved', 'rejected', 'cancelled', 'failed')),
  snapshot jsonb NOT NULL,
  requester_ids integer[] NOT NULL DEFAULT '{}',
  approvers jsonb NOT NULL DEFAULT '[]',
  decision_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
CREATE UNIQUE INDEX cases_one_active ON ${s}.cases (flow_id, odoo_model, odoo_id) WHERE status IN ('open', 'deciding');
CREATE INDEX cases_status_created ON ${s}.cases (status, created_at);

CREATE TABLE ${s}.decisions (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES ${s}.cases (id),
  idempotency_key text NOT NULL UNIQUE,
  action text NOT NULL,
  actor jsonb NOT NULL,
  reason text,
  card_write_date text,
  status text NOT NULL CHECK (status IN ('queued', 'applying', 'applied', 'refused', 'superseded', 'failed')),
  odoo_user_id integer,
  odoo_user_name text,
  outcome text,
  applied_at timestamptz,
  chatter_posted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_case ON ${s}.decisions (case_id);
CREATE INDEX decisions_unfinished ON ${s}.decisions (updated_at) WHERE status IN ('queued', 'applying');

CREATE TABLE ${s}.posted_messages (
  id bigserial PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES ${s}.cases (id),
  platform text NOT NULL,
  channel_id text NOT NULL,
  message_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('channel', 'dm')),
  recipient text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (platform, channel_id, message_id)
);
CREATE INDEX posted_messages_case ON ${s}.posted_messages (case_id);

CREATE TABLE ${s}.identities (
  platform text NOT NULL,
  chat_user_id text NOT NULL,
  odoo_user_id integer NOT NULL,
  email text NOT NULL,
  checked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, chat_user_id)
);

CREATE TABLE ${s}.checkpoints (
  key text PRIMARY KEY,
  value text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ${s}.audit_log (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  type text NOT NULL,
  case_id text,
  actor text,
  data jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_log_case ON ${s}.audit_log (case_id, seq);
`,
};
