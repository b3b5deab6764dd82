import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandHelp } from '../../src/bot/commands/help.js';
import { type ParsedCommand, parseCommand } from '../../src/bot/commands/parse-command.js';

const TODAY = '2026-11-25';
const parse = (text: string) => parseCommand(text, TODAY);

function errorOf(r: ParsedCommand): { message: string; usage: string } {
  if (r.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r;
}

describe('parseCommand', () => {
  it.each(['', '   ', 'help', 'HELP', '?'])('%j is help', (text) => {
    expect(parse(text)).toEqual({ kind: 'help' });
  });

  it('recognises link and unlink', () => {
    expect(parse('link')).toEqual({ kind: 'link' });
    expect(parse(' Unlink ')).toEqual({ kind: 'unlink' });
    expect(errorOf(parse('link abc123')).message).toMatch(/private form/);
  });

  it('parses the exceptions question', () => {
    expect(parse('exceptions')).toEqual({ kind: 'exceptions', view: 'open', type: null });
    expect(parse('exceptions aging bill-variances')).toEqual({
      kind: 'exceptions',
      view: 'aging',
      type: 'bill-variances',
    });
    expect(parse('exceptions bill-variances mine')).toEqual({
      kind: 'exceptions',
      view: 'mine',
      type: 'bill-variances',
    });
    expect(errorOf(parse('exceptions all')).message).toMatch(/not a view/);
  });

  it('parses the status questions', () => {
    expect(parse('status P00042')).toEqual({ kind: 'status', reference: 'P00042' });
    expect(parse('STATUS  BILL/2026/11/0007 ')).toEqual({ kind: 'status', reference: 'BILL/2026/11/0007' });
    expect(parse('status INV 42 A')).toEqual({ kind: 'status', reference: 'INV 42 A' });
    expect(parse('pending')).toEqual({ kind: 'pending', scope: 'mine', flowId: null, offset: 0 });
    expect(parse('pending TEAM')).toEqual({ kind: 'pending', scope: 'team', flowId: null, offset: 0 });
    expect(parse('pending all purchase-orders')).toEqual({
      kind: 'pending',
      scope: 'all',
      flowId: 'purchase-orders',
      offset: 0,
    });
    expect(parse('pending purchase-orders all')).toMatchObject({ scope: 'all', flowId: 'purchase-orders' });
    expect(parse('sla')).toEqual({ kind: 'sla', period: '30d', flowId: null });
    expect(parse('sla quarter bills')).toEqual({ kind: 'sla', period: 'quarter', flowId: 'bills' });
    expect(parse('whoami')).toEqual({ kind: 'whoami' });
  });

  it.each([
    ['status', /Say which document/, 'status <reference>'],
    [`status ${'x'.repeat(81)}`, /at most 80 characters/, 'status <reference>'],
    ['pending mine team', /Give one scope/, 'pending [mine|team|all]'],
    ['pending me', /"me" is not a scope/, 'pending [mine|team|all]'],
    ['pending mine a b', /Unexpected "b" after the flow "a"/, 'pending [mine|team|all]'],
    ['pending Bad_Flow!', /neither a scope nor a flow id/, 'pending [mine|team|all]'],
    ['sla 90d', /"90d" is not a period; use 7d, 30d, quarter/, 'sla [7d|30d|quarter]'],
    ['sla 7d 30d', /Give one period/, 'sla [7d|30d|quarter]'],
    ['whoami please', /takes nothing after it/, 'whoami'],
  ])('%j is explained with its usage', (text, message, usage) => {
    const r = errorOf(parse(text));
    expect(r.message).toMatch(message);
    expect(r.usage).toContain(usage);
  });

  it('answers an unknown subcommand with the help as usage', () => {
    const r = errorOf(parse('frobnicate now'));
    expect(r.message).toBe('Unknown subcommand "frobnicate".');
    expect(r.usage).toBe(commandHelp('/odoo'));
  });

  it('lists and ends delegations', () => {
    expect(parse('delegate')).toEqual({ kind: 'delegate', action: 'list' });
    expect(parse('delegate list')).toEqual({ kind: 'delegate', action: 'list' });
    expect(parse('delegate off')).toEqual({ kind: 'delegate', action: 'off' });
    expect(parse('delegate OFF')).toEqual({ kind: 'delegate', action: 'off' });
  });

  it.each([
    ['delegate <@U123ABC|max> until 2026-12-24', { slackUserId: 'U123ABC' }],
    ['delegate <@U123ABC> until 2026-12-24', { slackUserId: 'U123ABC' }],
    ['delegate to <@W0GRID99|Max Manager> until 2026-12-24', { slackUserId: 'W0GRID99' }],
    ['delegate <@U123ABC|max> 2026-12-24', { slackUserId: 'U123ABC' }],
    ['delegate @max until 2026-12-24', { text: 'max' }],
    ['delegate max@acme.test until 2026-12-24', { text: 'max@acme.test' }],
  ])('%j sets a delegation', (text, to) => {
    expect(parse(text)).toEqual({ kind: 'delegate', action: 'set', to, until: '2026-12-24' });
  });

  it('accepts today and exactly a year ahead', () => {
    expect(parse('delegate <@U1AA> until 2026-11-25')).toMatchObject({ until: '2026-11-25' });
    expect(parse('delegate <@U1AA> until 2027-11-26')).toMatchObject({ until: '2027-11-26' });
  });

  it.each([
    ['delegate <@U1AA> until 2026-11-24', /is in the past/],
    ['delegate <@U1AA> until 2027-11-27', /more than a year ahead; choose a date up to 2027-11-26/],
    ['delegate <@U1AA> until 24.12.2026', /write it as YYYY-MM-DD, e\.g\. 2026-12-24/],
    ['delegate <@U1AA> until tomorrow', /"tomorrow" is not a date I can read/],
    ['delegate <@U1AA> until 2026-02-30', /2026-02-30 is not a date in the calendar/],
    ['delegate <@U1AA>', /Say until when/],
    ['delegate <@U1AA> until', /Say until when/],
    ['delegate <@U1AA> until 2026-12-24 please', /Expected one date/],
    ['delegate until 2026-12-24', /Say who/],
    ['delegate <#C123|general> until 2026-12-24', /is not a person/],
    ['delegate to', /Say who/],
  ])('%j is explained with the delegate usage', (text, message) => {
    const r = errorOf(parse(text));
    expect(r.message).toMatch(message);
    expect(r.usage).toContain('/odoo delegate @person until YYYY-MM-DD');
  });

  it('echoes the command as typed in usage', () => {
    expect(errorOf(parseCommand('delegate <@U1AA>', TODAY, '/erp')).usage).toContain('/erp delegate off');
  });

  it('never throws and always answers something meaningful, whatever the text', () => {
    const words = fc.constantFrom(
      'delegate',
      'status',
      'pending',
      'sla',
      'whoami',
      'mine',
      'team',
      'all',
      'quarter',
      '7d',
      '90d',
      'until',
      'off',
      'to',
      'link',
      '<@U123ABC|max>',
      '<@',
      '>',
      '|',
      '2026-12-24',
      '2026-02-30',
      '9999-99-99',
      '@',
      '',
      ' ',
      '\n',
      '\u0000',
    );
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.array(fc.oneof(words, fc.string({ maxLength: 12 })), { maxLength: 8 }).map((w) => w.join(' ')),
      fc.string({ maxLength: 40 }).map((w) => `delegate <@U1AA|${w}> <${w}\n> until ${w}`),
      fc.string({ maxLength: 40 }).map((w) => `<x\n${w}>`),
    );
    const today = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(text, fc.oneof(today, fc.string({ maxLength: 12 })), (t, day) => {
        const r = parseCommand(t, day);
        expect(typeof r.kind).toBe('string');
        if (r.kind === 'error') {
          expect(r.message.length).toBeGreaterThan(0);
          expect(r.message).not.toContain('\n');
          expect(r.usage.length).toBeGreaterThan(0);
        }
        if (r.kind === 'delegate' && r.action === 'set') expect(r.until).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        if (r.kind === 'status') expect(r.reference.length).toBeGreaterThan(0);
        if (r.kind === 'pending') expect(['mine', 'team', 'all']).toContain(r.scope);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps error messages short even for huge input', () => {
    const r = errorOf(parse(`x${'y'.repeat(100_000)}`));
    expect(r.message.length).toBeLessThan(80);
  });
});
