import { AppError } from '../../src/errors.js';
import type { CardModel } from '../../src/flows/card.js';
import type { ChatPlatform } from '../../src/flows/ports.js';
import type { ChatActor, ChatTarget, Platform, PostedMessageRef } from '../../src/flows/types.js';

type ChatMethod = 'postCard' | 'updateCard' | 'postReply' | 'findUserByEmail' | 'userEmail' | 'tellUser';

/** A chat platform that records what the flow engine asked of it. */
export class FakeChatPlatform implements ChatPlatform {
  readonly posts: Array<{ target: ChatTarget; card: CardModel; ref: PostedMessageRef }> = [];
  readonly updates: Array<{ ref: PostedMessageRef; card: CardModel }> = [];
  readonly replies: Array<{ ref: PostedMessageRef; text: string }> = [];
  readonly told: Array<{ actor: ChatActor; text: string; context?: { channelId?: string; responseUrl?: string } }> = [];
  /** How often each method was called, failures included. */
  readonly calls: Record<ChatMethod, number> = {
    postCard: 0,
    updateCard: 0,
    postReply: 0,
    findUserByEmail: 0,
    userEmail: 0,
    tellUser: 0,
  };
  private readonly emails = new Map<string, string | null>();
  private readonly failures: Array<{ method: ChatMethod | '*'; error: Error; skip: number }> = [];
  private nextMessage = 1;

  /** Flow id → channel; by default every flow posts in C0APPROVALS. */
  channels: (flowId: string) => string | null = () => 'C0APPROVALS';

  constructor(readonly platform: Platform = 'slack') {}

  async channelFor(flowId: string): Promise<string | null> {
    return this.channels(flowId);
  }

  /** A chat user; `email: null` is a user whose email the platform does not show. */
  addUser(userId: string, email: string | null): this {
    this.emails.set(userId, email);
    return this;
  }

  /**
   * A later call of `method` (any method for '*') throws, a transient error by
   * default: the next one, or the one after `okCalls` successful calls.
   */
  failNext(method: ChatMethod | '*' = '*', error?: Error, okCalls = 0): void {
    this.failures.push({
      method,
      skip: okCalls,
      error: error ?? new AppError('chat.unavailable', 'transient', `The test made the chat platform fail ${method}.`),
    });
  }

  async postCard(target: ChatTarget, card: CardModel): Promise<PostedMessageRef> {
    this.enter('postCard');
    const messageId = `1764064800.${String(this.nextMessage++).padStart(6, '0')}`;
    const ref: PostedMessageRef =
      target.kind === 'channel'
        ? { platform: this.platform, channelId: target.channelId, messageId, kind: 'channel' }
        : { platform: this.platform, channelId: `D-${target.userId}`, messageId, kind: 'dm', recipient: target.userId };
    this.posts.push({ target, card: structuredClone(card), ref });
    return { ...ref };
  }

  async updateCard(ref: PostedMessageRef, card: CardModel): Promise<void> {
    this.enter('updateCard');
    this.updates.push({ ref: { ...ref }, card: structuredClone(card) });
  }

  async postReply(ref: PostedMessageRef, text: string): Promise<void> {
    this.enter('postReply');
    this.replies.push({ ref: { ...ref }, text });
  }

  async findUserByEmail(email: string): Promise<string | null> {
    this.enter('findUserByEmail');
    for (const [userId, e] of this.emails) if (e && e.toLowerCase() === email.toLowerCase()) return userId;
    return null;
  }

  async userEmail(userId: string): Promise<string | null> {
    this.enter('userEmail');
    return this.emails.get(userId) ?? null;
  }

  async tellUser(
    actor: ChatActor,
    text: string,
    context?: { channelId?: string; responseUrl?: string },
  ): Promise<void> {
    this.enter('tellUser');
    this.told.push(context ? { actor, text, context } : { actor, text });
  }

  /** The latest card drawn for a case, posted or updated. */
  latestCard(caseId: string): CardModel | undefined {
    const drawn = [...this.posts.map((p) => p.card), ...this.updates.map((u) => u.card)];
    const updated = this.updates.filter((u) => u.card.caseId === caseId).at(-1);
    return updated?.card ?? drawn.filter((c) => c.caseId === caseId).at(-1);
  }

  private enter(method: ChatMethod): void {
    this.calls[method] += 1;
    const i = this.failures.findIndex((f) => f.method === method || f.method === '*');
    const failure = this.failures[i];
    if (!failure) return;
    if (failure.skip > 0) {
      failure.skip -= 1;
      return;
    }
    this.failures.splice(i, 1);
    throw failure.error;
  }
}
