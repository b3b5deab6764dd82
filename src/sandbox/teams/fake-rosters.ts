import type { TeamsPerson } from './activities.js';

/** A person of the fake tenant, as the Bot Connector's member APIs describe them. */
export interface FakeMember extends TeamsPerson {
  email: string;
  userPrincipalName: string;
  /** Their role in a team, as Teams' member APIs name it; default 'user'. */
  userRole?: 'owner' | 'user' | 'guest';
}

export interface FakeRosterOptions {
  /**
   * A group chat: Teams does not page chat rosters, so `pagedmembers` answers
   * with everyone at once and no continuation token. Default: a team.
   */
  chat?: boolean;
}

interface Roster {
  people: FakeMember[];
  chat: boolean;
}

type Reply = [status: number, body: unknown];

/** `pageSize` as Teams reads it: default 200, below 50 read as 50, above 500 as 500. */
export const PAGE_SIZE = { min: 50, max: 500, default: 200 } as const;

const notAMember = (): Reply => [
  404,
  { error: { code: 'MemberNotFoundInConversation', message: 'The member could not be found in the conversation.' } },
];

/**
 * Who is in which conversation, for the roster APIs (`GET …/pagedmembers`,
 * `GET …/members/{id}`). A conversation nobody seeded has the whole tenant as
 * its roster, as before rosters existed here; a seeded one has exactly its
 * people. Several ids may share one roster (a team and its channels).
 */
export class FakeRosters {
  private readonly rosters = new Map<string, Roster>();

  constructor(
    private readonly tenantId: string,
    private readonly everyone: () => FakeMember[],
  ) {}

  /** Sets the roster of one conversation, or of several sharing it (e.g. `[teamId, channelId]`). */
  set(conversationIds: string | string[], people: FakeMember[], options: FakeRosterOptions = {}): void {
    const roster: Roster = { people: [...people], chat: options.chat ?? false };
    for (const id of [conversationIds].flat()) this.rosters.set(id, roster);
  }

  /** Adds people to a seeded roster (as Teams does before it sends `membersAdded`). */
  add(conversationId: string, ...people: FakeMember[]): void {
    const roster = this.rosters.get(conversationId);
    if (!roster) throw new Error(`no roster was seeded for ${conversationId}`);
    for (const p of people) if (!roster.people.includes(p)) roster.people.push(p);
  }

  private peopleOf(conversationId: string): { people: FakeMember[]; chat: boolean } {
    return this.rosters.get(conversationId) ?? { people: this.everyone(), chat: false };
  }

  /** `GET /v3/conversations/{id}/pagedmembers?pageSize=&continuationToken=`. */
  page(conversationId: string, query: URLSearchParams): Reply {
    const { people, chat } = this.peopleOf(conversationId);
    if (chat) return [200, { members: people.map((p) => this.account(p)) }];
    const asked = Number.parseInt(query.get('pageSize') ?? '', 10);
    const size = Number.isFinite(asked) ? Math.min(PAGE_SIZE.max, Math.max(PAGE_SIZE.min, asked)) : PAGE_SIZE.default;
    const token = query.get('continuationToken');
    const offset = token === null ? 0 : readToken(token, conversationId);
    if (offset === null)
      return [400, { error: { code: 'BadArgument', message: 'The continuation token is not valid.' } }];
    const members = people.slice(offset, offset + size).map((p) => this.account(p));
    const next = offset + size < people.length ? makeToken(conversationId, offset + size) : undefined;
    return [200, { ...(next ? { continuationToken: next } : {}), members }];
  }

  /** `GET /v3/conversations/{id}/members/{memberId}`: by Teams id, Entra object id, or UPN / email (any case). */
  member(conversationId: string, memberId: string): Reply {
    const key = memberId.toLowerCase();
    const person = this.peopleOf(conversationId).people.find(
      (p) =>
        p.id === memberId ||
        p.aadObjectId.toLowerCase() === key ||
        p.userPrincipalName.toLowerCase() === key ||
        p.email.toLowerCase() === key,
    );
    return person ? [200, this.account(person)] : notAMember();
  }

  /** A TeamsChannelAccount as the roster APIs return it. */
  private account(p: FakeMember): Record<string, unknown> {
    const [givenName, ...rest] = p.name.split(' ');
    return {
      id: p.id,
      name: p.name,
      aadObjectId: p.aadObjectId,
      givenName,
      surname: rest.join(' ') || undefined,
      email: p.email,
      userPrincipalName: p.userPrincipalName,
      tenantId: this.tenantId,
      userRole: p.userRole ?? 'user',
    };
  }
}

/** Opaque to the bot; bound to the conversation so a token from another roster is refused. */
function makeToken(conversationId: string, offset: number): string {
  return Buffer.from(JSON.stringify({ c: conversationId, o: offset })).toString('base64url');
}

function readToken(token: string, conversationId: string): number | null {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { c?: unknown; o?: unknown };
    return t.c === conversationId && Number.isInteger(t.o) && (t.o as number) >= 0 ? (t.o as number) : null;
  } catch {
    return null;
  }
}
