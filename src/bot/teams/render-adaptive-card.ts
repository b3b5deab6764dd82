import { ACTION_IDS, type CardAction, type CardModel, type CardTone } from '../../flows/card.js';

/**
 * Adaptive Card limits we render within (shared/reference/slack-and-teams.md
 * §6): Teams takes schema 1.5 at most, `refresh.userIds` holds at most 60
 * ids, and 28 KB is the one size that is safe everywhere.
 */
export const TEAMS_CARD_LIMITS = {
  version: '1.5',
  maxBytes: 28 * 1024,
  refreshUserIds: 60,
  title: 200,
  text: 2000,
  factTitle: 100,
  factValue: 500,
  cell: 200,
  inputMaxLength: 2000,
} as const;

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

type Json = Record<string, unknown>;

const LABEL_MAX = 100;

export interface RenderOptions {
  /** Show the action buttons (to people who may act); otherwise only the status and the link. */
  showActions: boolean;
  /** Teams user ids whose clients refresh the card to their own view (at most 60 are kept). */
  refreshUserIds?: string[];
  /** A short line for the person who just clicked ("Your approval is being recorded…"). */
  notice?: string;
}

const TONE_COLOR: Record<CardTone, string> = {
  waiting: 'accent',
  pending: 'warning',
  approved: 'good',
  rejected: 'attention',
  warning: 'warning',
  error: 'attention',
  closed: 'default',
};

const TONE_STYLE: Record<CardTone, string> = {
  waiting: 'accent',
  pending: 'warning',
  approved: 'good',
  rejected: 'attention',
  warning: 'warning',
  error: 'attention',
  closed: 'emphasis',
};

export function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

const text = (t: string, extra: Json = {}): Json => ({ type: 'TextBlock', text: t, wrap: true, ...extra });

/** What an Action.Execute carries back: the button's value, plus `action` so the SDK's sub-routes work. */
export function actionData(action: Pick<CardAction, 'id' | 'value'>): Json {
  let value: unknown = null;
  try {
    value = JSON.parse(action.value);
  } catch {
    value = { value: action.value };
  }
  const base = value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : { value };
  return { ...base, action: action.id };
}

function inputFor(input: NonNullable<CardAction['input']>): Json {
  const common = {
    id: input.id,
    label: cut(input.label, LABEL_MAX),
    isRequired: input.required,
    errorMessage: input.required ? `${cut(input.label, LABEL_MAX)}: this is required.` : undefined,
  };
  if (input.kind === 'date') return { type: 'Input.Date', ...common };
  if (input.kind === 'person')
    return {
      type: 'Input.Text',
      ...common,
      style: 'Email',
      placeholder: input.placeholder ?? 'name@example.com',
      regex: '^[^@\\s]+@[^@\\s]+$',
      errorMessage: 'Enter the email address of the person.',
    };
  return {
    type: 'Input.Text',
    ...common,
    isMultiline: true,
    maxLength: TEAMS_CARD_LIMITS.inputMaxLength,
    ...(input.placeholder ? { placeholder: input.placeholder } : {}),
  };
}
function style(a: CardAction): Json {
  if (a.style === 'primary') return { style: 'positive' };
  if (a.style === 'danger') return { style: 'destructive' };
  return {};
}

/** Slack asks for these in a modal; Teams needs them on the card. */
const IMPLIED_INPUTS: Partial<Record<CardAction['id'], NonNullable<CardAction['input']>>> = {
  [ACTION_IDS.answerQuestion]: { id: 'answer', label: 'Your answer', kind: 'text', required: true },
};

function renderAction(action: CardAction): Json {
  const implied = IMPLIED_INPUTS[action.id];
  const a = !action.input && implied ? { ...action, input: implied } : action;
  if (a.url) return { type: 'Action.OpenUrl', title: cut(a.label, 40), url: a.url };
  const execute = { type: 'Action.Execute', title: cut(a.label, 40), verb: a.id, data: actionData(a), ...style(a) };
  if (!a.input) return execute;
  return {
    type: 'Action.ShowCard',
    title: cut(a.label, 40),
    card: {
      type: 'AdaptiveCard',
      body: [inputFor(a.input)],
      actions: [{ ...execute, title: a.id === ACTION_IDS.reject ? 'Reject' : 'Send', associatedInputs: 'auto' }],
    },
  };
}

