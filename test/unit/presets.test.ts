import { describe, expect, it } from 'vitest';
import { parsePolicy, parsePolicyFile } from '../../src/config/policy.js';
import { AppError } from '../../src/errors.js';
import type { OdooServerVersion } from '../../src/flows/types.js';
import { applyPresets, presetFor, resolvePolicy } from '../../src/odoo/presets.js';

const v = (major: number): OdooServerVersion => ({ serie: `${major}.0`, major, minor: 0 });

function typed(type: string, extra = ''): string {
  return `approvals:
  - id: flow-one
    type: ${type}
    slack: { channel: C0APPROVALS }
    approvers: { users: [mia@acme.test] }
${extra}`;
}

function error(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('presetFor', () => {
  it.each([16, 17, 18, 19])('purchase orders are the same on %i', (major) => {
    expect(presetFor('purchase-order', major)).toEqual({
      model: 'purchase.order',
      when: [['state', '=', 'to approve']],
      approve: { method: 'button_approve' },
      reject: { method: 'button_cancel' },
      requesterFields: ['user_id', 'create_uid'],
    });
  });

  it('vendor bills post on approval and reject with a note and a to-do for the responsible', () => {
    const p = presetFor('vendor-bill', 17);
    expect(p.model).toBe('account.move');
    expect(p.when).toEqual([
      ['move_type', '=', 'in_invoice'],
      ['state', '=', 'draft'],
    ]);
    expect(p.approve).toEqual({ method: 'action_post' });
    expect(p.reject).toMatchObject({ note: true, activity: { to: 'invoice_user_id' } });
    expect(p.requesterFields).toEqual(['invoice_user_id', 'create_uid']);
  });

  it.each([
    [16, 'hr.expense.sheet', [['state', '=', 'submit']], { method: 'approve_expense_sheets' }],
    [17, 'hr.expense.sheet', [['approval_state', '=', 'submit']], { method: 'action_approve_expense_sheets' }],
    [18, 'hr.expense.sheet', [['approval_state', '=', 'submit']], { method: 'action_approve_expense_sheets' }],
    [19, 'hr.expense', [['state', '=', 'submitted']], { method: 'action_approve' }],
  ])('expenses on %i use %s', (major, model, when, approve) => {
    const p = presetFor('expense', major);
    expect(p).toMatchObject({ model, when, approve });
    expect(p.requesterFields[0]).toBe('employee_id.user_id');
  });

  it('expense refusal: refuse_sheet(reason) on 16, the wizard on sheets (17/18) or expenses (19)', () => {
    expect(presetFor('expense', 16).reject).toEqual({ method: 'refuse_sheet', kwargs: { reason: '{{reason}}' } });
    expect(presetFor('expense', 17).reject.wizard).toEqual({
      model: 'hr.expense.refuse.wizard',
      method: 'action_refuse',
      values: { reason: '{{reason}}' },
      link: 'sheet_ids',
    });
    expect(presetFor('expense', 19).reject.wizard?.link).toBe('expense_ids');
  });

  it('sale orders confirm, or note with a to-do for the salesperson', () => {
    const p = presetFor('sale-order', 17);
    expect(p.when).toEqual([['state', 'in', ['draft', 'sent']]]);
    expect(p.approve).toEqual({ method: 'action_confirm' });
    expect(p.reject).toMatchObject({ note: true, activity: { to: 'user_id' } });
  });

  it('approval requests act as the approver', () => {
    const p = presetFor('approval-request', 17);
    expect(p).toMatchObject({
      model: 'approval.request',
      when: [['request_status', '=', 'pending']],
      approve: { method: 'action_approve', asApprover: true },
      reject: { method: 'action_refuse', asApprover: true },
      requesterFields: ['request_owner_id'],
    });
  });
});

describe('applyPresets', () => {
  it('fills what the file leaves out, for the version found', () => {
    const policy = applyPresets(parsePolicyFile(typed('expense')), v(19));
    expect(policy.approvals[0]).toMatchObject({ model: 'hr.expense', approve: { method: 'action_approve' } });
    expect(policy.approvals[0]).not.toHaveProperty('type');
  });

  it('lets explicit keys win', () => {
    const file = parsePolicyFile(
      typed(
        'sale-order',
        `    when: [["state", "in", ["draft", "sent"]], ["order_line.discount", ">", 20]]
    reject: { method: action_cancel }
    requesterFields: [user_id]
`,
      ),
    );
    const flow = applyPresets(file, v(17)).approvals[0]!;
    expect(flow.when).toHaveLength(2);
    expect(flow.reject).toEqual({ method: 'action_cancel' });
    expect(flow.requesterFields).toEqual(['user_id']);
    expect(flow.approve).toEqual({ method: 'action_confirm' });
  });

  it('leaves flows without a type as they are, with the default requester fields', () => {
    const text = `approvals:
  - id: po
    model: purchase.order
    when: [["state", "=", "to approve"]]
    slack: { channel: C0APPROVALS }
    approvers: { users: [mia@acme.test] }
    approve: { method: button_approve }
    reject: { method: button_cancel }
`;
    expect(applyPresets(parsePolicyFile(text), v(16)).approvals[0]?.requesterFields).toEqual(['user_id', 'create_uid']);
    expect(parsePolicy(text).approvals[0]?.model).toBe('purchase.order');
  });

  it('parsePolicy without a version says which keys wait for a preset', () => {
    const err = error(() => parsePolicy(typed('vendor-bill'), 'policy.yaml'));
    expect(err.code).toBe('config.policy_invalid');
    expect(err.message).toMatch(/approvals\[0\]\.model \(flow flow-one\): missing; the "vendor-bill" preset/);
  });
});

describe('the policy file with presets and actions', () => {
  it('rejects an unknown type with the list of types', () => {
    const err = error(() => parsePolicyFile(typed('invoice')));
    expect(err.message).toMatch(/approvals\[0\]\.type \(line 3\): must be one of purchase-order, vendor-bill/);
  });

  it('names the missing keys of a flow without a type, with examples', () => {
    const err = error(() =>
      parsePolicyFile(`approvals:
  - id: x
    slack: { channel: C0APPROVALS }
    approvers: { users: [mia@acme.test] }
`),
    );
    expect(err.message).toMatch(/approvals\[0\]\.model .*is required \(or give `type:` to use a preset\)/);
    expect(err.message).toMatch(/approvals\[0\]\.approve .*button_approve/);
  });

  it.each([
    ['nothing to do', '{ asApprover: true }', /says nothing to do: give exactly one of method, wizard or note/],
    ['two kinds', '{ method: a_b, note: true }', /gives method and note; give exactly one/],
    ['kwargs without method', '{ note: true, kwargs: { a: 1 } }', /kwargs.*go with method/],
    ['activity without note', '{ method: x, activity: { to: user_id } }', /activity.*goes with note: true/],
    ['expect with note', '{ note: true, expect: [["state", "=", "x"]] }', /expect.*nothing to expect/],
    ['a wizard without link', '{ wizard: { model: a.b, method: go } }', /reject\.wizard\.link/],
  ])('refuses an action with %s', (_what, action, why) => {
    const err = error(() => parsePolicyFile(typed('vendor-bill', `    reject: ${action}\n`)));
    expect(err.message).toMatch(why);
  });

  it('defaults an activity to the requester, due the next day', () => {
    const file = parsePolicyFile(typed('vendor-bill', '    reject: { note: true, activity: {} }\n'));
    expect(file.approvals[0]?.reject).toEqual({
      note: true,
      activity: { to: 'requester', summary: 'Rejected in chat: please review', days: 1 },
    });
  });
});

describe('resolvePolicy', () => {
  it('does not ask Odoo when no flow needs a preset', async () => {
    const file = parsePolicyFile(
      typed(
        'purchase-order',
        `    model: purchase.order
    when: [["state", "=", "to approve"]]
    approve: { method: button_approve }
    reject: { method: button_cancel }
    requesterFields: [user_id]
`,
      ),
    );
    const policy = await resolvePolicy(
      {
        version: () => {
          throw new Error('must not be called');
        },
      },
      file,
    );
    expect(policy.approvals[0]?.model).toBe('purchase.order');
  });

  it('says to start again when presets need a version Odoo does not give', async () => {
    const down = new AppError('odoo.unreachable', 'transient', 'Odoo is not answering');
    const err = await resolvePolicy({ version: () => Promise.reject(down) }, parsePolicyFile(typed('expense'))).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'config.presets_need_odoo', kind: 'transient' });
  });

  it('applies the presets of the version Odoo reports', async () => {
    const policy = await resolvePolicy({ version: async () => v(16) }, parsePolicyFile(typed('expense')));
    expect(policy.approvals[0]?.approve).toEqual({ method: 'approve_expense_sheets' });
  });
});

describe('docs/policies.md', () => {
  it.each([16, 17, 18, 19])('every per-type example parses and completes on Odoo %i', async (major) => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../docs/policies.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## One example per document type'));
    const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(5);
    for (const yaml of blocks) {
      const flow = applyPresets(parsePolicyFile(yaml, 'docs example'), v(major)).approvals[0]!;
      expect(flow.model).toMatch(/\./);
    }
  });
});
