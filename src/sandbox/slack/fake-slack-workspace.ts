/**
 * The state behind FakeSlackApi: users, conversations, messages (with every
 * version), ephemerals, views and trigger ids. It knows nothing of HTTP; the
 * method handlers read and change it, tests inspect it.
 */
import { randomBytes } from 'node:crypto';

export type JsonObject = Record<string, unknown>;

export interface FakeUser {
  id: string;
  name: string;
  email?: string;
  isBot: boolean;
  deleted: boolean;
}

export interface FakeChannel {
  id: string;
  name: string;
  /** For a DM (`D…`): the other member. */
  dmUserId?: string;
}

/** One version of a message: the original post, then one per update. */
export interface MessageVersion {
  text: string;
  blocks?: unknown[];
  at: number;
  via: 'chat.postMessage' | 'chat.update' | 'chat.delete' | 'response_url' | 'seed';
}

export interface FakeMessage {
  channel: string;
  ts: string;
  /** Author: the bot user id for messages the bot posted. */
  user: string;
  botId?: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  metadata?: unknown;
  deleted: boolean;
  history: MessageVersion[];
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  messageTs: string;
  text: string;
  blocks?: unknown[];
  at: number;
  via: 'chat.postEphemeral' | 'response_url';
  /** Replaced through the response_url of a click on it (`replace_original`), latest last. */
  replacedAt?: number[];
  /** Deleted through the response_url of a click on it (`delete_original`). */
  deleted?: boolean;
}

export interface FakeView {
  id: string;
  rootViewId: string;
  previousViewId: string | null;
  /** The user the trigger id was issued for, when known. */
  userId?: string;
  /** The view as Slack returns it (with id, hash, state). */
  view: JsonObject;
  hash: string;
  history: JsonObject[];
}

interface Trigger {
  issuedAt: number;
  used: boolean;
  userId?: string;
}

export const TRIGGER_TTL_MS = 3000;

export class FakeSlackWorkspace {
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages: FakeMessage[] = [];
  readonly ephemerals: FakeEphemeral[] = [];
  readonly views = new Map<string, FakeView>();
  readonly triggers = new Map<string, Trigger>();
  readonly botUserId: string;
  readonly botId = 'B0FAKEBOT01';
  readonly appId = 'A0FAKEAPP01';
  private seq = 0;

  constructor(
    readonly teamId: string,
    readonly now: () => number,
  ) {
    this.botUserId = this.addUser({ name: 'approvals', isBot: true });
  }

  nextId(prefix: string): string {
    this.seq += 1;
    return prefix + this.seq.toString(36).toUpperCase().padStart(10, '0');
  }

