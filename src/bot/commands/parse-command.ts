import { commandHelp, NOT_YET_COMMANDS, type NotYetCommand, usageOf } from './help.js';
import {
  parseExceptions,
  parsePending,
  parseSla,
  parseStatus,
  parseWhoami,
  type QueryCommand,
} from './parse-query-command.js';
import { shown } from './quote-word.js';

/** Who a delegation goes to: a Slack mention (the reliable way) or a typed Odoo login or email. */
export type DelegateTarget = { slackUserId: string } | { text: string };

export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'delegate'; action: 'list' }
  | { kind: 'delegate'; action: 'off' }
  | { kind: 'delegate'; action: 'set'; to: DelegateTarget; until: string }
  | { kind: 'link' }
  | { kind: 'unlink' }
  | QueryCommand
  | { kind: 'not_yet'; name: NotYetCommand }
  | { kind: 'error'; message: string; usage: string };

/** Longest command text looked at; Slack's own limit is far below what would matter, this guards the regexes. */
const MAX_TEXT = 2000;
/** A delegation may be set at most this far ahead, so forgotten ones end. */
const MAX_DAYS_AHEAD = 366;
const DAY_MS = 86_400_000;

/**
 * `<@U123ABC|name>` or `<@U123ABC>`: how Slack sends a mention in command text
 * when the command escapes users (`should_escape: true`). W… ids are
 * Enterprise Grid users.
 */
const MENTION = /^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Splits on whitespace but keeps `<…>` escapes whole (a mention's name may contain spaces). */
function tokens(text: string): string[] {
  return text.slice(0, MAX_TEXT).match(/<[^<>]*>|[^\s<]+|</g) ?? [];
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Milliseconds of a valid ISO calendar date at 00:00 UTC, or null (2026-02-30 is not a date). */
function dayMs(date: string): number | null {
  const m = ISO_DATE.exec(date);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return isoDay(ms) === date ? ms : null;
}

/**
 * Parses the text after `/odoo`. Pure and total: any text gives a result,
 * never an exception. `today` is the current date (YYYY-MM-DD) in the
 * policy calendar's time zone, so "until today" means the same day for
 * everyone; `command` is echoed in usage lines.
 */
export function parseCommand(text: string, today: string, command = '/odoo'): ParsedCommand {
  const words = tokens(String(text ?? '').trim());
  const sub = words[0]?.toLowerCase() ?? '';
  const error = (message: string, usage: string): ParsedCommand => ({ kind: 'error', message, usage });
  switch (sub) {
    case '':
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'link':
      return words.length === 1
        ? { kind: 'link' }
        : error('`link` takes nothing after it: the key is asked for in a private form.', usageOf('link', command));
    case 'unlink':
      return words.length === 1
        ? { kind: 'unlink' }
        : error('`unlink` takes nothing after it.', usageOf('link', command));
    case 'delegate':
      return parseDelegate(words.slice(1), today, command);
    case 'status':
      return parseStatus(words.slice(1), command);
    case 'pending':
      return parsePending(words.slice(1), command);
    case 'sla':
      return parseSla(words.slice(1), command);
    case 'exceptions':
      return parseExceptions(words.slice(1), command);
    case 'whoami':
      return parseWhoami(words.slice(1), command);
  }
  const notYet = NOT_YET_COMMANDS.find((n) => n === sub);
  if (notYet) return { kind: 'not_yet', name: notYet };
  return error(`Unknown subcommand "${shown(words[0] ?? '')}".`, commandHelp(command));
}

function parseDelegate(args: string[], today: string, command: string): ParsedCommand {
  const usage = usageOf('delegate', command);
  const error = (message: string): ParsedCommand => ({ kind: 'error', message, usage });
  const first = args[0]?.toLowerCase();
  if (args.length === 0 || (args.length === 1 && (first === 'list' || first === 'ls'))) {
    return { kind: 'delegate', action: 'list' };
  }
  if (args.length === 1 && (first === 'off' || first === 'end' || first === 'stop' || first === 'cancel')) {
    return { kind: 'delegate', action: 'off' };
  }
  const rest = first === 'to' ? args.slice(1) : args;
  const [who, ...afterWho] = rest;
  if (!who) return error('Say who should approve for you, e.g. `delegate @person until 2026-12-24`.');
  const to = targetOf(who);
  if ('message' in to) return error(to.message);
  const dateWords = afterWho[0]?.toLowerCase() === 'until' ? afterWho.slice(1) : afterWho;
  if (dateWords.length === 0) return error('Say until when, e.g. `until 2026-12-24` (the last day, inclusive).');
  if (dateWords.length > 1) {
    return error(`Expected one date after "until", found "${shown(dateWords.join(' '))}".`);
  }
  const date = dateWords[0] as string;
  const until = checkDate(date, today);
  if ('message' in until) return error(until.message);
  return { kind: 'delegate', action: 'set', to, until: until.date };
}

function targetOf(word: string): DelegateTarget | { message: string } {
  const mention = MENTION.exec(word);
  if (mention) return { slackUserId: mention[1] as string };
  if (word.startsWith('<')) {
    return { message: `"${shown(word)}" is not a person; mention someone with @, e.g. \`delegate @person\`.` };
  }
  if (word.toLowerCase() === 'until' || ISO_DATE.test(word)) {
    return { message: 'Say who should approve for you before the date, e.g. `delegate @person until 2026-12-24`.' };
  }
  const text = word.replace(/^@+/, '');
  if (text === '') return { message: 'Say who should approve for you: mention them with @.' };
  return { text };
}

function checkDate(date: string, today: string): { date: string } | { message: string } {
  const ms = dayMs(date);
  if (ms === null) {
    return {
      message: ISO_DATE.test(date)
        ? `${shown(date)} is not a date in the calendar.`
        : `"${shown(date)}" is not a date I can read; write it as YYYY-MM-DD, e.g. 2026-12-24.`,
    };
  }
  const todayMs = dayMs(today);
  if (todayMs === null) return { date };
  if (ms < todayMs) return { message: `${date} is in the past; give the last day the delegation should run.` };
  if (ms > todayMs + MAX_DAYS_AHEAD * DAY_MS) {
    return {
      message: `${date} is more than a year ahead; choose a date up to ${isoDay(todayMs + MAX_DAYS_AHEAD * DAY_MS)} and renew it later.`,
    };
  }
  return { date };
}
