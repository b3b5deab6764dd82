import type { Migration } from './migration.js';

/**
 * Microsoft Teams state the Bot Connector gives only once: conversation
 * references (captured at install or by `link channel <flow>`) and the
 * members the bot has seen (Teams has no "look up by email" for bots).
 */
export const teamsMigration: Migration = {
  version: 4,
  name: 'teams',
  sql: (s) => `
CREATE TABLE ${s}.teams_conversations (
  conversation_id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('channel', 'personal', 'groupChat')),
  tenant_id text,
  service_url text NOT NULL,
  team_id text,
  aad_object_id text,
  flow_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX teams_conversations_flow ON ${s}.teams_conversations (flow_id) WHERE flow_id IS NOT NULL;
CREATE INDEX teams_conversations_personal ON ${s}.teams_conversations (aad_object_id) WHERE kind = 'personal';
CREATE TABLE ${s}.teams_users (
  aad_object_id text PRIMARY KEY,
  teams_user_id text NOT NULL,
  email text,
  upn text,
  name text,
  tenant_id text,
  service_url text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX teams_users_email ON ${s}.teams_users (lower(email));
CREATE INDEX teams_users_upn ON ${s}.teams_users (lower(upn));
`,
};