function table(t: NonNullable<CardModel['table']>, rows: string[][], omitted: number): Json[] {
  const cell = (v: string, bold = false): Json => ({
    type: 'TableCell',
    items: [text(cut(v, TEAMS_CARD_LIMITS.cell), bold ? { weight: 'Bolder' } : {})],
  });
  const out: Json[] = [
    {
      type: 'Table',
      columns: t.columns.map((_, i) => ({ width: i === 0 ? 3 : 1 })),
      firstRowAsHeader: true,
      rows: [
        { type: 'TableRow', cells: t.columns.map((c) => cell(c, true)) },
        ...rows.map((r) => ({ type: 'TableRow', cells: t.columns.map((_, i) => cell(r[i] ?? '')) })),
      ],
    },
  ];
  if (omitted > 0) out.push(text(`…and ${omitted} more line${omitted === 1 ? '' : 's'}`, { isSubtle: true }));
  return out;
}

/** How hard to squeeze: 1 is as written, larger divides every text limit (and keeps fewer facts). */
function build(card: CardModel, options: RenderOptions, rowsShown: number, squeeze = 1): Json {
  const tone = card.status.tone;
  const lim = (n: number) => Math.max(20, Math.floor(n / squeeze));
  const body: Json[] = [
    text(cut(card.title, TEAMS_CARD_LIMITS.title), { size: 'Large', weight: 'Bolder', style: 'heading' }),
    text(cut(card.summary, lim(TEAMS_CARD_LIMITS.text))),
  ];
  if (card.facts.length > 0)
    body.push({
      type: 'FactSet',
      facts: card.facts.slice(0, squeeze > 1 ? 12 : undefined).map((f) => ({
        title: cut(f.label, lim(TEAMS_CARD_LIMITS.factTitle)),
        value: cut(f.value, lim(TEAMS_CARD_LIMITS.factValue)),
      })),
    });
  if (card.table && card.table.rows.length > 0 && card.table.columns.length > 0) {
    const rows = card.table.rows.slice(0, rowsShown);
    body.push(...table(card.table, rows, card.table.omitted + (card.table.rows.length - rows.length)));
  }
  body.push({
    type: 'Container',
    style: TONE_STYLE[tone],
    items: [text(cut(card.status.text, TEAMS_CARD_LIMITS.text), { color: TONE_COLOR[tone], weight: 'Bolder' })],
  });
  if (options.notice) body.push(text(cut(options.notice, 300), { isSubtle: true, color: 'accent' }));
  if (card.footer) body.push(text(cut(card.footer, 300), { isSubtle: true, size: 'Small' }));
  const actions: Json[] = options.showActions ? card.actions.map(renderAction) : [];
  if (card.link) actions.push({ type: 'Action.OpenUrl', title: cut(card.link.label, 40), url: card.link.url });
  const userIds = (options.refreshUserIds ?? []).slice(0, TEAMS_CARD_LIMITS.refreshUserIds);
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: TEAMS_CARD_LIMITS.version,
    fallbackText: cut(card.text, TEAMS_CARD_LIMITS.text),
    // Only approval cards say who may act; other cards (a question to a requester) are not redrawn.
    ...(card.actions.length > 0 && card.actors
      ? {
          refresh: {
            action: {
              type: 'Action.Execute',
              title: 'Refresh',
              verb: ACTION_IDS.refresh,
              data: { c: card.caseId, action: ACTION_IDS.refresh },
            },
            userIds,
          },
        }
      : {}),
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

/** Size of a card as Teams counts it: the JSON in UTF-8. */
export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/**
 * Renders the neutral card as an Adaptive Card 1.5 for Teams. Long tables
 * are cut (with "and N more"), then long texts, until the card fits the size budget.
 */
export function renderAdaptiveCard(card: CardModel, options: RenderOptions): Json {
  let rows = card.table?.rows.length ?? 0;
  let out = build(card, options, rows);
  while (cardBytes(out) > TEAMS_CARD_LIMITS.maxBytes && rows > 0) {
    rows = Math.floor(rows / 2);
    out = build(card, options, rows);
  }
  for (let squeeze = 2; cardBytes(out) > TEAMS_CARD_LIMITS.maxBytes && squeeze <= 64; squeeze *= 2)
    out = build(card, options, 0, squeeze);
  return out;
}

/** The card as a message attachment, the way the Bot Connector expects it. */
export function cardAttachment(content: Json): { contentType: string; content: Json } {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content };
}
