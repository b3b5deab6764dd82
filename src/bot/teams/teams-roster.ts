import type { Client as ApiClient, TeamsChannelAccount } from '@microsoft/teams.api';
import type { Logger } from '../../flows/ports.js';
import type { KnownTeamsUser, TeamsConversationRef, TeamsStore } from '../../store/pg-teams-store.js';
import type { BotConnectorClients } from './bot-connector-clients.js';
import { mapTeamsError, statusOf } from './map-teams-error.js';

/** Teams' own default page; it accepts 50 to 500 (smaller is read as 50, larger as 500). */
export const ROSTER_PAGE_SIZE = 200;
/** Teams and group chats asked, most recent first, before a person is declared unknown. */
export const MAX_LOOKUP_CONVERSATIONS = 20;
/** How long "in none of the bot's teams" is believed for an email or id. */
export const DEFAULT_MISS_TTL_MS = 10 * 60_000;
/** Teams caps a team at 25,000 members (125 pages of 200); this only stops a token that never ends. */
const MAX_PAGES = 500;
/** More people added at once than this are read as one roster (a few pages), not one call each. */
const MEMBERS_BEFORE_FULL_SYNC = 50;
/** A roster read within this long is not read again (install sends installationUpdate and conversationUpdate). */
const RESYNC_AFTER_MS = 60_000;
const MAX_MISSES = 5_000;
const MAX_ATTEMPTS = 4;

export interface TeamsRosterOptions {
  connectors: Pick<BotConnectorClients, 'for'>;
  store: TeamsStore;
  logger?: Logger | undefined;
  /** How long a person found in no roster is not looked up again; default 10 minutes. */
  missTtlMs?: number;
  /** First pause before retrying a throttled (429) or failed (5xx) call; doubles each time. Default 1 s. */
  retryDelayMs?: number;
  now?: () => number;
}

/** The conversation id whose roster is the team's (a channel's team) or the chat's own. */
const rosterIdOf = (ref: TeamsConversationRef): string =>
  ref.kind === 'channel' && ref.teamId ? ref.teamId : ref.conversationId.split(';')[0]!;

/** A roster entry as we store it; null for bots and anonymous guests (no Entra object id). */
function userOf(m: TeamsChannelAccount | undefined, ref: TeamsConversationRef): KnownTeamsUser | null {
  if (!m?.id || !m.aadObjectId || m.id.startsWith('28:')) return null;
  return {
    aadObjectId: m.aadObjectId,
    teamsUserId: m.id,
    email: m.email ?? null,
    upn: m.userPrincipalName ?? null,
    name: m.name ?? null,
    tenantId: m.tenantId ?? ref.tenantId,
    serviceUrl: ref.serviceUrl,
  };
}

/**
 * The people of the teams and group chats the bot is in, from the Bot
 * Connector's roster API (no Microsoft Graph, so no extra admin consent).
 * Rosters are read when the bot is installed and members are read when they
 * are added, in the background so Teams gets its 200 at once; a person still
 * unknown when a card must reach them is asked for by email or id in the
 * known teams and chats, and a miss is remembered for a while.
 */
export class TeamsRoster {
  private readonly running = new Set<Promise<unknown>>();
  private readonly syncing = new Map<string, Promise<number>>();
  private readonly synced = new Map<string, number>();
  private readonly finding = new Map<string, Promise<KnownTeamsUser | null>>();
  private readonly misses = new Map<string, number>();
  private readonly now: () => number;
  private readonly log: Logger | undefined;

  constructor(private readonly options: TeamsRosterOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.logger?.child({ platform: 'teams' });
  }

  /** Starts reading a team's or group chat's roster without waiting; failures are logged. */
  syncInBackground(ref: TeamsConversationRef): void {
    if (ref.kind === 'personal') return;
    this.background(this.sync(ref), ref, 'could not read the members of a Teams team or chat');
  }

  /** Starts reading newly added members without waiting; failures are logged. */
  storeMembersInBackground(ref: TeamsConversationRef, memberIds: string[]): void {
    const ids = memberIds.filter((id) => id && !id.startsWith('28:'));
    if (ids.length === 0) return;
    if (ids.length > MEMBERS_BEFORE_FULL_SYNC && ref.kind !== 'personal') this.syncInBackground(ref);
    else this.background(this.storeMembers(ref, ids), ref, 'could not read members added to a Teams team or chat');
  }

