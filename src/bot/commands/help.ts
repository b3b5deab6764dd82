/**
 * Words of the `/odoo` slash command: the help text and the usage line of
 * each subcommand, so the parser's errors and the help list cannot disagree.
 */

/** Subcommands that are recognised but not built yet (none today). */
export const NOT_YET_COMMANDS = [] as const;
export type NotYetCommand = (typeof NOT_YET_COMMANDS)[number];

/** One usage line per subcommand; `{c}` stands for the command as typed (`/odoo`). */
const USAGE = {
  status: [
    '`{c} status <reference>` shows where a document is: its approval steps, who it waits on and since when (e.g. `{c} status P00042`).',
  ],
  pending: [
    '`{c} pending [mine|team|all] [flow]` lists waiting approvals, oldest first: on you (default), requested by your team, or all (finance only).',
  ],
  sla: [
    '`{c} sla [7d|30d|quarter] [flow]` shows approval times (median, 90th percentile), share within SLA, escalations and expiries (default 30d).',
  ],
  exceptions: [
    '`{c} exceptions [open|aging|mine] [type]` lists open billing exceptions you can see, by type (default), by age, or only yours, 40 at a time.',
  ],
  whoami: ['`{c} whoami` shows your Odoo user, the approvals you are asked for, and your delegations.'],
  delegate: [
    '`{c} delegate @person until YYYY-MM-DD` lets someone approve for you until that day (inclusive).',
    '`{c} delegate` lists your delegations; `{c} delegate off` ends yours.',
  ],
  link: ['`{c} link` links your own Odoo API key, for approvals Odoo records as you; `{c} unlink` removes it.'],
  help: ['`{c} help` shows this message.'],
} as const;

export type UsageTopic = keyof typeof USAGE;

/** The usage lines of one subcommand, for an error answer. */
export function usageOf(topic: UsageTopic, command = '/odoo'): string {
  return USAGE[topic].map((line) => line.replaceAll('{c}', command)).join('\n');
}

/** Everything the command can do, for `help` and for an unknown subcommand. */
export function commandHelp(command = '/odoo', platform: 'slack' | 'teams' = 'slack'): string {
  const topics: UsageTopic[] = ['status', 'pending', 'exceptions', 'sla', 'whoami', 'delegate', 'link', 'help'];
  return [
    `*${command}* — Odoo approvals from chat`,
    '• Approve or reject from the cards the bot posts; Reject asks for a reason.',
    ...topics.flatMap((t) => USAGE[t]).map((line) => `• ${line.replaceAll('{c}', command)}`),
    ...(platform === 'teams'
      ? [
          '• `link channel <flow-id>`, written in a team channel, sends that approval flow’s (or exception type’s) cards there; for owners of that team, Odoo administrators, finance and the flow’s approvers, never for the team’s guests.',
        ]
      : []),
    'Answers are private to you. Under `status`, `pending`, `exceptions` and `sla` answers, Share posts the answer where you asked, with your name, for everyone there.',
  ].join('\n');
}
