import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { HttpReply } from '../bot/slack/slack-request-receiver.js';
import type { FlowDeps } from '../flows/deps.js';
import { json } from '../http/server.js';
import type { SandboxActions } from './sandbox-actions.js';
import type { SandboxClock } from './sandbox-clock.js';
import { pollExceptionsNow } from './sandbox-exception-poll.js';
import { fastForward } from './sandbox-fast-forward.js';
import { sandboxState } from './sandbox-state.js';
import type { SandboxWorld } from './sandbox-world.js';
import { sandboxPage } from './web/sandbox-page.js';

export interface SandboxRouteDeps {
  world: SandboxWorld;
  deps: FlowDeps;
  clock: SandboxClock;
  actions: SandboxActions;
}

type Body = Record<string, unknown>;

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function poll<T>(fn: () => T | undefined, ms: number): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined || Date.now() > deadline) return v;
    await wait(50);
  }
}

function str(body: Body, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || v === '') throw new SandboxInputError(`"${key}" is required in the request body`);
  return v;
}

class SandboxInputError extends Error {}

/** The "New …" buttons that make a record some exception definition matches. */
const EXCEPTION_RECORDS: Record<string, { model: string; create: (world: SandboxWorld) => number }> = {
  variance: { model: 'account.move', create: (w) => w.newVarianceBill() },
  'overdue-invoice': { model: 'account.move', create: (w) => w.newOverdueInvoice() },
  'failed-payment': { model: 'payment.transaction', create: (w) => w.newFailedPayment() },
};

let adaptiveCardsJs: Promise<string> | null = null;

/** The `/sandbox` page, its script asset and the API its buttons call. */
export function sandboxRoutes(r: SandboxRouteDeps): (req: IncomingMessage, raw: Buffer) => Promise<HttpReply> {
  const { world, actions } = r;
  const post: Record<string, (b: Body) => Promise<unknown>> = {
    'slack/click': async (b) => {
      const person = world.person(str(b, 'person'));
      const before = new Set(world.slack.views().map((v) => v.id));
      const sent = await actions.slackClick(person.key, str(b, 'channel'), str(b, 'ts'), str(b, 'actionId'));
      // Buttons that ask for a reason open a modal through views.open, shortly after the click is acknowledged.
      const view =
        b.expectModal === false
          ? undefined
          : await poll(() => world.slack.views().find((v) => !before.has(v.id) && v.userId === person.slackId), 1500);
      return { sent, view: view ? { id: view.id, view: view.view } : null };
    },
    'slack/submit': async (b) => ({
      sent: await actions.slackSubmit(str(b, 'person'), str(b, 'viewId'), String(b.text ?? '')),
    }),
    'slack/command': async (b) => {
      const sent = await actions.slashCommand(
        str(b, 'person'),
        String(b.channel || 'C0APPROVALS'),
        String(b.text ?? ''),
      );
      const answer = await poll(() => world.slack.responses(sent.responseId)[0], 5000);
      return { sent, answer: answer ?? null };
    },
    'teams/action': async (b) => ({
      sent: await actions.teamsAction(
        str(b, 'person'),
        str(b, 'conversationId'),
        str(b, 'activityId'),
        str(b, 'verb'),
        (b.data as Body) ?? {},
      ),
    }),
    'teams/message': async (b) => ({
      sent: await actions.teamsMessage(str(b, 'person'), str(b, 'conversationId'), str(b, 'text')),
    }),
    'odoo/new': async (b) => {
      const kind = str(b, 'kind');
      // Exceptions reach the bot through the poller (run now), as without an Odoo automation rule.
      const exception = EXCEPTION_RECORDS[kind];
      if (exception) {
        const id = exception.create(world);
        await pollExceptionsNow(r.deps);
        return { model: exception.model, id };
      }
      if (kind !== 'po' && kind !== 'po-big')
        throw new SandboxInputError(`kind must be one of po, po-big, ${Object.keys(EXCEPTION_RECORDS).join(', ')}`);
      const id = world.newPurchaseOrder({ big: kind === 'po-big' });
      return { model: 'purchase.order', id, sent: await actions.webhook('purchase.order', id) };
    },
    'fast-forward': async (b) => {
      const hours = Number(b.hours);
      if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 60)
        throw new SandboxInputError('hours must be a number between 0 and 1440');
      return fastForward(r.deps, r.clock, hours * 3_600_000);
    },
  };
  return async (req, raw) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && (path === '/sandbox' || path === '/sandbox/'))
      return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: sandboxPage() };
    if (req.method === 'GET' && path === '/sandbox/assets/adaptivecards.js') {
      adaptiveCardsJs ??= readFile(
        createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js'),
        'utf8',
      );
      return {
        status: 200,
        headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=3600' },
        body: await adaptiveCardsJs,
      };
    }
    if (req.method === 'GET' && path === '/sandbox/api/state')
      return json(200, await sandboxState(world, r.deps, r.clock));
    const handler = path.startsWith('/sandbox/api/') ? post[path.slice('/sandbox/api/'.length)] : undefined;
    if (!handler) return json(404, { error: 'not_found', message: `no sandbox route ${req.method} ${path}` });
    if (req.method !== 'POST') return json(405, { error: 'method_not_allowed' });
    let body: Body;
    try {
      body = raw.length ? (JSON.parse(raw.toString('utf8')) as Body) : {};
    } catch {
      return json(400, { error: 'bad_request', message: 'the body must be JSON' });
    }
    try {
      return json(200, await handler(body));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return json(err instanceof SandboxInputError || err instanceof RangeError ? 400 : 422, {
        error: 'sandbox',
        message,
      });
    }
  };
}
