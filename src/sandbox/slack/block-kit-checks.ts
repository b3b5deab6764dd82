/**
 * Building blocks of the Block Kit validator: field checks that report in
 * Slack's own wording (`must be less than 3001 characters [json-pointer:…]`)
 * so a failure in our tests reads like the one Slack would send.
 */

export type JsonObject = Record<string, unknown>;

/** Collects problems as Slack formats them: `<message> [json-pointer:<path>]`. */
export class Issues {
  readonly list: string[] = [];

  add(path: string, message: string): void {
    this.list.push(`${message} [json-pointer:${path}]`);
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface StringRule {
  max: number;
  min?: number;
  required?: boolean;
}

/** Checks `obj[key]` is a string within [min, max] characters. */
export function checkString(out: Issues, obj: JsonObject, path: string, key: string, rule: StringRule): void {
  const value = obj[key];
  const at = `${path}/${key}`;
  if (value === undefined) {
    if (rule.required) out.add(path, `missing required field: ${key}`);
    return;
  }
  if (typeof value !== 'string') {
    out.add(at, 'must provide a string');
    return;
  }
  if (value.length > rule.max) out.add(at, `must be less than ${rule.max + 1} characters`);
  const min = rule.min ?? 0;
  if (value.length < min) out.add(at, `must be more than ${min - 1} characters`);
}

interface TextRule extends StringRule {
  plainOnly?: boolean;
}

/** Checks a text composition object `{ type: 'plain_text'|'mrkdwn', text }`. */
export function checkText(out: Issues, obj: JsonObject, path: string, key: string, rule: TextRule): void {
  const value = obj[key];
  const at = `${path}/${key}`;
  if (value === undefined) {
    if (rule.required) out.add(path, `missing required field: ${key}`);
    return;
  }
  checkTextObject(out, value, at, rule);
}

export function checkTextObject(out: Issues, value: unknown, at: string, rule: TextRule): void {
  if (!isObject(value)) {
    out.add(at, 'must provide an object');
    return;
  }
  const allowed = rule.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (typeof value.type !== 'string' || !allowed.includes(value.type)) {
    out.add(`${at}/type`, 'must be a valid enum value');
  }
  checkString(out, value, at, 'text', { min: 1, ...rule, required: true });
}

interface ArrayRule {
  max: number;
  min?: number;
  required?: boolean;
}

/** Checks `obj[key]` is an array with [min, max] items and returns it for further checks. */
export function checkArray(
  out: Issues,
  obj: JsonObject,
  path: string,
  key: string,
  rule: ArrayRule,
): unknown[] | undefined {
  const value = obj[key];
  const at = `${path}/${key}`;
  if (value === undefined) {
    if (rule.required) out.add(path, `missing required field: ${key}`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    out.add(at, 'must provide an array');
    return undefined;
  }
  if (value.length > rule.max) out.add(at, `no more than ${rule.max} items allowed`);
  const min = rule.min ?? 0;
  if (value.length < min) out.add(at, `must provide at least ${min} items`);
  return value;
}

export function checkEnum(out: Issues, obj: JsonObject, path: string, key: string, allowed: readonly string[]): void {
  const value = obj[key];
  if (value === undefined) return;
  if (typeof value !== 'string' || !allowed.includes(value)) out.add(`${path}/${key}`, 'must be a valid enum value');
}

/** Confirmation dialog: title 100, text 300, confirm/deny 30, all required. */
export function checkConfirm(out: Issues, el: JsonObject, path: string): void {
  const confirm = el.confirm;
  if (confirm === undefined) return;
  const at = `${path}/confirm`;
  if (!isObject(confirm)) {
    out.add(at, 'must provide an object');
    return;
  }
  checkText(out, confirm, at, 'title', { max: 100, required: true, plainOnly: true });
  checkText(out, confirm, at, 'text', { max: 300, required: true });
  checkText(out, confirm, at, 'confirm', { max: 30, required: true, plainOnly: true });
  checkText(out, confirm, at, 'deny', { max: 30, required: true, plainOnly: true });
  checkEnum(out, confirm, at, 'style', ['primary', 'danger']);
}

/** Option objects of selects, overflow menus, checkboxes and radio buttons. */
export function checkOptions(
  out: Issues,
  el: JsonObject,
  path: string,
  key: string,
  rule: ArrayRule & { plainOnly: boolean },
): void {
  const options = checkArray(out, el, path, key, rule);
  options?.forEach((option, i) => {
    const at = `${path}/${key}/${i}`;
    if (!isObject(option)) {
      out.add(at, 'must provide an object');
      return;
    }
    checkText(out, option, at, 'text', { max: 75, required: true, plainOnly: rule.plainOnly });
    checkString(out, option, at, 'value', { max: 150 });
    checkText(out, option, at, 'description', { max: 75, plainOnly: rule.plainOnly });
    checkString(out, option, at, 'url', { max: 3000 });
  });
}
