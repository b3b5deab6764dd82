import type pg from 'pg';
import { Database } from './database.js';
import { defaultSchema, quoteSchema } from './schema-name.js';
import { describeTarget } from './store-errors.js';

/** Where the bot can post in Teams: what the Bot Connector told us when it was installed or addressed. */
export interface TeamsConversationRef {
  conversationId: string;
  kind: 'channel' | 'personal' | 'groupChat';
  tenantId: string | null;
  /** The Bot Connector endpoint of this conversation (regional); '' when unknown. Updated by each activity. */
  serviceUrl: string;
  teamId?: string | null;
  /** The person of a personal (1:1) conversation. */
  aadObjectId?: string | null;
}

/** A Teams user the bot has seen, with the ids each API wants. */
export interface KnownTeamsUser {
  aadObjectId: string;
  /** The Bot Framework id (29:…), needed to open a 1:1 conversation. */
  teamsUserId: string;
  email: string | null;
  upn: string | null;
  name: string | null;
  tenantId: string | null;
  /** The Bot Connector endpoint the person was last seen through; a new 1:1 chat is opened there. */
  serviceUrl: string;
}

/** What the Teams adapter keeps between restarts. */
export interface TeamsStore {
  saveConversation(ref: TeamsConversationRef): Promise<void>;
  /** Links a conversation to a flow; the conversation must be saved first. */
  linkFlow(conversationId: string, flowId: string): Promise<void>;
  /** By conversation id without the `;messageid=…` thread suffix. */
  conversation(conversationId: string): Promise<TeamsConversationRef | null>;
  conversationForFlow(flowId: string): Promise<TeamsConversationRef | null>;
  personalConversation(aadObjectId: string): Promise<TeamsConversationRef | null>;
  saveUser(user: KnownTeamsUser): Promise<void>;
  /**
   * Stores people read from a team's or group chat's roster, in one statement.
   * A roster only lists them, so a service URL already known for someone (from
   * their own activities) is kept.
   */
  saveRosterMembers(users: KnownTeamsUser[]): Promise<void>;
  /**
   * Team and group-chat conversations, one per team (its most recent channel),
   * most recently active first: where to ask the Bot Connector for a member.
   */
  groupConversations(limit: number): Promise<TeamsConversationRef[]>;
  user(aadObjectId: string): Promise<KnownTeamsUser | null>;
  /** By email or UPN, case-insensitive; null when nobody or several match. */
  userByEmail(email: string): Promise<KnownTeamsUser | null>;
}

type ConvRow = {
  conversation_id: string;
  kind: TeamsConversationRef['kind'];
  tenant_id: string | null;
  service_url: string;
  team_id: string | null;
  aad_object_id: string | null;
};
type UserRow = {
  aad_object_id: string;
  teams_user_id: string;
  email: string | null;
  upn: string | null;
  name: string | null;
  tenant_id: string | null;
  service_url: string;
};

const conv = (r: ConvRow): TeamsConversationRef => ({
  conversationId: r.conversation_id,
  kind: r.kind,
  tenantId: r.tenant_id,
  serviceUrl: r.service_url,
  teamId: r.team_id,
  aadObjectId: r.aad_object_id,
});
const user = (r: UserRow): KnownTeamsUser => ({
  aadObjectId: r.aad_object_id,
  teamsUserId: r.teams_user_id,
  email: r.email,
  upn: r.upn,
  name: r.name,
  tenantId: r.tenant_id,
  serviceUrl: r.service_url,
});

/** The new value of an upsert's column, unless it is empty: an activity without a service URL keeps the known one. */
const keepUnlessEmpty = (table: string, column: string) =>
  `COALESCE(NULLIF(EXCLUDED.${column}, ''), ${table}.${column})`;

/** Teams conversation references and known users on PostgreSQL (migration 4). */
export class PgTeamsStore implements TeamsStore {
  private readonly db: Database;
  private readonly conversations: string;
  private readonly users: string;

  constructor(db: Database | pg.Pool, options: { schema?: string } = {}) {
    this.db = db instanceof Database ? db : new Database(db, describeTarget(db.options.connectionString ?? ''));
    const s = quoteSchema(options.schema ?? defaultSchema);
    this.conversations = `${s}.teams_conversations`;
    this.users = `${s}.teams_users`;
  }

  async saveConversation(ref: TeamsConversationRef): Promise<void> {
    await this.db.query(
      'save a Teams conversation reference',
      `INSERT INTO ${this.conversations} (conversation_id, kind, tenant_id, service_url, team_id, aad_object_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (conversation_id) DO UPDATE SET kind = EXCLUDED.kind, tenant_id = EXCLUDED.tenant_id,
         service_url = ${keepUnlessEmpty(this.conversations, 'service_url')},
         team_id = COALESCE(EXCLUDED.team_id, ${this.conversations}.team_id),
         aad_object_id = COALESCE(EXCLUDED.aad_object_id, ${this.conversations}.aad_object_id), updated_at = now()`,
      [ref.conversationId, ref.kind, ref.tenantId, ref.serviceUrl, ref.teamId ?? null, ref.aadObjectId ?? null],
    );
  }

