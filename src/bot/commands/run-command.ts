import { endDelegation, listDelegations, setDelegation } from '../../flows/delegate.js';
import type { FlowDeps } from '../../flows/deps.js';
import { prepareLink, type UserCredentials, unlinkIdentity, type VerifyOdooKey } from '../../flows/link-identity.js';
import type { ChatActor } from '../../flows/types.js';
import { commandHelp } from './help.js';
import type { ParsedCommand } from './parse-command.js';
import { runQueryCommand } from './run-query-command.js';

/** Per-user Odoo keys, present only when CREDENTIALS_KEY is set. */
export interface IdentityLinking {
  credentials: UserCredentials;
  verifyOdooKey: VerifyOdooKey;
}

export interface CommandDeps {
  flow: FlowDeps;
  identity?: IdentityLinking | undefined;
}

/** What the chat adapter does with a command: say something privately, or open the key form. */
export type CommandReply =
  | {
      kind: 'text';
      text: string;
      /** A next page: the adapter offers "Show more" (action `command.more`) that reruns `query` from `offset`. */
      more?: { query: string; offset: number } | undefined;
      /**
       * The answer may be shared where it was asked: the adapter offers "Share"
       * (action `command.share`, see share-answer.ts) when there is somewhere to share it.
       */
      share?: { query: string; offset: number } | undefined;
    }
  | { kind: 'open_link_form'; login: string; linked: boolean };

/** Action id (Slack) and verb (Teams) of the "Show more" button under a paged answer. */
export const COMMAND_MORE_ACTION = 'command.more';

export const LINK_DISABLED_TEXT =
  'Per-user Odoo API keys are not enabled on this bot, so there is nothing to link. ' +
  'Your Odoo admin can enable them by setting CREDENTIALS_KEY (a 32-byte key: `openssl rand -base64 32`) and restarting odoo-chatops.';

/** True when the answer needs no Odoo or database call and can go in the acknowledgement itself. */
export function answersAtOnce(parsed: ParsedCommand): boolean {
  return parsed.kind === 'help' || parsed.kind === 'not_yet' || parsed.kind === 'error';
}

/** Date (YYYY-MM-DD) of `now` in a time zone, for the parser's `today`. */
export function todayIn(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * Runs a parsed `/odoo` command for a chat user. Platform-neutral: Slack and
 * Teams differ only in how they deliver the reply.
 */
export async function runCommand(
  deps: CommandDeps,
  actor: ChatActor,
  parsed: ParsedCommand,
  command = '/odoo',
): Promise<CommandReply> {
  const text = (t: string): CommandReply => ({ kind: 'text', text: t });
  switch (parsed.kind) {
    case 'help':
      return text(commandHelp(command, actor.platform));
    case 'not_yet':
      return text(
        `\`${command} ${parsed.name}\` is not available in this version of odoo-chatops yet; until then, look the document up in Odoo.`,
      );
    case 'error':
      return text(`${parsed.message}\n${parsed.usage}`);
    case 'delegate': {
      if (parsed.action === 'list') return text((await listDelegations(deps.flow, actor)).text);
      if (parsed.action === 'off') return text((await endDelegation(deps.flow, actor)).text);
      const to = 'slackUserId' in parsed.to ? { chatUserId: parsed.to.slackUserId } : { odooKey: parsed.to.text };
      return text((await setDelegation(deps.flow, { actor, to, until: parsed.until })).text);
    }
    case 'link': {
      if (!deps.identity) return text(LINK_DISABLED_TEXT);
      const ready = await prepareLink({ ...deps.flow, credentials: deps.identity.credentials }, actor);
      if (!ready.ok) return text(ready.text);
      return { kind: 'open_link_form', login: ready.user.login, linked: ready.linked };
    }
    case 'unlink': {
      if (!deps.identity) return text(LINK_DISABLED_TEXT);
      return text((await unlinkIdentity({ ...deps.flow, ...deps.identity }, actor)).text);
    }
    case 'status':
    case 'pending':
    case 'sla':
    case 'exceptions':
    case 'whoami':
      return { kind: 'text', ...(await runQueryCommand(deps.flow, actor, parsed, command)) };
  }
}
