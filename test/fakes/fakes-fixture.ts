/**
 * Shared setup for the fakes tests: the fixture dataset paths and a started set of fakes that is always closed.
 */
import { fileURLToPath } from 'node:url';
import { type FakesConfig, type RunningFakes, startFakes } from '../../fakes/index.ts';

export const FIXTURE_CORPUS = fileURLToPath(new URL('./fixtures/corpus.json', import.meta.url));
export const FIXTURE_INVENTORY = fileURLToPath(new URL('./fixtures/inventory.json', import.meta.url));

/** A config with all three kinds over the fixture dataset; `chunk_delay_ms` 1 to keep tests fast. */
export function fixtureConfig(overrides: Partial<FakesConfig> = {}): FakesConfig {
  return {
    seed: 42,
    fakes: {
      model: { kind: 'model', options: { chunk_delay_ms: 1 } },
      retrieval: { kind: 'retrieval', options: { corpus: FIXTURE_CORPUS } },
      api: { kind: 'inventory', options: { inventory: FIXTURE_INVENTORY } },
    },
    ...overrides,
  };
}

export type { RunningFakes };
export { startFakes };

/** Calls the control API; returns status and parsed JSON body (null for 204). */
export async function control(fakes: RunningFakes, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(fakes.control_url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** A user message in the prompt format the SUT sends: context lines, then the question. */
export function promptOf(contextLines: string[], question: string): string {
  return `Answer from the context.\n${contextLines.join('\n')}\nQuestion: ${question}`;
}
