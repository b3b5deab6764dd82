import type { Migration } from './migration.js';

/**
 * Billing exceptions as work items. The mutable state lives in `item`
 * (jsonb, the `ExceptionItem` without its column fields); the columns are
 * what queries and the two uniqueness rules need: an external event's key is
 * unique for ever, and an Odoo record has at most one active exception per
 * definition. Posted cards get their own table (no FK to cases).
 */
export const exceptionsMigration: Migration = {
  version: 5,
  name: 'exceptions',
  sql: (s) => `
CREATE TABLE ${s}.exceptions (
  id uuid PRIMARY KEY,
  definition_id text NOT NULL,
  source text NOT NULL CHECK (source IN ('odoo', 'external')),
  key text,
  odoo_model text,
  odoo_id integer,
  status text NOT NULL CHECK (status IN ('open', 'assigned', 'snoozed', 'resolved', 'auto_closed')),
  item jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
CREATE UNIQUE INDEX exceptions_key ON ${s}.exceptions (key) WHERE key IS NOT NULL;
CREATE UNIQUE INDEX exceptions_one_active ON ${s}.exceptions (definition_id, odoo_model, odoo_id)
  WHERE source = 'odoo' AND status IN ('open', 'assigned', 'snoozed');
CREATE INDEX exceptions_definition_status ON ${s}.exceptions (definition_id, status);
CREATE INDEX exceptions_record ON ${s}.exceptions (odoo_model, odoo_id);

CREATE TABLE ${s}.exception_messages (
  id bigserial PRIMARY KEY,
  exception_id uuid NOT NULL REFERENCES ${s}.exceptions (id),
  platform text NOT NULL,
  channel_id text NOT NULL,
  message_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('channel', 'dm')),
  recipient text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (platform, channel_id, message_id)
);
CREATE INDEX exception_messages_exception ON ${s}.exception_messages (exception_id);
`,
};
