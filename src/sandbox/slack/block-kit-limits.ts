/**
 * Slack's Block Kit limits as a pure validator. The fake Slack runs it on
 * every message and view write; our own tests run it on the cards we render,
 * so a card that Slack would refuse fails in CI instead of in a finance
 * channel. Messages use Slack's wording: `<problem> [json-pointer:<path>]`.
 */
import {
  checkArray,
  checkString,
  checkText,
  checkTextObject,
  Issues,
  isObject,
  type JsonObject,
} from './block-kit-checks.js';
import { ACCESSORY_ELEMENTS, ACTIONS_ELEMENTS, checkElement, INPUT_ELEMENTS } from './block-kit-elements.js';

export type BlockSurface = 'message' | 'modal';

/** The numbers behind the validator (docs.slack.dev block reference, `@slack/types` JSDoc). */
export const BLOCK_KIT_LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  actionId: 255,
  blockId: 255,
  actionsElements: 25,
  contextElements: 10,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  markdownText: 12000,
  messageText: 40000,
  viewBytes: 250_000,
} as const;

const KNOWN_BLOCKS = new Set([
  'section',
  'header',
  'divider',
  'actions',
  'context',
  'image',
  'input',
  'rich_text',
  'markdown',
  'file',
  'video',
  'table',
  'context_actions',
]);

type BlockCheck = (out: Issues, block: JsonObject, path: string) => void;

const section: BlockCheck = (out, block, path) => {
  if (block.text === undefined && block.fields === undefined) out.add(path, 'missing required field: text');
  checkText(out, block, path, 'text', { min: 1, max: BLOCK_KIT_LIMITS.sectionText });
  const fields = checkArray(out, block, path, 'fields', { max: BLOCK_KIT_LIMITS.sectionFields });
  fields?.forEach((field, i) => {
    checkTextObject(out, field, `${path}/fields/${i}`, { min: 1, max: BLOCK_KIT_LIMITS.sectionFieldText });
  });
  if (block.accessory !== undefined) checkElement(out, block.accessory, `${path}/accessory`, ACCESSORY_ELEMENTS);
};

const actions: BlockCheck = (out, block, path) => {
  const elements = checkArray(out, block, path, 'elements', {
    min: 1,
    max: BLOCK_KIT_LIMITS.actionsElements,
    required: true,
  });
  const ids: string[] = [];
  elements?.forEach((el, i) => {
    const id = checkElement(out, el, `${path}/elements/${i}`, ACTIONS_ELEMENTS);
    if (id === undefined) return;
    if (ids.includes(id)) out.add(`${path}/elements/${i}/action_id`, `duplicate action_id: ${id}`);
    ids.push(id);
  });
};

const context: BlockCheck = (out, block, path) => {
  const elements = checkArray(out, block, path, 'elements', {
    min: 1,
    max: BLOCK_KIT_LIMITS.contextElements,
    required: true,
  });
  elements?.forEach((el, i) => {
    const at = `${path}/elements/${i}`;
    if (isObject(el) && el.type === 'image') checkElement(out, el, at, new Set(['image']));
    else checkTextObject(out, el, at, { min: 1, max: BLOCK_KIT_LIMITS.sectionText });
  });
};

const input: BlockCheck = (out, block, path) => {
  checkText(out, block, path, 'label', { max: 2000, required: true, plainOnly: true });
  checkText(out, block, path, 'hint', { max: 2000, plainOnly: true });
  if (block.element === undefined) {
    out.add(path, 'missing required field: element');
    return;
  }
  checkElement(out, block.element, `${path}/element`, INPUT_ELEMENTS);
};

const BLOCK_CHECKS: Record<string, BlockCheck> = {
  section,
  actions,
  context,
  input,
  header: (out, block, path) => {
    checkText(out, block, path, 'text', { max: BLOCK_KIT_LIMITS.headerText, required: true, plainOnly: true });
  },
  image: (out, block, path) => {
    checkElement(out, { ...block, type: 'image' }, path, new Set(['image']));
    checkText(out, block, path, 'title', { max: 2000, plainOnly: true });
  },
  markdown: (out, block, path) => {
    checkString(out, block, path, 'text', { min: 1, max: BLOCK_KIT_LIMITS.markdownText, required: true });
  },
  rich_text: (out, block, path) => {
    checkArray(out, block, path, 'elements', { max: Number.MAX_SAFE_INTEGER, required: true });
  },
};

function collectBlockIssues(out: Issues, blocks: unknown, surface: BlockSurface, path: string): void {
  if (!Array.isArray(blocks)) {
    out.add(path, 'must provide an array');
    return;
  }
  const max = surface === 'message' ? BLOCK_KIT_LIMITS.blocksPerMessage : BLOCK_KIT_LIMITS.blocksPerModal;
  if (blocks.length > max) out.add(path, `no more than ${max} items allowed`);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const at = `${path}/${i}`;
    if (!isObject(block)) {
      out.add(at, 'must provide an object');
      return;
    }
    if (typeof block.type !== 'string') {
      out.add(at, 'missing required field: type');
      return;
    }
    if (!KNOWN_BLOCKS.has(block.type)) {
      out.add(`${at}/type`, `unsupported type: ${block.type}`);
      return;
    }
    checkString(out, block, at, 'block_id', { min: 1, max: BLOCK_KIT_LIMITS.blockId });
    if (typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id)) out.add(`${at}/block_id`, `duplicate block_id: ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    BLOCK_CHECKS[block.type]?.(out, block, at);
  });
}

/**
 * Returns every problem Slack would report for `blocks` on a surface, or `[]`
 * when Slack would accept them. Pointers start at `/blocks`, as in a
 * `chat.postMessage` error.
 */
export function validateBlocks(blocks: unknown, surface: BlockSurface): string[] {
  const out = new Issues();
  collectBlockIssues(out, blocks, surface, '/blocks');
  return out.list;
}

/**
 * Returns every problem Slack would report for a modal or Home tab view, or
 * `[]`. Pointers start at `/view`, as in a `views.open` error.
 */
export function validateView(view: unknown): string[] {
  const out = new Issues();
  const path = '/view';
  if (!isObject(view)) {
    out.add(path, 'must provide an object');
    return out.list;
  }
  if (view.type !== 'modal' && view.type !== 'home') out.add(`${path}/type`, 'must be a valid enum value');
  const button = { max: BLOCK_KIT_LIMITS.modalButton, plainOnly: true };
  checkText(out, view, path, 'title', { ...button, max: BLOCK_KIT_LIMITS.modalTitle, required: view.type === 'modal' });
  checkText(out, view, path, 'submit', button);
  checkText(out, view, path, 'close', button);
  checkString(out, view, path, 'private_metadata', { max: BLOCK_KIT_LIMITS.privateMetadata });
  checkString(out, view, path, 'callback_id', { max: BLOCK_KIT_LIMITS.callbackId });
  checkString(out, view, path, 'external_id', { max: 255 });
  if (view.blocks === undefined) out.add(path, 'missing required field: blocks');
  else collectBlockIssues(out, view.blocks, 'modal', `${path}/blocks`);
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
  if (view.type === 'modal' && hasInput && view.submit === undefined) out.add(path, 'missing required field: submit');
  return out.list;
}
