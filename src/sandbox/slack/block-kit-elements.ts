/**
 * Interactive and image elements of Block Kit, with the limits from the
 * `@slack/types` JSDoc. Which element may sit where follows Slack's block
 * reference: an element in the wrong block is refused like an unknown one.
 */
import {
  checkArray,
  checkConfirm,
  checkEnum,
  checkOptions,
  checkString,
  checkText,
  type Issues,
  isObject,
  type JsonObject,
} from './block-kit-checks.js';

const SELECTS = [
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
];

const CHOICES = ['checkboxes', 'radio_buttons', 'datepicker', 'timepicker', 'datetimepicker'];

/** Elements allowed in an `actions` block. */
export const ACTIONS_ELEMENTS: ReadonlySet<string> = new Set([
  'button',
  'overflow',
  'workflow_button',
  'rich_text_input',
  ...SELECTS,
  ...CHOICES,
]);

/** Elements allowed as a section `accessory`. */
export const ACCESSORY_ELEMENTS: ReadonlySet<string> = new Set([
  'button',
  'overflow',
  'image',
  'workflow_button',
  ...SELECTS,
  ...CHOICES,
]);

/** Elements allowed as the `element` of an `input` block. */
export const INPUT_ELEMENTS: ReadonlySet<string> = new Set([
  'plain_text_input',
  'email_text_input',
  'url_text_input',
  'number_input',
  'rich_text_input',
  'file_input',
  ...SELECTS,
  ...CHOICES,
]);

type ElementCheck = (out: Issues, el: JsonObject, path: string) => void;

const button: ElementCheck = (out, el, path) => {
  checkText(out, el, path, 'text', { max: 75, required: true, plainOnly: true });
  checkString(out, el, path, 'value', { max: 2000 });
  checkString(out, el, path, 'url', { max: 3000 });
  checkString(out, el, path, 'accessibility_label', { max: 75 });
  checkEnum(out, el, path, 'style', ['primary', 'danger']);
};

const select: ElementCheck = (out, el, path) => {
  checkText(out, el, path, 'placeholder', { max: 150, plainOnly: true });
  if (el.type === 'static_select' || el.type === 'multi_static_select') {
    checkOptions(out, el, path, 'options', { max: 100, plainOnly: true });
    checkArray(out, el, path, 'option_groups', { max: 100 });
  }
};

const plainTextInput: ElementCheck = (out, el, path) => {
  checkText(out, el, path, 'placeholder', { max: 150, plainOnly: true });
  checkString(out, el, path, 'initial_value', { max: 3000 });
  const { min_length: min, max_length: max } = el;
  if (min !== undefined && (typeof min !== 'number' || min < 0 || min > 3000)) {
    out.add(`${path}/min_length`, 'must be a number between 0 and 3000');
  }
  if (max !== undefined && (typeof max !== 'number' || max < 1 || max > 3000)) {
    out.add(`${path}/max_length`, 'must be a number between 1 and 3000');
  }
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    out.add(`${path}/min_length`, 'must be less than or equal to max_length');
  }
};

const image: ElementCheck = (out, el, path) => {
  if (el.slack_file === undefined) checkString(out, el, path, 'image_url', { max: 3000, min: 1, required: true });
  checkString(out, el, path, 'alt_text', { max: 2000, required: true });
};

const CHECKS: Record<string, ElementCheck> = {
  button,
  plain_text_input: plainTextInput,
  image,
  overflow: (out, el, path) => checkOptions(out, el, path, 'options', { min: 1, max: 5, plainOnly: true }),
  checkboxes: (out, el, path) => checkOptions(out, el, path, 'options', { min: 1, max: 10, plainOnly: false }),
  radio_buttons: (out, el, path) => checkOptions(out, el, path, 'options', { min: 1, max: 10, plainOnly: false }),
  ...Object.fromEntries(SELECTS.map((type) => [type, select])),
};

/** Validates one element at `path` if its type is allowed there. Returns its action_id, if any. */
export function checkElement(out: Issues, el: unknown, path: string, allowed: ReadonlySet<string>): string | undefined {
  if (!isObject(el)) {
    out.add(path, 'must provide an object');
    return undefined;
  }
  if (typeof el.type !== 'string') {
    out.add(path, 'missing required field: type');
    return undefined;
  }
  if (!allowed.has(el.type)) {
    out.add(`${path}/type`, `unsupported type: ${el.type}`);
    return undefined;
  }
  if (el.type !== 'image') checkString(out, el, path, 'action_id', { max: 255, min: 1 });
  checkConfirm(out, el, path);
  CHECKS[el.type]?.(out, el, path);
  return typeof el.action_id === 'string' ? el.action_id : undefined;
}
