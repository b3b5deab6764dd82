import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POLICY_EXAMPLE, parsePolicy } from '../../src/config/policy.js';
import { AppError } from '../../src/errors.js';
import { POLICY_YAML } from '../support/purchase-scenario.js';

/** The README flow as YAML lines, so a test can change one line. */
const flowLines = (overrides: Record<string, string | null> = {}): string => {
  const fields: Record<string, string | null> = {
    id: 'purchase-orders',
    model: 'purchase.order',
    when: '[["state", "=", "to approve"]]',
    slack: '{ channel: C0APPROVALS }',
    approvers: '{ odooGroup: purchase.group_purchase_manager }',
    approve: '{ method: button_approve }',
    reject: '{ method: button_cancel }',
    ...overrides,
  };
  const lines = Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== null)
    .map(([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${v}`);
  return lines.join('\n');
};
const policyWith = (overrides: Record<string, string | null> = {}) => `approvals:\n${flowLines(overrides)}\n`;

function policyError(text: string): AppError {
  try {
    parsePolicy(text, 'policy.yaml');
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error(`expected parsePolicy to throw for:\n${text}`);
}

describe('parsePolicy', () => {
  it('parses the README example and fills in the defaults', () => {
    const policy = parsePolicy(POLICY_YAML, 'policy.yaml');
    expect(policy.approvals).toHaveLength(1);
    expect(policy.approvals[0]).toEqual({
      id: 'purchase-orders',
      model: 'purchase.order',
      when: [['state', '=', 'to approve']],
      slack: { channel: 'C0APPROVALS', dmApprovers: true },
      tiers: [
        {
          name: 'Approval',
          approvers: { odooGroup: ['purchase.group_purchase_manager'] },
          minApprovals: 1,
          required: [],
        },
      ],
      approve: { method: 'button_approve' },
      reject: { method: 'button_cancel' },
      requesterFields: ['user_id', 'create_uid'],
      distinctApprovers: false,
      infoRequests: { pauseTimers: true },
      forward: { anyone: false },
      timers: undefined,
    });
    expect(policy.calendar.timeZone).toBe('UTC');
    expect(policy.roles).toEqual({});
    expect(policy.delegations).toEqual([]);
  });

  it('parses its own example', () => {
    expect(parsePolicy(POLICY_EXAMPLE).approvals[0]?.id).toBe('purchase-orders');
  });

  it('keeps explicit options: dmApprovers, requester fields, expect domains, kwargs, title', () => {
    const policy = parsePolicy(
      policyWith({
        slack: '{ channel: G0PRIVATE, dmApprovers: false }',
        approve: '{ method: button_approve, kwargs: { force: true }, expect: [["state", "in", ["purchase", "done"]]] }',
        requesterFields: '[user_id]',
        title: 'Big purchase',
        when: '["|", ["state", "=", "to approve"], "!", ["amount_total", "<", 100]]',
      }),
    );
    const flow = policy.approvals[0]!;
    expect(flow.slack?.dmApprovers).toBe(false);
    expect(flow.requesterFields).toEqual(['user_id']);
    expect(flow.approve.expect).toEqual([['state', 'in', ['purchase', 'done']]]);
    expect(flow.approve.kwargs).toEqual({ force: true });
    expect(flow.title).toBe('Big purchase');
  });

  it.each([
    ['a missing approve', { approve: null }, 'approvals[0].approve (line 2)', /method/],
    ['a bad channel id', { slack: '{ channel: "#approvals" }' }, 'approvals[0].slack.channel (line 5)', /channel id/],
    ['a bad model name', { model: 'Purchase Order' }, 'approvals[0].model (line 3)', /model name/],
    ['a bad operator', { when: '[["state", "==", "to approve"]]' }, 'approvals[0].when[0] (line 4)', /not in/],
    ['a dangling "|"', { when: '["|", ["state", "=", "to approve"]]' }, 'approvals[0].when (line 4)', /needs 2/],
    ['a private method', { reject: '{ method: _action_cancel }' }, 'approvals[0].reject.method (line 8)', /public/],
    ['a missing slack', { slack: null }, 'approvals[0].slack (line 2)', /channel/],
    ['an unknown flow key', { approverz: '{}' }, 'approvals[0] (line 2)', /approverz/],
    ['a bad group', { approvers: '{ odooGroup: managers }' }, 'approvals[0].approvers.odooGroup (line 6)', /XML id/],
  ])('names the YAML path and line of %s', (_what, overrides, where, why) => {
    const err = policyError(policyWith(overrides));
    expect(err.code).toBe('config.policy_invalid');
    expect(err.kind).toBe('user');
    const line = err.message.split('\n').find((l) => l.includes(where));
    expect(line, err.message).toBeDefined();
    expect(line).toMatch(why);
    expect(err.message).toContain('A working example:');
    expect(err.message).toContain(POLICY_EXAMPLE);
  });

  it('refuses a flow id used twice, pointing at the second', () => {
    const text = `approvals:\n${flowLines()}\n${flowLines({ model: 'account.move' })}\n`;
    const err = policyError(text);
    expect(err.message).toMatch(/approvals\[1\]\.id \(line 9\): "purchase-orders" is already used by approvals\[0\]/);
  });

  it('refuses an unknown top-level key', () => {
    const err = policyError(`${POLICY_YAML}escalation: { after: 2h }\n`);
    expect(err.message).toMatch(/\(top level\) \(line 1\): Unrecognized key: "escalation"/);
  });

  it('lists several problems at once', () => {
    const err = policyError(policyWith({ model: 'x', slack: '{ channel: nope }' }));
    expect(err.message).toMatch(/has 2 problems/);
  });

  it.each([
    ['an unclosed flow sequence', 'approvals:\n  - id: [unclosed\n'],
    ['a tab-indented map', 'approvals:\n\t- id: x\n'],
    ['duplicate keys', '{a: 1, a: 2}'],
    ['an unknown alias', 'approvals: *nowhere\n'],
    [
      'a billion laughs',
      [
        'a: &a [x, x, x, x, x, x, x, x, x, x]',
        'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
        'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
      ].join('\n'),
    ],
  ])('refuses invalid YAML (%s) as config.policy_yaml', (_what, text) => {
    const err = policyError(text);
    expect(err.code).toBe('config.policy_yaml');
    expect(err.kind).toBe('user');
    expect(err.message).toMatch(/^policy\.yaml is not valid YAML: /);
  });

  it.each([
    ['an empty file', ''],
    ['a list', '- a\n- b\n'],
    ['an empty approvals list', 'approvals: []\n'],
  ])('explains %s', (_what, text) => {
    const err = policyError(text);
    expect(err.code).toBe('config.policy_invalid');
    expect(err.message).toContain(POLICY_EXAMPLE);
  });

  it('names the file it was given', () => {
    expect(policyError('approvals: []\n').message).toMatch(/^policy\.yaml has a problem/);
    try {
      parsePolicy('approvals: []\n', '/etc/chatops/policy.yaml');
    } catch (err) {
      expect((err as Error).message).toMatch(/^\/etc\/chatops\/policy\.yaml has a problem/);
    }
  });

  it('either returns a policy or throws an AppError, for any YAML-ish text', () => {
    const token = fc.constantFrom(
      'approvals:',
      '  - ',
      '    ',
      'id: ',
      'model: ',
      'when: ',
      'slack: ',
      '{ channel: C0APPROVALS }',
      '[',
      ']',
      '{',
      '}',
      ',',
      ':',
      '-',
      '"',
      "'",
      '&a ',
      '*a',
      '<<: ',
      '!!binary ',
      '!!map ',
      '? ',
      '|',
      '>',
      '#',
      '---',
      '...',
      '%YAML 1.2',
      '\n',
      '\t',
      'purchase.order',
      '["|", ["state", "=", "x"]]',
      '~',
      'null',
      'true',
      '1e400',
    );
    const text = fc.oneof(
      fc.array(fc.oneof(token, fc.string({ maxLength: 8 })), { maxLength: 40 }).map((parts) => parts.join('')),
      fc.string({ unit: 'binary', maxLength: 200 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        try {
          parsePolicy(t);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parsePolicy: risk: and ai: on a flow', () => {
  it('keeps the risk limits and the AI allowlist; ai.enabled defaults to true', () => {
    const flow = parsePolicy(
      policyWith({
        risk: '{ priceIncreasePct: 15, maxDiscountPct: 25, minMarginPct: 12.5, amountFactor: 2.5, splitWindowDays: 14 }',
        ai: '{ facts: [reference, amount, currency, flags] }',
      }),
    ).approvals[0]!;
    expect(flow.risk).toEqual({
      priceIncreasePct: 15,
      maxDiscountPct: 25,
      minMarginPct: 12.5,
      amountFactor: 2.5,
      splitWindowDays: 14,
    });
    expect(flow.ai).toEqual({ enabled: true, facts: ['reference', 'amount', 'currency', 'flags'] });
    expect(parsePolicy(policyWith({ ai: '{ enabled: false }' })).approvals[0]!.ai).toEqual({ enabled: false });
    expect(parsePolicy(policyWith()).approvals[0]).not.toHaveProperty('risk');
  });

  it('names the key and what it accepts when a value is wrong', () => {
    const risk = policyError(policyWith({ risk: '{ maxDiscountPct: 150, amountFactor: 1, discount: 5 }' })).message;
    expect(risk).toContain('approvals[0].risk.maxDiscountPct (line 9): must be at most 100');
    expect(risk).toContain('approvals[0].risk.amountFactor (line 9): must be more than 1, e.g. 3');
    expect(risk).toContain('approvals[0].risk');
    expect(risk).toContain('"discount"');
    const ai = policyError(policyWith({ ai: '{ facts: [reference, iban] }' })).message;
    expect(ai).toContain('approvals[0].ai.facts[1]');
    expect(ai).toContain('must be a fact name: one of reference, vendor, amount');
  });
});
