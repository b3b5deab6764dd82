/** Reading the Adaptive Cards the fake Bot Connector recorded, for Teams tests. */

// biome-ignore lint/suspicious/noExplicitAny: activities and cards are JSON as Teams sends them.
export type Json = Record<string, any>;

/** The Adaptive Card of an activity, if it carries one. */
export const cardOf = (activity: Json | undefined): Json | undefined => activity?.attachments?.[0]?.content;

/** Every Action.Execute of a card, nested ShowCards included, by verb. */
export function executes(card: Json | undefined): Record<string, Json> {
  const out: Record<string, Json> = {};
  const walk = (actions: Json[] | undefined) => {
    for (const a of actions ?? []) {
      if (a.type === 'Action.Execute') out[a.verb] = a;
      if (a.type === 'Action.ShowCard') walk(a.card?.actions);
    }
  };
  walk(card?.actions);
  return out;
}

/** Whether the text names `name` as a whole word ("P0001" is not in "P00012"). */
function names(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = text.charAt(at - 1);
    const after = text.charAt(at + name.length);
    if (!/[A-Za-z0-9]/.test(before) && !/[A-Za-z0-9]/.test(after)) return true;
  }
  return false;
}

/**
 * Whether the activity is the card of document `name`: its title (the first
 * heading TextBlock) names it. A card's summary may name other documents
 * ("latest P00003"), so searching the whole card would find the wrong one.
 */
export function isTeamsCardOf(activity: Json | undefined, name: string): boolean {
  const body = (cardOf(activity)?.body ?? []) as Json[];
  const title = body.find((b) => b.type === 'TextBlock' && b.style === 'heading')?.text;
  return typeof title === 'string' && names(title, name);
}
