import type pg from 'pg';
import { AppError } from '../errors.js';
import type { CredentialVault } from './credential-vault.js';
import { Database } from './database.js';
import { defaultSchema, quoteSchema } from './schema-name.js';
import { describeTarget } from './store-errors.js';

/** A person's own Odoo login and API key, decrypted, for calls Odoo must attribute to them. */
export interface OdooCredential {
  login: string;
  apiKey: string;
}

/**
 * Per-approver Odoo credentials, kept encrypted. Needed where Odoo records an
 * approval as the calling user (`approval.request`), so the bot's own key
 * cannot act for the approver.
 */
export interface CredentialStore {
  /** Stores (or replaces) the key of an Odoo user; clears any earlier failure. */
  save(odooUserId: number, login: string, apiKey: string): Promise<void>;
  /** The decrypted credential, or null when the user has not linked one. */
  get(odooUserId: number): Promise<OdooCredential | null>;
  /** Forgets the user's key; false when there was none. */
  remove(odooUserId: number): Promise<boolean>;
  /** Records a successful call with the key (and clears the last error). */
  markUsed(odooUserId: number): Promise<void>;
  /** Records why the key last failed (e.g. revoked or expired in Odoo); never pass the key itself. */
  markFailed(odooUserId: number, error: string): Promise<void>;
  has(odooUserId: number): Promise<boolean>;
}

export interface PgCredentialStoreOptions {
  /** Schema of the store's tables (default `chatops`); migration 2 must have run there. */
  schema?: string;
}

/** Error codes of the credential store, defined once. */
export const credentialStoreErrorCodes = {
  badInput: 'credentials.bad_input',
} as const;

const MAX_ERROR_LENGTH = 500;

/** The owner a sealed key is bound to: a row copied onto another user does not open. */
export function credentialAssociatedData(odooUserId: number): string {
  return `odoo-user:${odooUserId}`;
}

function checkUserId(odooUserId: number): void {
  if (!Number.isSafeInteger(odooUserId) || odooUserId <= 0 || odooUserId > 2_147_483_647) {
    throw new AppError(
      credentialStoreErrorCodes.badInput,
      'internal',
      `An Odoo user id must be a positive integer, got ${String(odooUserId)}; this is a bug in the caller.`,
    );
  }
}

/**
 * The credential store on PostgreSQL (or embedded PGlite). Encryption happens
 * here, before SQL: the database, its logs and its backups only ever see the
 * vault's sealed value, and no error of this class quotes it.
 */
export class PgCredentialStore implements CredentialStore {
  readonly schema: string;
  private readonly db: Database;
  private readonly table: string;

  constructor(
    db: Database | pg.Pool,
    private readonly vault: CredentialVault,
    options: PgCredentialStoreOptions = {},
  ) {
    this.db = db instanceof Database ? db : new Database(db, describeTarget(db.options.connectionString ?? ''));
    this.schema = options.schema ?? defaultSchema;
    this.table = `${quoteSchema(this.schema)}.user_credentials`;
  }

  async save(odooUserId: number, login: string, apiKey: string): Promise<void> {
    checkUserId(odooUserId);
    if (login.trim() === '' || apiKey.trim() === '') {
      throw new AppError(
        credentialStoreErrorCodes.badInput,
        'user',
        'An Odoo login and API key are both needed to link an account; enter the API key again with `/odoo link`.',
        { details: { odooUserId } },
      );
    }
    const sealed = this.vault.seal(apiKey, credentialAssociatedData(odooUserId));
    await this.db.query(
      'save an Odoo API key',
      `INSERT INTO ${this.table} (odoo_user_id, login, sealed) VALUES ($1, $2, $3)
       ON CONFLICT (odoo_user_id) DO UPDATE
       SET login = EXCLUDED.login, sealed = EXCLUDED.sealed, updated_at = now(), last_used_at = NULL, last_error = NULL`,
      [odooUserId, login, sealed],
    );
  }

  /**
   * Decrypts the stored key. A key sealed with CREDENTIALS_KEY_PREVIOUS is
   * sealed again with the current key on the way, so a rotation completes as
   * people use the bot. Throws `credentials.undecryptable` when the key cannot
   * be read (changed CREDENTIALS_KEY, edited row).
   */
  async get(odooUserId: number): Promise<OdooCredential | null> {
    checkUserId(odooUserId);
    const r = await this.db.query<{ login: string; sealed: string }>(
      'read an Odoo API key',
      `SELECT login, sealed FROM ${this.table} WHERE odoo_user_id = $1`,
      [odooUserId],
    );
    const row = r.rows[0];
    if (!row) return null;
    const ad = credentialAssociatedData(odooUserId);
    const apiKey = this.vault.open(row.sealed, ad);
    if (this.vault.needsReseal(row.sealed)) {
      // Only replace the exact value we read, so a concurrent `save` wins.
      await this.db.query(
        're-encrypt an Odoo API key with the current key',
        `UPDATE ${this.table} SET sealed = $3 WHERE odoo_user_id = $1 AND sealed = $2`,
        [odooUserId, row.sealed, this.vault.seal(apiKey, ad)],
      );
    }
    return { login: row.login, apiKey };
  }

  async remove(odooUserId: number): Promise<boolean> {
    checkUserId(odooUserId);
    const r = await this.db.query('remove an Odoo API key', `DELETE FROM ${this.table} WHERE odoo_user_id = $1`, [
      odooUserId,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async markUsed(odooUserId: number): Promise<void> {
    checkUserId(odooUserId);
    await this.db.query(
      'record the use of an Odoo API key',
      `UPDATE ${this.table} SET last_used_at = now(), last_error = NULL WHERE odoo_user_id = $1`,
      [odooUserId],
    );
  }

  async markFailed(odooUserId: number, error: string): Promise<void> {
    checkUserId(odooUserId);
    await this.db.query(
      'record a failure of an Odoo API key',
      `UPDATE ${this.table} SET last_error = $2 WHERE odoo_user_id = $1`,
      [odooUserId, error.slice(0, MAX_ERROR_LENGTH)],
    );
  }

  async has(odooUserId: number): Promise<boolean> {
    checkUserId(odooUserId);
    const r = await this.db.query<{ found: boolean }>(
      'check for an Odoo API key',
      `SELECT EXISTS (SELECT 1 FROM ${this.table} WHERE odoo_user_id = $1) AS found`,
      [odooUserId],
    );
    return r.rows[0]?.found === true;
  }
}
