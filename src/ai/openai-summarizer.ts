import OpenAI from 'openai';
import { AppError } from '../errors.js';
import type { DraftProvider } from './draft-provider.js';

export interface OpenAiSummarizerOptions {
  /** OpenAI, Azure OpenAI (`https://<resource>.openai.azure.com/openai/v1`), Ollama (`http://localhost:11434/v1`), vLLM. */
  baseUrl: string;
  /** Local servers accept any key. */
  apiKey?: string;
  model: string;
}

/**
 * Any OpenAI-compatible chat-completions endpoint through the `openai`
 * package. Retries are off: the caller has a deadline, a circuit breaker
 * and a deterministic fallback, so a retry would only delay the same answer.
 */
export class OpenAiSummarizer implements DraftProvider {
  private readonly client: OpenAI;
  constructor(private readonly options: OpenAiSummarizerOptions) {
    this.client = new OpenAI({ baseURL: options.baseUrl, apiKey: options.apiKey ?? 'not-needed', maxRetries: 0 });
  }

  async complete(request: { system: string; user: string; signal: AbortSignal }): Promise<string> {
    try {
      const res = await this.client.chat.completions.create(
        {
          model: this.options.model,
          temperature: 0,
          messages: [
            { role: 'system', content: request.system },
            { role: 'user', content: request.user },
          ],
        },
        { signal: request.signal },
      );
      const text = res.choices[0]?.message?.content?.trim();
      if (!text)
        throw new AppError(
          'ai.empty_answer',
          'transient',
          `The AI provider at ${this.options.baseUrl} answered without text; the card keeps its deterministic summary.`,
        );
      return text;
    } catch (err) {
      if (err instanceof AppError || request.signal.aborted) throw err;
      const status = err instanceof OpenAI.APIError ? err.status : undefined;
      throw new AppError(
        'ai.provider_failed',
        status === 401 || status === 403 || status === 404 ? 'internal' : 'transient',
        `The AI provider at ${this.options.baseUrl} failed${status ? ` with HTTP ${status}` : ''}: ${(err as Error).message}. Cards keep their deterministic summary; check AI_BASE_URL, AI_API_KEY and AI_MODEL.`,
        { cause: err },
      );
    }
  }
}