  async linkFlow(conversationId: string, flowId: string): Promise<void> {
    await this.db.transaction('link a Teams conversation to a flow', async (client) => {
      // One conversation per flow: linking a new one unlinks the old.
      await client.query(`UPDATE ${this.conversations} SET flow_id = NULL, updated_at = now() WHERE flow_id = $1`, [
        flowId,
      ]);
      await client.query(
        `UPDATE ${this.conversations} SET flow_id = $2, updated_at = now() WHERE conversation_id = $1`,
        [conversationId, flowId],
      );
    });
  }

  async conversation(conversationId: string): Promise<TeamsConversationRef | null> {
    const r = await this.db.query<ConvRow>(
      'read a Teams conversation reference',
      `SELECT * FROM ${this.conversations} WHERE conversation_id = $1`,
      [conversationId.split(';')[0]],
    );
    return r.rows[0] ? conv(r.rows[0]) : null;
  }

  async conversationForFlow(flowId: string): Promise<TeamsConversationRef | null> {
    const r = await this.db.query<ConvRow>(
      'read the Teams conversation of a flow',
      `SELECT * FROM ${this.conversations} WHERE flow_id = $1 ORDER BY updated_at DESC LIMIT 1`,
      [flowId],
    );
    return r.rows[0] ? conv(r.rows[0]) : null;
  }

  async personalConversation(aadObjectId: string): Promise<TeamsConversationRef | null> {
    const r = await this.db.query<ConvRow>(
      'read a personal Teams conversation',
      `SELECT * FROM ${this.conversations} WHERE kind = 'personal' AND aad_object_id = $1 ORDER BY updated_at DESC LIMIT 1`,
      [aadObjectId],
    );
    return r.rows[0] ? conv(r.rows[0]) : null;
  }

  async saveUser(u: KnownTeamsUser): Promise<void> {
    await this.db.query(
      'save a Teams user',
      `INSERT INTO ${this.users} (aad_object_id, teams_user_id, email, upn, name, tenant_id, service_url)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (aad_object_id) DO UPDATE SET teams_user_id = EXCLUDED.teams_user_id,
         email = COALESCE(EXCLUDED.email, ${this.users}.email), upn = COALESCE(EXCLUDED.upn, ${this.users}.upn),
         name = COALESCE(EXCLUDED.name, ${this.users}.name), tenant_id = EXCLUDED.tenant_id,
         service_url = ${keepUnlessEmpty(this.users, 'service_url')}, updated_at = now()`,
      [u.aadObjectId, u.teamsUserId, u.email, u.upn, u.name, u.tenantId, u.serviceUrl],
    );
  }

  async saveRosterMembers(users: KnownTeamsUser[]): Promise<void> {
    // One row per person: ON CONFLICT cannot touch the same row twice in a statement.
    const rows = [...new Map(users.map((u) => [u.aadObjectId, u])).values()];
    if (rows.length === 0) return;
    const column = <K extends keyof KnownTeamsUser>(k: K) => rows.map((u) => u[k]);
    await this.db.query(
      'save the members of a Teams roster',
      `INSERT INTO ${this.users} (aad_object_id, teams_user_id, email, upn, name, tenant_id, service_url)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       ON CONFLICT (aad_object_id) DO UPDATE SET teams_user_id = EXCLUDED.teams_user_id,
         email = COALESCE(EXCLUDED.email, ${this.users}.email), upn = COALESCE(EXCLUDED.upn, ${this.users}.upn),
         name = COALESCE(EXCLUDED.name, ${this.users}.name),
         tenant_id = COALESCE(EXCLUDED.tenant_id, ${this.users}.tenant_id),
         service_url = COALESCE(NULLIF(${this.users}.service_url, ''), EXCLUDED.service_url), updated_at = now()`,
      [
        column('aadObjectId'),
        column('teamsUserId'),
        column('email'),
        column('upn'),
        column('name'),
        column('tenantId'),
        column('serviceUrl'),
      ],
    );
  }

  async groupConversations(limit: number): Promise<TeamsConversationRef[]> {
    const r = await this.db.query<ConvRow>(
      'list the Teams teams and group chats',
      `SELECT * FROM (
         SELECT DISTINCT ON (COALESCE(team_id, conversation_id)) * FROM ${this.conversations}
         WHERE kind IN ('channel', 'groupChat')
         ORDER BY COALESCE(team_id, conversation_id), updated_at DESC
       ) latest ORDER BY updated_at DESC LIMIT $1`,
      [limit],
    );
    return r.rows.map(conv);
  }

  async user(aadObjectId: string): Promise<KnownTeamsUser | null> {
    const r = await this.db.query<UserRow>(
      'read a Teams user',
      `SELECT * FROM ${this.users} WHERE aad_object_id = $1`,
      [aadObjectId],
    );
    return r.rows[0] ? user(r.rows[0]) : null;
  }

  async userByEmail(email: string): Promise<KnownTeamsUser | null> {
    const r = await this.db.query<UserRow>(
      'find a Teams user by email',
      `SELECT * FROM ${this.users} WHERE lower(email) = lower($1) OR lower(upn) = lower($1) LIMIT 2`,
      [email.trim()],
    );
    return r.rows.length === 1 && r.rows[0] ? user(r.rows[0]) : null;
  }
}
