/**
 * `chat.*` methods of the fake Slack, with Slack's response shapes and
 * error names (docs.slack.dev/reference/methods/chat.*).
 */
import { jsonArg, type MethodHandler, messageContent, SlackMethodError, str } from './fake-slack-args.js';
import type { FakeSlackWorkspace, JsonObject } from './fake-slack-workspace.js';

function existingChannel(ws: FakeSlackWorkspace, args: JsonObject): string {
  const channel = str(args, 'channel');
  if (channel === undefined || !ws.channels.has(channel)) throw new SlackMethodError('channel_not_found');
  return channel;
}

const postMessage: MethodHandler = (ws, args) => {
  const channel = ws.resolveChannel(args.channel, true);
  if (channel === undefined) throw new SlackMethodError('channel_not_found');
  const { text, blocks } = messageContent(args, true);
  const message = ws.addMessage({
    channel,
    text: text ?? '',
    blocks,
    threadTs: str(args, 'thread_ts'),
    metadata: jsonArg(args, 'metadata', 'invalid_metadata_format'),
    via: 'chat.postMessage',
  });
  return { channel, ts: message.ts, message: ws.messageJson(message) };
};

const update: MethodHandler = (ws, args) => {
  const channel = existingChannel(ws, args);
  const message = ws.findMessage(channel, str(args, 'ts') ?? '');
  if (message === undefined) throw new SlackMethodError('message_not_found');
  if (message.user !== ws.botUserId) throw new SlackMethodError('cant_update_message');
  const { text, blocks, hasAttachments } = messageContent(args, false);
  if (text === undefined && blocks === undefined && !hasAttachments) throw new SlackMethodError('no_text');
  ws.editMessage(message, { text, blocks, via: 'chat.update' });
  const { ts: _ts, ...json } = ws.messageJson(message);
  return { channel, ts: message.ts, text: message.text, message: json };
};

const postEphemeral: MethodHandler = (ws, args) => {
  const channel = ws.resolveChannel(args.channel, false);
  if (channel === undefined) throw new SlackMethodError('channel_not_found');
  const user = str(args, 'user');
  if (user === undefined || !ws.users.has(user)) throw new SlackMethodError('user_not_found');
  const { text, blocks } = messageContent(args, true);
  const messageTs = ws.nextTs();
  ws.ephemerals.push({ channel, user, messageTs, text: text ?? '', blocks, at: ws.now(), via: 'chat.postEphemeral' });
  return { message_ts: messageTs };
};

const remove: MethodHandler = (ws, args) => {
  const channel = existingChannel(ws, args);
  const message = ws.findMessage(channel, str(args, 'ts') ?? '');
  if (message === undefined) throw new SlackMethodError('message_not_found');
  if (message.user !== ws.botUserId) throw new SlackMethodError('cant_delete_message');
  ws.deleteMessage(message, 'chat.delete');
  return { channel, ts: message.ts };
};

export const CHAT_METHODS: Record<string, MethodHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.delete': remove,
};
