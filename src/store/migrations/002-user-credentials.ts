import type { Migration } from './migration.js';

/**
 * Per-approver Odoo API keys, for document types Odoo only approves as the
 * calling user (`approval.request`). `sealed` is the vault's AES-256-GCM
 * output; the plaintext key is never stored.
 */
export const userCredentialsMigration: Migration = {
  version: 2,
  name: 'user-credentials',
  sql: (s) => `
CREATE TABLE ${s}.user_credentials (
  odoo_user_id integer PRIMARY KEY CHECK (odoo_user_id > 0),
  login text NOT NULL,
  sealed text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  last_error text
);
`,
};
