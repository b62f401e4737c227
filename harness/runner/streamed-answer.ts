/**
 * Turns a streamed answer into the JSON body a scorer reads, so one scorer (harness/scoring, which reads JSON
 * fields) scores plain and streamed answers alike: the completion event's fields (`citations`, `fallback`, ...)
 * with the concatenated token texts at the scorer's answer field.
 *
 * `streamedBody({ text: 'Returns ... [doc-001]', final: { done: true, citations: ['doc-001'], fallback: false } }, 'answer')`
 * → `{"done":true,"citations":["doc-001"],"fallback":false,"answer":"Returns ... [doc-001]"}`. A stream that
 * never completed has no completion fields: its answer is the text that arrived (scored as such; the abort
 * itself is counted by `stream_abort_rate`).
 */
import type { StreamSample } from '../load/run-load.ts';

export function streamedBody(stream: Pick<StreamSample, 'text' | 'final'>, answerField: string): string {
  const body: Record<string, unknown> = structuredClone(stream.final ?? {});
  const parts = answerField.split('.');
  let target = body;
  for (const part of parts.slice(0, -1)) {
    const next = target[part];
    target = (target[part] = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
  }
  target[parts.at(-1)!] = stream.text;
  return JSON.stringify(body);
}
