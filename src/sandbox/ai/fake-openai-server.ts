import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake answers `POST /v1/chat/completions`. */
export type FakeAiMode =
  | 'correct'
  | 'slow'
  | 'error'
  | 'rate-limited'
  | 'wrong-number'
  | 'wrong-vendor'
  | 'invented-reference';

interface ChatBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
}

/** A summary built only from the facts the request carried, as a well-behaved model would write it. */
export function draftFromFacts(facts: Record<string, unknown>): string {
  const amount =
    typeof facts.amount === 'number'
      ? facts.amount.toLocaleString('en-US', { minimumFractionDigits: 2 })
      : 'an unknown amount';
  const currency = typeof facts.currency === 'string' ? ` ${facts.currency}` : '';
  const vendor = typeof facts.vendor === 'string' ? ` from ${facts.vendor}` : '';
  const flags = Array.isArray(facts.flags) ? (facts.flags as string[]) : [];
  const usual = facts.usual as { median: number; documents: number } | null;
  const compare = usual
    ? `The median of the last ${usual.documents} is ${usual.median.toLocaleString('en-US', { minimumFractionDigits: 2 })}${currency}`
    : 'There is no earlier order to compare with';
  const unusual = flags.length > 0 ? `, and it is flagged: ${flags.join('; ')}.` : ', and nothing is unusual.';
  return `Order ${String(facts.reference)}${vendor} totals ${amount}${currency}. ${compare}${unusual}`;
}

/** The text each answering mode gives for these facts; the bad modes each break one kind of claim. */
export function fakeDraft(mode: FakeAiMode, facts: Record<string, unknown>): string {
  switch (mode) {
    case 'wrong-number':
      return draftFromFacts({ ...facts, amount: Number(facts.amount ?? 0) * 1.37 + 13 });
    case 'wrong-vendor':
      return draftFromFacts({ ...facts, vendor: 'Deco Addict' });
    case 'invented-reference':
      return `${draftFromFacts(facts)} It repeats order P99917.`;
    default:
      return draftFromFacts(facts);
  }
}

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 for tests and
 * demos. It keeps every request so tests can check what left the bot
 * (masked personal data, the prompt version).
 */
export class FakeOpenAiServer {
  mode: FakeAiMode = 'correct';
  /** Delay of the `slow` mode. */
  delayMs = 2_000;
  readonly requests: Array<{ headers: IncomingMessage['headers']; body: ChatBody }> = [];
  private readonly pending = new Set<NodeJS.Timeout>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeOpenAiServer> {
    const server = createServer();
    const fake = new FakeOpenAiServer(server);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return fake;
  }

  /** The `baseURL` for the `openai` client (ends in /v1). */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** The facts JSON of the last request's user message. */
  lastFacts(): Record<string, unknown> | null {
    const body = this.requests.at(-1)?.body;
    return body ? factsOf(body) : null;
  }

  async stop(): Promise<void> {
    for (const t of this.pending) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions'))
      return send(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatBody;
    this.requests.push({ headers: req.headers, body });
    const facts = factsOf(body) ?? {};
    switch (this.mode) {
      case 'error':
        return send(res, 500, { error: { message: 'The server had an error', type: 'server_error' } });
      case 'rate-limited':
        return send(res, 429, {
          error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' },
        });
      case 'slow': {
        const t = setTimeout(() => {
          this.pending.delete(t);
          if (!res.destroyed) send(res, 200, completion(body.model, draftFromFacts(facts)));
        }, this.delayMs);
        this.pending.add(t);
        return;
      }
      default:
        return send(res, 200, completion(body.model, fakeDraft(this.mode, facts)));
    }
  }
}

function factsOf(body: ChatBody): Record<string, unknown> | null {
  const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
  const start = user.indexOf('{');
  if (start < 0) return null;
  try {
    return JSON.parse(user.slice(start)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function completion(model: string, text: string) {
  return {
    id: `chatcmpl-fake-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
