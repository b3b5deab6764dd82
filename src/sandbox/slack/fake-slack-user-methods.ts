/**
 * `auth.test`, `users.*` and `conversations.open` of the fake Slack.
 */
import { type MethodHandler, SlackMethodError, str } from './fake-slack-args.js';

const authTest: MethodHandler = (ws) => ({
  url: 'https://fake-workspace.slack.com/',
  team: 'Fake Workspace',
  user: ws.users.get(ws.botUserId)?.name ?? 'approvals',
  team_id: ws.teamId,
  user_id: ws.botUserId,
  bot_id: ws.botId,
  is_enterprise_install: false,
});

const usersInfo: MethodHandler = (ws, args) => {
  const user = ws.users.get(str(args, 'user') ?? '');
  if (user === undefined) throw new SlackMethodError('user_not_found');
  return { user: ws.userJson(user) };
};

const lookupByEmail: MethodHandler = (ws, args) => {
  const email = str(args, 'email')?.toLowerCase();
  const user = [...ws.users.values()].find((u) => email !== undefined && u.email?.toLowerCase() === email);
  if (user === undefined) throw new SlackMethodError('users_not_found');
  return { user: ws.userJson(user) };
};

const conversationsOpen: MethodHandler = (ws, args) => {
  const channel = str(args, 'channel');
  if (channel !== undefined) {
    if (!ws.channels.has(channel)) throw new SlackMethodError('channel_not_found');
    return { no_op: true, already_open: true, channel: { id: channel } };
  }
  const users = (str(args, 'users') ?? '').split(',').filter((u) => u !== '');
  if (users.length === 0) throw new SlackMethodError('users_list_not_supplied');
  for (const user of users) if (!ws.users.has(user)) throw new SlackMethodError('user_not_found');
  if (users.length > 1) {
    const id = ws.nextId('G');
    ws.channels.set(id, { id, name: `mpdm-${users.join('--')}` });
    return { channel: { id } };
  }
  const dm = ws.openDm(users[0]!)!;
  return dm.existed ? { no_op: true, already_open: true, channel: { id: dm.id } } : { channel: { id: dm.id } };
};

export const USER_METHODS: Record<string, MethodHandler> = {
  'auth.test': authTest,
  'users.info': usersInfo,
  'users.lookupByEmail': lookupByEmail,
  'conversations.open': conversationsOpen,
};
