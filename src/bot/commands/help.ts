/**
 * Words of the `/odoo` slash command: the help text and the usage line of
 * each subcommand, so the parser's errors and the help list cannot disagree.
 */

/** Subcommands of issue #5 that are recognised but not built yet. */
export const NOT_YET_COMMANDS = ['status', 'pending', 'exceptions', 'sla', 'whoami'] as const;
export type NotYetCommand = (typeof NOT_YET_COMMANDS)[number];

/** One usage line per subcommand; `{c}` stands for the command as typed (`/odoo`). */
const USAGE = {
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
export function commandHelp(command = '/odoo'): string {
  return [
    `*${command}* — Odoo approvals from Slack`,
    '• Approve or reject from the cards the bot posts; Reject asks for a reason.',
    ...[...USAGE.delegate, ...USAGE.link, ...USAGE.help].map((line) => `• ${line.replaceAll('{c}', command)}`),
    `• Coming later: ${NOT_YET_COMMANDS.map((n) => `\`${n}\``).join(', ')}.`,
  ].join('\n');
}
