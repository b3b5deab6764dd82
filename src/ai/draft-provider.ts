/** One chat completion: the seam between the summarizer's checks and a concrete AI provider. */
export interface DraftProvider {
  /** Resolves with the model's text; rejects on HTTP errors, and when `signal` aborts. */
  complete(request: { system: string; user: string; signal: AbortSignal }): Promise<string>;
}
