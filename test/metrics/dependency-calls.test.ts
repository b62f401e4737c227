import { describe, expect, it } from 'vitest';
import {
  dependencyCalls,
  matchCalls,
  toCallEntry,
  traceKey,
  type CallEntry,
  type CallSample,
} from '../../harness/metrics/dependency-calls.ts';
import { createRequestLog, MAX_USER_TEXT } from '../../fakes/request-log.ts';

const SEED = 0x2a;
const traceparentId = (id: number) => `0000002a${id.toString(16).padStart(24, '0')}`;
const call = (o: Partial<CallEntry> & { t_ms: number }): CallEntry => ({
  duration_ms: 10,
  status: 200,
  path: '/v1/chat/completions',
  trace_id: null,
  ...o,
});

describe('traceKey', () => {
  it('reads a traceparent trace id of this seed and a plain sample id, and nothing else', () => {
    expect(traceKey(traceparentId(7), SEED)).toEqual({ id: 7, kind: 'trace_id' });
    expect(traceKey('7', SEED)).toEqual({ id: 7, kind: 'sample_id_header' });
    expect(traceKey(`0000002b${'0'.repeat(23)}7`, SEED)).toBeUndefined();
    expect(traceKey('abc', SEED)).toBeUndefined();
    expect(traceKey(null, SEED)).toBeUndefined();
  });
});

describe('matchCalls', () => {
  const samples: CallSample[] = [
    { id: 1, start_ms: 0, end_ms: 500, phase: 'baseline', question: 'How much does express shipping cost?' },
    { id: 2, start_ms: 100, end_ms: 600, phase: 'baseline', question: 'What is the return window?' },
    { id: 3, start_ms: 300, end_ms: 900, phase: 'baseline', question: 'What is the return window?' },
  ];
  it('matches by trace id, by the sample-id header, by question text in the prompt (latest in-flight sample), and counts each way', () => {
    const entries = [
      call({ t_ms: 10, trace_id: traceparentId(1) }),
      call({ t_ms: 150, trace_id: '2' }),
      call({ t_ms: 200, user_text: 'Context: ...\n\nQuestion: how much does EXPRESS   shipping cost?' }),
      call({ t_ms: 350, user_text: 'Answer: what is the return window?' }),
      call({ t_ms: 950, user_text: 'What is the return window?' }),
      call({ t_ms: 20, trace_id: '99' }),
    ];
    const { bySample, matched } = matchCalls(samples, entries, SEED);
    expect(matched).toEqual({ trace_id: 1, sample_id_header: 1, question_text: 2, unmatched: 2 });
    expect(bySample.get(1)!.map((c) => c.t_ms)).toEqual([10, 200]);
    expect(bySample.get(2)!.map((c) => c.t_ms)).toEqual([150]);
    expect(bySample.get(3)!.map((c) => c.t_ms)).toEqual([350]);
  });
});