  /** Resolves when the background work started so far has finished (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Reads a whole roster page by page and stores everyone in it; returns how many were stored. */
  async sync(ref: TeamsConversationRef): Promise<number> {
    const key = `${ref.serviceUrl} ${rosterIdOf(ref)}`;
    const last = this.synced.get(key);
    if (last !== undefined && this.now() - last < RESYNC_AFTER_MS) return 0;
    const pending = this.syncing.get(key);
    if (pending) return pending;
    const run = this.readRoster(ref).finally(() => this.syncing.delete(key));
    this.syncing.set(key, run);
    const stored = await run;
    this.synced.set(key, this.now());
    return stored;
  }

  /** Reads each added member (by Teams id) and stores them; one failure does not stop the others. */
  async storeMembers(ref: TeamsConversationRef, memberIds: string[]): Promise<void> {
    const api = this.options.connectors.for(ref.serviceUrl);
    let failure: unknown = null;
    for (const id of memberIds) {
      try {
        const member = await this.retrying(() => api.conversations.getMemberById(rosterIdOf(ref), id));
        const user = userOf(member, ref);
        if (user) await this.options.store.saveUser(user);
      } catch (err) {
        // 404: they left again before we asked.
        if (statusOf(err) !== 404) failure = err;
      }
    }
    if (failure) throw failure;
  }

  /**
   * A person the bot has not stored, by email / UPN or Entra object id: asks
   * the Bot Connector in the most recent teams and group chats it is in, stores
   * the first hit, and remembers a miss for `missTtlMs`.
   */
  async find(emailOrAadId: string): Promise<KnownTeamsUser | null> {
    const key = emailOrAadId.trim().toLowerCase();
    if (!key || key.length > 320) return null;
    const missedAt = this.misses.get(key);
    if (missedAt !== undefined && this.now() - missedAt < (this.options.missTtlMs ?? DEFAULT_MISS_TTL_MS)) return null;
    const pending = this.finding.get(key);
    if (pending) return pending;
    const run = this.lookUp(emailOrAadId.trim(), key).finally(() => this.finding.delete(key));
    this.finding.set(key, run);
    return run;
  }

  private async lookUp(id: string, key: string): Promise<KnownTeamsUser | null> {
    let unsure = false;
    for (const ref of await this.options.store.groupConversations(MAX_LOOKUP_CONVERSATIONS)) {
      const api = this.options.connectors.for(ref.serviceUrl);
      try {
        // The SDK puts the id into the path as is; an email may hold `+`, `#` or `?`.
        const user = userOf(await api.conversations.getMemberById(rosterIdOf(ref), encodeURIComponent(id)), ref);
        if (!user) continue;
        await this.options.store.saveUser(user);
        this.misses.delete(key);
        return user;
      } catch (err) {
        // 404 MemberNotFoundInConversation (or 400 for an id Teams cannot read); 403: the app was removed there.
        const status = statusOf(err);
        if (status === 404 || status === 400 || status === 403) continue;
        unsure = true;
        this.log?.warn(
          { err: mapTeamsError(err, 'look up a member'), conversationId: ref.conversationId },
          'could not ask a Teams team or chat whether a person is in it; trying the others',
        );
      }
    }
    // A miss is only believed when every team answered; after an outage the next card asks again.
    if (!unsure) this.rememberMiss(key);
    return null;
  }

  private rememberMiss(key: string): void {
    this.misses.delete(key);
    this.misses.set(key, this.now());
    if (this.misses.size > MAX_MISSES) this.misses.delete(this.misses.keys().next().value as string);
  }

  private async readRoster(ref: TeamsConversationRef): Promise<number> {
    const api: ApiClient = this.options.connectors.for(ref.serviceUrl);
    const rosterId = rosterIdOf(ref);
    let token: string | undefined;
    let stored = 0;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const page = await this.retrying(() => api.conversations.getPagedMembers(rosterId, ROSTER_PAGE_SIZE, token));
      const users = (page.members ?? []).flatMap((m) => userOf(m, ref) ?? []);
      await this.options.store.saveRosterMembers(users);
      stored += users.length;
      token = page.continuationToken || undefined;
      if (!token) break;
    }
    this.log?.info(
      { conversationId: ref.conversationId, stored },
      'stored the members of a Teams team or chat; they can get 1:1 cards now',
    );
    return stored;
  }

  /** One Bot Connector call, retried with backoff while Teams says "later" (429, 412, 5xx, no answer). */
  private async retrying<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || mapTeamsError(err, 'read members').kind !== 'transient') throw err;
        const delay = (this.options.retryDelayMs ?? 1_000) * 2 ** (attempt - 1);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private background(work: Promise<unknown>, ref: TeamsConversationRef, message: string): void {
    const tracked = work.catch((err: unknown) => {
      this.log?.warn(
        { err: mapTeamsError(err, 'read members'), conversationId: ref.conversationId },
        `${message}; people there are looked up when a card must reach them`,
      );
    });
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }
}
