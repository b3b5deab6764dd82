// biome-ignore-all lint/suspicious/noExplicitAny: assertions walk card JSON
import { describe, expect, it } from 'vitest';
import { cardBytes, renderAdaptiveCard, TEAMS_CARD_LIMITS } from '../../src/bot/teams/render-adaptive-card.js';
import { buildCard } from '../../src/flows/build-card.js';
import { ACTION_IDS, type CardModel } from '../../src/flows/card.js';
import type { CaseStatus } from '../../src/flows/types.js';
import { validateAdaptiveCard } from '../../src/sandbox/teams/validate-adaptive-card.js';
import { aCase, aDecision, aFlow, aLine, aSnapshot } from '../support/builders.js';

const STATUSES: CaseStatus[] = [
  'open',
  'info_requested',
  'deciding',
  'approved',
  'rejected',
  'cancelled',
  'failed',
  'expired',
];

function checked(card: CardModel, showActions = true) {
  const json = renderAdaptiveCard(card, {
    showActions,
    refreshUserIds: ['29:mia'],
    notice: 'Your approval is being recorded…',
  });
  const check = validateAdaptiveCard(json);
  expect(check.errors).toEqual([]);
  expect(Number(check.version)).toBeLessThanOrEqual(1.5);
  expect(check.bytes).toBeLessThanOrEqual(TEAMS_CARD_LIMITS.maxBytes);
  return json as Record<string, any>;
}

function verbs(json: Record<string, any>): string[] {
  const out: string[] = [];
  const walk = (actions: any[] | undefined) => {
    for (const a of actions ?? []) {
      if (a.type === 'Action.Execute') out.push(a.verb);
      if (a.type === 'Action.ShowCard') walk(a.card.actions);
    }
  };
  walk(json.actions);
  return out;
}

describe('renderAdaptiveCard', () => {
  it('the validator does catch a broken card', () => {
    const bad = validateAdaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'NoSuchElement' }] });
    expect(bad.errors.length).toBeGreaterThan(0);
  });

  it.each(STATUSES)('renders a %s case to a valid 1.5 card within 28 KB', (status) => {
    const decision = status === 'open' ? null : aDecision({ action: 'reject', reason: 'too dear' });
    checked(buildCard(aFlow(), aCase({ status }), decision));
    checked(buildCard(aFlow(), aCase({ status }), decision), false);
  });

  it('gives an open card Action.Execute buttons with the verb and the button value, reject behind a required reason', () => {
    const c = aCase();
    const json = checked(buildCard(aFlow(), c, null));
    expect(verbs(json)).toEqual([ACTION_IDS.approve, ACTION_IDS.reject, ACTION_IDS.askQuestion, ACTION_IDS.forward]);
    const approve = json.actions.find((a: any) => a.verb === ACTION_IDS.approve);
    expect(approve.data).toMatchObject({ c: c.id, action: ACTION_IDS.approve });
    const reject = json.actions.find(
      (a: any) => a.type === 'Action.ShowCard' && a.card.actions[0].verb === ACTION_IDS.reject,
    );
    expect(reject.card.body[0]).toMatchObject({ type: 'Input.Text', id: 'reason', isRequired: true });
    expect(json.refresh).toMatchObject({
      action: { verb: ACTION_IDS.refresh, data: { c: c.id } },
      userIds: ['29:mia'],
    });
  });

  it('shows only the status and the link to people who may not act', () => {
    const json = checked(buildCard(aFlow(), aCase(), null), false);
    expect(verbs(json)).toEqual([]);
    expect(json.actions.map((a: any) => a.type)).toEqual(['Action.OpenUrl']);
  });

  it('drops the buttons and the refresh once decided', () => {
    const json = checked(buildCard(aFlow(), aCase({ status: 'approved' }), aDecision()));
    expect(verbs(json)).toEqual([]);
    expect(json.refresh).toBeUndefined();
  });

  it('keeps at most 60 refresh user ids', () => {
    const ids = Array.from({ length: 90 }, (_, i) => `29:u${i}`);
    const json = renderAdaptiveCard(buildCard(aFlow(), aCase(), null), { showActions: true, refreshUserIds: ids });
    expect((json.refresh as any).userIds).toHaveLength(60);
  });

  it('stays within 28 KB with very long inputs, cutting the table with "and N more"', () => {
    const long = 'Ü'.repeat(5000);
    const card = buildCard(aFlow(), aCase({ snapshot: aSnapshot({ partner: long, owner: long }) }), null);
    card.table = {
      columns: ['Product', 'Qty', 'Unit price', 'Subtotal'],
      rows: Array.from({ length: 400 }, (_, i) => [`${long}${i}`, '1', '2', '3']),
      omitted: 0,
    };
    card.facts.push(...Array.from({ length: 20 }, (_, i) => ({ label: long, value: `${long}${i}` })));
    card.summary = long;
    card.status = { tone: 'warning', text: long };
    const json = checked(card);
    expect(cardBytes(json)).toBeLessThanOrEqual(TEAMS_CARD_LIMITS.maxBytes);
    expect(JSON.stringify(json)).toMatch(/and \d+ more lines/);
    void aLine;
  });

  it('puts an answer input on the question card', () => {
    const card: CardModel = {
      caseId: aCase().id,
      title: 'Question',
      text: 'q',
      facts: [],
      summary: 'Why?',
      status: { tone: 'warning', text: 'waits' },
      actions: [{ id: ACTION_IDS.answerQuestion, label: 'Answer', style: 'primary', value: '{"c":"x","q":"q1"}' }],
    };
    const json = checked(card);
    expect(json.actions[0].card.body[0]).toMatchObject({ id: 'answer', isRequired: true });
    expect(json.refresh).toBeUndefined();
  });
});
