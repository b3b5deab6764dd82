import { createRequire } from 'node:module';

/**
 * Checks an Adaptive Card with Microsoft's own parser (`adaptivecards` 3.0.6)
 * the way Teams clients read it. The package's `lib/` is extensionless ESM
 * that Node 20 cannot load, so the UMD bundle in `dist/` is used instead.
 */
const require = createRequire(import.meta.url);

interface SerializationEvent {
  phase: number;
  event: number;
  message: string;
}
interface AdaptiveCardsModule {
  AdaptiveCard: new () => {
    parse(json: unknown, context?: unknown): void;
    validateProperties(): { validationEvents: Array<{ event: number; message: string }> };
  };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): SerializationEvent };
  ValidationEvent: Record<number, string>;
}

let loaded: AdaptiveCardsModule | null = null;
function adaptiveCards(): AdaptiveCardsModule {
  loaded ??= require('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;
  return loaded;
}

export interface CardCheck {
  errors: string[];
  version: string | null;
  bytes: number;
}

/** Parse and validation events of a card, named; an empty `errors` means the parser accepts it. */
export function validateAdaptiveCard(json: Record<string, unknown>): CardCheck {
  const AC = adaptiveCards();
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const errors: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    errors.push(`${AC.ValidationEvent[e.event] ?? e.event}: ${e.message}`);
  }
  for (const e of card.validateProperties().validationEvents)
    errors.push(`${AC.ValidationEvent[e.event] ?? e.event}: ${e.message}`);
  return {
    errors,
    version: typeof json.version === 'string' ? json.version : null,
    bytes: Buffer.byteLength(JSON.stringify(json), 'utf8'),
  };
}
