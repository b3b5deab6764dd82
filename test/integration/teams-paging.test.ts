import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardActionActivity, messageActivity } from '../../src/sandbox/teams/activities.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import { eventually, postWebhook } from '../support/purchase-scenario.js';
import { startTeamsScenario, TEAMS_POLICY_YAML, type TeamsScenario } from '../support/teams-scenario.js';

interface PageCard {
  body: Array<{ text: string }>;
  actions?: Array<{ type: string; verb: string; title: string; data: Record<string, unknown> }>;
}
interface Sent {
  id?: unknown;
  attachments?: Array<{ content?: PageCard }>;
}
interface InvokeReply {
  statusCode: number;
  type: string;
  value: PageCard & { message?: string };
}

describe('"Show more" for `pending` in Teams', () => {
  let s: TeamsScenario;
  let svc: InProcessService;
  const chat = 'a:1mia-personal-chat';

  beforeAll(async () => {
    s = await startTeamsScenario();
    svc = await startInProcess(s, { policyYaml: TEAMS_POLICY_YAML });
    for (let i = 0; i < 12; i++) expect((await postWebhook(svc.baseUrl, s, s.newOrder())).status).toBe(202);
    await eventually(
      async () => (await svc.service.deps.store.listCases({ status: ['open'], limit: 100 })).length === 12,
      30_000,
    );
  }, 90_000);
  afterAll(async () => {
    await svc?.close();
    await s?.stop();
  });

  const cardIn = (a: unknown): PageCard | undefined => (a as Sent).attachments?.[0]?.content;

  it('answers a paged `pending` with a card whose Action.Execute shows the next page', async () => {
    const ctx = s.personalContext(chat);
    expect((await s.deliver(svc.baseUrl, messageActivity(ctx, s.teamsUsers.manager, 'pending'))).status).toBe(200);
    const reply = await eventually(() => s.teams.activities(chat).find((a) => cardIn(a)));
    const card = cardIn(reply)!;
    expect(card.body[0]!.text).toMatch(/^12 cases waiting on you[^\n]*; 1–10:/);
    const more = card.actions![0]!;
    expect(more).toMatchObject({ type: 'Action.Execute', verb: 'command.more', title: 'Show more' });
    expect(more.data).toMatchObject({ o: 10 });

    const click = await s.deliver(
      svc.baseUrl,
      cardActionActivity(ctx, s.teamsUsers.manager, {
        verb: 'command.more',
        data: more.data,
        replyToId: String((reply as Sent).id),
      }),
    );
    expect(click.status).toBe(200);
    const body = (await click.json()) as InvokeReply;
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(body.value.body[0]!.text).toMatch(/; 11–12:\n11\. \*P\d+\*/);
    expect(body.value.actions).toBeUndefined();
  });

  it('answers a damaged button with an error, never a stack trace', async () => {
    const ctx = s.personalContext(chat);
    const click = await s.deliver(
      svc.baseUrl,
      cardActionActivity(ctx, s.teamsUsers.manager, { verb: 'command.more', data: { q: 'sla 7d', o: 1 } }),
    );
    const body = (await click.json()) as InvokeReply;
    expect(body.statusCode).toBe(400);
    expect(body.value.message).toContain('This button is damaged');
  });
});
