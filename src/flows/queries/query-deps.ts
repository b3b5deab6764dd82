import type { FlowDeps } from '../deps.js';
import type { QueryStore } from './ports.js';

/** What the query use cases touch: the flow dependencies plus the read-only query store. */
export type QueryDeps = FlowDeps & { queries: QueryStore };

/** A private answer; `more` asks the chat adapter for a "Show more" action starting at `offset`. */
export interface QueryAnswer {
  text: string;
  /** `remaining`: how many come after this page. */
  more?: { offset: number; remaining?: number } | undefined;
  /** Items counted in the answer but left out of its text (the text says so). */
  omitted?: number | undefined;
}
