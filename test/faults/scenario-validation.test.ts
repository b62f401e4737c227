/**
 * The new faults in a scenario: validated when the scenario loads (every problem, with "did you mean"), and
 * printed as `--dry-run` prints them (`describeFault`).
 */
import { describe, expect, it } from 'vitest';
import { describeFault, mode, resolveScenario, toxic } from '../../harness/scenario/index.ts';
import { validScenario } from '../scenario/scenario-fixture.ts';

const withFaults = (...faults: Array<{ fault: unknown; on?: string }>) => ({
  ...validScenario(),
  faults: faults.map((f, i) => ({ on: f.on ?? 'model', at: `${i * 5}s`, for: '5s', fault: f.fault })),
});

const problemsOf = (input: unknown) => {
  const result = resolveScenario(input, 's.ts');
  return result.ok ? [] : result.problems;
};

describe('the new faults in a scenario', () => {
  it('accepts every new fault and prints each as --dry-run does', () => {
    const faults = [
      mode.httpError({ status: 500, when: { first: 3 } }),
      mode.httpError({ status: 503, paths: ['/v1/embeddings'], when: { oncePerRequest: true } }),
      mode.rateLimit({ retryAfter: 1.5, retryHint: 'body', when: { every: 4 } }),
      mode.streamStall({ afterChunks: 2, resumeAfterMs: 3000, keepaliveMs: 500 }),
      mode.streamCut({ afterBytes: 512, close: 'reset', when: { nth: 2 } }),
      mode.streamDrip({ chunkDelayMs: 250, rate: 0.5 }),
      mode.streamLength({ chunks: 400 }),
      mode.streamNoFinish(),
      mode.streamError({ afterChunks: 3 }),
      mode.bodySize({ bytes: 1_000_000 }),
      toxic.timeout({ timeout: 0, onRemove: 'release' }),
    ];
    const result = resolveScenario(withFaults(...faults.map((fault) => ({ fault }))), 's.ts');
    expect(result.ok).toBe(true);
    expect(faults.map(describeFault)).toEqual([
      'http_error 500 [first 3]',
      'http_error 503 [once per request] on /v1/embeddings',
      'http_error 429 retry-after 1.5s (body) [every 4]',
      'stream_stall after 2 chunks for 3000ms pinging every 500ms',
      'stream_cut after 512 bytes (reset) [nth 2]',
      'stream_drip 250ms/chunk @50%',
      'stream_length 400 chunks',
      'stream_no_finish',
      'stream_error after 3 chunks',
      'body_size 1000000B',
      'latency hold (released when removed) downstream',
    ]);
  });

  it('reports every problem of the new options when the scenario loads, with "did you mean" for a misspelt field', () => {
    const problems = problemsOf(
      withFaults(
        { fault: mode.httpError({ status: 500, when: { frist: 3 } as never }) },
        { fault: mode.httpError({ status: 500, when: { first: 2, every: 3 } }) },
        { fault: mode.streamCut({ afterChunks: 1, afterBytes: 10 }) },
        { fault: mode.streamCut({ afterChunks: 1, close: 'rst' as never }) },
        { fault: mode.httpError({ status: 429, retryAfter: 1, retryHint: 'header' as never }) },
        { fault: mode.streamDrip({ chunkDelayMs: -1 }) },
        { fault: mode.bodySize({ bytes: 0 }), on: 'retrieval' },
      ),
    );
    expect(problems).toEqual([
      "s.ts: faults[0].fault.mode.when.frist is not a known field (did you mean 'first'?)",
      's.ts: faults[0].fault.mode.when must give exactly one of nth, first, every, once_per_request',
      's.ts: faults[1].fault.mode.when must give exactly one of nth, first, every, once_per_request',
      's.ts: faults[2].fault.mode.after_chunks must be given, or after_bytes instead (exactly one of them)',
      "s.ts: faults[3].fault.mode.close must be one of 'clean', 'reset' (got 'rst')",
      "s.ts: faults[4].fault.mode.retry_hint must be one of 'headers', 'retry-after', 'retry-after-ms', 'body' (got 'header')",
      's.ts: faults[5].fault.mode.chunk_delay_ms must be >= 0 (got -1)',
      's.ts: faults[6].fault.mode.bytes must be >= 1 (got 0)',
      "s.ts: faults[6].fault.mode.kind 'body_size' does not apply to 'retrieval' (a retrieval fake); it applies to: model",
    ]);
  });
});