describe('dependencyCalls', () => {
  it('counts calls per request (mean, p95), amplification against baseline, early retries and duplicates, for a service that forwards no header', () => {
    const q = (i: number) => `question number ${i}`;
    const samples: CallSample[] = [];
    const entries: CallEntry[] = [];
    // Baseline: 4 requests, one call each.
    for (let i = 1; i <= 4; i++) {
      samples.push({ id: i, start_ms: i * 1000, end_ms: i * 1000 + 200, phase: 'baseline', question: q(i) });
      entries.push(call({ t_ms: i * 1000 + 10, user_text: q(i) }));
    }
    // Fault: 4 requests. Requests 5–7 retry a 429 (retry-after 1000 ms) after 100 ms, 3 calls each; request 8: 1 call
    // after waiting the full second (not early), 2 calls.
    for (let i = 5; i <= 7; i++) {
      const t = i * 1000;
      samples.push({ id: i, start_ms: t, end_ms: t + 900, phase: 'model-429', question: q(i) });
      for (const k of [0, 1, 2])
        entries.push(
          call({ t_ms: t + 10 + k * 110, status: k < 2 ? 429 : 200, retry_after_ms: k < 2 ? 1000 : undefined, user_text: q(i) }),
        );
    }
    samples.push({ id: 8, start_ms: 8000, end_ms: 9500, phase: 'model-429', question: q(8) });
    entries.push(call({ t_ms: 8010, status: 429, retry_after_ms: 1000, user_text: q(8) }), call({ t_ms: 9100, user_text: q(8) }));
    const out = dependencyCalls(samples, entries, SEED, ['baseline', 'model-429']);
    expect(out.matched).toEqual({ trace_id: 0, sample_id_header: 0, question_text: 15, unmatched: 0 });
    expect(out.phases).toEqual([
      {
        phase: 'baseline',
        requests: 4,
        calls: 4,
        calls_per_request: 1,
        calls_per_request_p95: 1,
        retry_amplification: 1,
        early_retries: 0,
        early_retry_rate: 0,
        duplicate_calls: 0,
        duplicate_call_rate: 0,
      },
      {
        // 11 calls / 4 requests = 2.75; p95 (nearest rank of [2, 3, 3, 3]) = 3; 2.75 / 1 = 2.75;
        // early: 2 per request 5–7 = 6 of 11 calls = 0.5455; duplicates 2+2+2+1 = 7, all 4 requests
        phase: 'model-429',
        requests: 4,
        calls: 11,
        calls_per_request: 2.75,
        calls_per_request_p95: 3,
        retry_amplification: 2.75,
        early_retries: 6,
        early_retry_rate: 0.5455,
        duplicate_calls: 7,
        duplicate_call_rate: 1,
      },
    ]);
  });

  it("counts an agent's next step (a longer prompt) as a new call, and the same prompt sent again as a duplicate", () => {
    const samples: CallSample[] = [
      { id: 1, start_ms: 0, end_ms: 900, phase: 'f', question: 'plan a trip' },
      { id: 2, start_ms: 1000, end_ms: 1900, phase: 'f', question: 'book a room' },
    ];
    const entries: CallEntry[] = [
      // Request 1: plan (120 chars), then the answer with the tool's result (480): two steps, no duplicate.
      call({ t_ms: 10, user_text: 'plan a trip', prompt_chars: 120 }),
      call({ t_ms: 300, user_text: 'plan a trip', prompt_chars: 480 }),
      // Request 2: the plan call failed and was sent again unchanged, then the answer: one duplicate.
      call({ t_ms: 1010, status: 500, user_text: 'book a room', prompt_chars: 130 }),
      call({ t_ms: 1100, user_text: 'book a room', prompt_chars: 130 }),
      call({ t_ms: 1400, user_text: 'book a room', prompt_chars: 500 }),
    ];
    const [f] = dependencyCalls(samples, entries, SEED, ['f']).phases;
    expect(f).toMatchObject({ requests: 2, calls: 5, duplicate_calls: 1, duplicate_call_rate: 0.5 });
  });

  it('has no amplification without a baseline and null rates for a phase without requests', () => {
    const out = dependencyCalls([{ id: 1, start_ms: 0, end_ms: 10, phase: 'f' }], [], SEED, ['f', 'recovery']);
    expect(out.phases.map((p) => [p.phase, p.calls_per_request, p.retry_amplification, p.early_retry_rate, p.duplicate_call_rate])).toEqual(
      [
        ['f', 0, null, null, 0],
        ['recovery', null, null, null, null],
      ],
    );
  });
});

describe('request log evidence for matching', () => {
  it('keeps user_text up to its limit, retry_after_ms and finish_reason', () => {
    const log = createRequestLog(4);
    log.finished({
      t_ms: 1,
      method: 'POST',
      path: '/v1/chat/completions',
      status: 429,
      duration_ms: 2,
      mode: 'm',
      trace_id: null,
      user_text: 'x'.repeat(MAX_USER_TEXT + 5),
      retry_after_ms: 1000,
      finish_reason: 'length',
    });
    const [entry] = log.page(0).entries;
    expect(entry.user_text).toBe('x'.repeat(MAX_USER_TEXT));
    expect(entry.retry_after_ms).toBe(1000);
    expect(entry.finish_reason).toBe('length');
  });
});

describe('toCallEntry', () => {
  it('moves the arrival to ms since t0 and keeps what matching needs', () => {
    const entry = {
      seq: 4,
      t_ms: 1_700_000_001_250.5,
      method: 'POST',
      path: '/v1/chat/completions',
      status: 429,
      duration_ms: 3,
      mode: 'm1',
      trace_id: null,
      user_text: 'q',
      retry_after_ms: 1000,
    };
    expect(toCallEntry(entry, 1_700_000_000_000)).toEqual({
      t_ms: 1250.5,
      duration_ms: 3,
      status: 429,
      path: '/v1/chat/completions',
      trace_id: null,
      user_text: 'q',
      retry_after_ms: 1000,
    });
  });
});
