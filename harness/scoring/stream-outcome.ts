/**
 * A streamed answer the service ended itself (an error event, a dropped connection, no completion event) is at
 * best partial, never ok, whatever its text scores: `ok` becomes `partial` and the abort joins the reasons.
 *
 * `withStreamAbort({ outcome: 'ok', quality: 1, reasons: [] }, { aborted: true, abort_reason: 'no_completion', tokens: 3 })`
 * → `{ outcome: 'partial', quality: 1, reasons: ['stream aborted (no completion) after 3 tokens'] }`.
 */
import type { StreamSample } from '../load/stream-summary.ts';
import type { ScoreOutput } from './rag-answer.ts';

export function withStreamAbort(
  scored: ScoreOutput,
  stream: Pick<StreamSample, 'aborted' | 'abort_reason' | 'tokens'> | null,
): ScoreOutput {
  if (!stream?.aborted) return scored;
  return {
    outcome: scored.outcome === 'ok' ? 'partial' : scored.outcome,
    quality: scored.quality,
    reasons: [...scored.reasons, `stream aborted (${stream.abort_reason?.replace('_', ' ')}) after ${stream.tokens} tokens`],
  };
}
