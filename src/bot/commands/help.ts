/**
 * The `/odoo` slash command. This version answers `help`; status queries
 * (`status`, `pending`, `exceptions`, `sla`) come with issue #5 and are
 * named as not yet available rather than silently ignored.
 */
const PLANNED = new Set(['status', 'pending', 'exceptions', 'sla', 'delegate', 'link', 'whoami']);

export function commandHelp(command: string, text: string): string {
  const sub = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const usage = [
    `*${command}* — Odoo approvals from Slack`,
    '• Approve or reject from the cards the bot posts; Reject asks for a reason.',
    `• \`${command} help\` shows this message.`,
  ].join('\n');
  if (sub === '' || sub === 'help') return usage;
  if (PLANNED.has(sub))
    return `\`${command} ${sub}\` is not available in this version of odoo-chatops yet. Until then, open the document in Odoo.\n\n${usage}`;
  return `Unknown subcommand "${sub.slice(0, 40)}".\n\n${usage}`;
}
