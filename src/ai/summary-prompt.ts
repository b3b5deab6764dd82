import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.js';

/** The prompt in use; its file name is its version, recorded with every draft. */
export const PROMPT_VERSION = 'summary-v1';

/** The package root: the nearest folder above this file with a `prompts` folder (src/ in dev, dist/ when installed). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'prompts')) && existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new AppError(
    'ai.prompt_missing',
    'internal',
    `The AI prompt folder "prompts" was not found above ${fileURLToPath(import.meta.url)}. Reinstall odoo-chatops (the package ships prompts/), or unset AI_BASE_URL to run without AI summaries.`,
  );
}

/** Reads `prompts/<version>.md` once, at start-up, so a missing file stops the start rather than the first card. */
export function loadSummaryPrompt(version = PROMPT_VERSION): { version: string; system: string } {
  const file = join(packageRoot(), 'prompts', `${version}.md`);
  try {
    return { version, system: readFileSync(file, 'utf8').trim() };
  } catch (err) {
    throw new AppError(
      'ai.prompt_missing',
      'internal',
      `The AI prompt ${file} could not be read (${String(err)}). Reinstall odoo-chatops, or unset AI_BASE_URL to run without AI summaries.`,
      { cause: err },
    );
  }
}