  /** Slack-shaped, unique and increasing: `1712345678.000042`. */
  nextTs(): string {
    this.seq += 1;
    return `${Math.floor(this.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  addUser(user: { id?: string; name: string; email?: string; isBot?: boolean; deleted?: boolean }): string {
    const id = user.id ?? this.nextId('U');
    this.users.set(id, {
      id,
      name: user.name,
      email: user.email,
      isBot: user.isBot ?? false,
      deleted: user.deleted ?? false,
    });
    return id;
  }

  addChannel(channel: { id?: string; name: string }): string {
    const id = channel.id ?? this.nextId('C');
    this.channels.set(id, { id, name: channel.name });
    return id;
  }

  /** Finds or creates the DM with a user; undefined if the user does not exist. */
  openDm(userId: string): { id: string; existed: boolean } | undefined {
    if (!this.users.has(userId)) return undefined;
    for (const channel of this.channels.values()) {
      if (channel.dmUserId === userId) return { id: channel.id, existed: true };
    }
    const id = this.nextId('D');
    this.channels.set(id, { id, name: userId, dmUserId: userId });
    return { id, existed: false };
  }

  /** Resolves what `chat.postMessage` accepts as `channel`: an id, `#name`, or a user id (opens a DM). */
  resolveChannel(ref: unknown, allowUser: boolean): string | undefined {
    if (typeof ref !== 'string' || ref === '') return undefined;
    if (this.channels.has(ref)) return ref;
    const name = ref.replace(/^#/, '');
    for (const channel of this.channels.values()) {
      if (channel.dmUserId === undefined && channel.name === name) return channel.id;
    }
    if (allowUser && /^[UW]/.test(ref)) return this.openDm(ref)?.id;
    return undefined;
  }

  findMessage(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
  }

  /** An ephemeral message still shown to `user` (anyone, when not given). */
  findEphemeral(channel: string, ts: string, user?: string): FakeEphemeral | undefined {
    return this.ephemerals.find(
      (e) => e.channel === channel && e.messageTs === ts && !e.deleted && (user === undefined || e.user === user),
    );
  }

  addMessage(message: {
    channel: string;
    text: string;
    blocks?: unknown[];
    user?: string;
    threadTs?: string;
    metadata?: unknown;
    via?: MessageVersion['via'];
  }): FakeMessage {
    const user = message.user ?? this.botUserId;
    const stored: FakeMessage = {
      channel: message.channel,
      ts: this.nextTs(),
      user,
      botId: user === this.botUserId ? this.botId : undefined,
      text: message.text,
      blocks: message.blocks,
      threadTs: message.threadTs,
      metadata: message.metadata,
      deleted: false,
      history: [{ text: message.text, blocks: message.blocks, at: this.now(), via: message.via ?? 'seed' }],
    };
    this.messages.push(stored);
    return stored;
  }

  /** Applies an edit: `blocks` undefined keeps the previous blocks, as `chat.update` does. */
  editMessage(message: FakeMessage, edit: { text?: string; blocks?: unknown[]; via: MessageVersion['via'] }): void {
    if (edit.text !== undefined) message.text = edit.text;
    if (edit.blocks !== undefined) message.blocks = edit.blocks.length === 0 ? undefined : edit.blocks;
    message.history.push({ text: message.text, blocks: message.blocks, at: this.now(), via: edit.via });
  }

  deleteMessage(message: FakeMessage, via: MessageVersion['via']): void {
    message.deleted = true;
    message.history.push({ text: message.text, blocks: message.blocks, at: this.now(), via });
  }

  /** Slack's shape of a message object in API responses. */
  messageJson(message: FakeMessage): JsonObject {
    return {
      type: 'message',
      ...(message.botId ? { subtype: 'bot_message', bot_id: message.botId, app_id: this.appId } : {}),
      user: message.user,
      text: message.text,
      ts: message.ts,
      team: this.teamId,
      ...(message.blocks ? { blocks: message.blocks } : {}),
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      ...(message.metadata ? { metadata: message.metadata } : {}),
    };
  }

  userJson(user: FakeUser): JsonObject {
    return {
      id: user.id,
      team_id: this.teamId,
      name: user.name,
      deleted: user.deleted,
      real_name: user.name,
      is_bot: user.isBot,
      is_app_user: false,
      is_admin: false,
      tz: 'Europe/Brussels',
      profile: {
        real_name: user.name,
        display_name: user.name,
        ...(user.email ? { email: user.email } : {}),
        ...(user.isBot ? { bot_id: this.botId } : {}),
      },
    };
  }

  issueTriggerId(userId?: string): string {
    const id = `${Math.floor(this.now() / 1000)}.${this.seq}.${randomBytes(16).toString('hex')}`;
    this.seq += 1;
    this.triggers.set(id, { issuedAt: this.now(), used: false, userId });
    return id;
  }

  /** Spends a trigger id; returns Slack's error name when it cannot be used. */
  exchangeTrigger(id: unknown): { error: string } | { userId?: string } {
    const trigger = typeof id === 'string' ? this.triggers.get(id) : undefined;
    if (!trigger) return { error: 'invalid_trigger_id' };
    if (trigger.used) return { error: 'exchanged_trigger_id' };
    if (this.now() - trigger.issuedAt > TRIGGER_TTL_MS) return { error: 'expired_trigger_id' };
    trigger.used = true;
    return { userId: trigger.userId };
  }

  newHash(): string {
    return `${Math.floor(this.now() / 1000)}.${randomBytes(6).toString('hex')}`;
  }
}
