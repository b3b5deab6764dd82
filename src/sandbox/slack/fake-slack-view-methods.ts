/**
 * `views.open`, `views.update`, `views.push` and `views.publish` of the fake Slack. Trigger
 * ids come from `FakeSlackApi.issueTriggerId()`; they are single-use and
 * expire 3 s after issue, as Slack's are.
 */
import { BLOCK_KIT_LIMITS, validateView } from './block-kit-limits.js';
import { invalid, jsonArg, type MethodHandler, SlackMethodError, str } from './fake-slack-args.js';
import type { FakeSlackWorkspace, FakeView, JsonObject } from './fake-slack-workspace.js';

const MAX_VIEW_STACK = 3;

/** Parses and validates `args.view`; Slack answers `invalid_arguments` with the problems in response_metadata. */
function readView(args: JsonObject): JsonObject {
  const view = jsonArg(args, 'view', 'invalid_arguments');
  if (view === undefined) throw invalid('invalid_arguments', ['missing required field: view [json-pointer:/]'], false);
  const problems = validateView(view);
  if (problems.length > 0) throw invalid('invalid_arguments', problems, false);
  if (JSON.stringify(view).length > BLOCK_KIT_LIMITS.viewBytes) throw new SlackMethodError('view_too_large');
  return view as JsonObject;
}

function spendTrigger(ws: FakeSlackWorkspace, args: JsonObject): string | undefined {
  const result = ws.exchangeTrigger(args.trigger_id);
  if ('error' in result) throw new SlackMethodError(result.error);
  return result.userId;
}

function viewJson(
  ws: FakeSlackWorkspace,
  input: JsonObject,
  ids: { id: string; root: string; previous: string | null },
) {
  return {
    id: ids.id,
    team_id: ws.teamId,
    type: input.type,
    title: input.title,
    blocks: input.blocks,
    close: input.close ?? null,
    submit: input.submit ?? null,
    private_metadata: input.private_metadata ?? '',
    callback_id: input.callback_id ?? '',
    external_id: input.external_id ?? '',
    state: { values: {} },
    hash: ws.newHash(),
    clear_on_close: input.clear_on_close === true || input.clear_on_close === 'true',
    notify_on_close: input.notify_on_close === true || input.notify_on_close === 'true',
    root_view_id: ids.root,
    previous_view_id: ids.previous,
    app_id: ws.appId,
    bot_id: ws.botId,
  };
}

function store(ws: FakeSlackWorkspace, input: JsonObject, userId: string | undefined, parent?: FakeView): JsonObject {
  const id = ws.nextId('V');
  const json = viewJson(ws, input, { id, root: parent?.rootViewId ?? id, previous: parent?.id ?? null });
  ws.views.set(id, {
    id,
    rootViewId: json.root_view_id,
    previousViewId: json.previous_view_id,
    userId,
    view: json,
    hash: json.hash,
    history: [json],
  });
  return { view: json };
}

const open: MethodHandler = (ws, args) => {
  const input = readView(args);
  return store(ws, input, spendTrigger(ws, args));
};

const push: MethodHandler = (ws, args) => {
  const input = readView(args);
  const userId = spendTrigger(ws, args);
  const parent = [...ws.views.values()].reverse().find((v) => userId !== undefined && v.userId === userId);
  let depth = 1;
  for (let v = parent; v?.previousViewId; v = ws.views.get(v.previousViewId)) depth += 1;
  if (parent && depth >= MAX_VIEW_STACK) throw new SlackMethodError('push_limit_reached');
  return store(ws, input, userId, parent);
};

const update: MethodHandler = (ws, args) => {
  const viewId = str(args, 'view_id');
  const externalId = str(args, 'external_id');
  if (viewId === undefined && externalId === undefined) {
    throw invalid('invalid_arguments', ['view_id or external_id is required [json-pointer:/]'], false);
  }
  const found = [...ws.views.values()].find((v) =>
    viewId !== undefined ? v.id === viewId : v.view.external_id === externalId,
  );
  if (found === undefined) throw new SlackMethodError('not_found');
  const hash = str(args, 'hash');
  if (hash !== undefined && hash !== found.hash) throw new SlackMethodError('hash_conflict');
  const input = readView(args);
  const json = viewJson(ws, input, { id: found.id, root: found.rootViewId, previous: found.previousViewId });
  found.view = json;
  found.hash = json.hash;
  found.history.push(json);
  return { view: json };
};

/**
 * `views.publish`: sets a user's Home tab (type `home`, at most 100 blocks).
 * One Home view per user; publishing again replaces it and keeps its id, as
 * Slack does. `hash` guards against overwriting a newer publish.
 */
const publish: MethodHandler = (ws, args) => {
  const userId = str(args, 'user_id');
  if (userId === undefined)
    throw invalid('invalid_arguments', ['missing required field: user_id [json-pointer:/user_id]'], false);
  const input = readView(args);
  if (input.type !== 'home')
    throw invalid('invalid_arguments', ['must be home for views.publish [json-pointer:/view/type]'], false);
  const user = ws.users.get(userId);
  if (user === undefined || user.deleted) throw new SlackMethodError('user_not_found');
  const found = [...ws.views.values()].find((v) => v.userId === userId && v.view.type === 'home');
  const hash = str(args, 'hash');
  if (found && hash !== undefined && hash !== found.hash) throw new SlackMethodError('hash_conflict');
  if (!found) return store(ws, input, userId);
  const json = viewJson(ws, input, { id: found.id, root: found.rootViewId, previous: null });
  found.view = json;
  found.hash = json.hash;
  found.history.push(json);
  return { view: json };
};

export const VIEW_METHODS: Record<string, MethodHandler> = {
  'views.publish': publish,
  'views.open': open,
  'views.push': push,
  'views.update': update,
};
