import { describe, expect, it } from 'vitest';
import { announcesCut, detectTruncation, latencyBudget, rankSample } from '../../harness/metrics/outcome-ranking.ts';
import { resilienceScoreV2, scoreV2Formula, scoreV2FromCounts } from '../../harness/metrics/resilience-score-v2.ts';
import type { SampleRecord } from '../../harness/results/result-types.ts';

let id = 0;
const s = (o: Partial<SampleRecord> & { phase: string }): SampleRecord => ({
  id: ++id,
  start_ms: 0,
  end_ms: o.latency_ms ?? 100,
  latency_ms: 100,
  ttfb_ms: null,
  status: 200,
  error_kind: null,
  bytes: 10,
  ...o,
});
const many = (n: number, o: Partial<SampleRecord> & { phase: string }) => Array.from({ length: n }, () => s(o));
const PHASES = [
  { name: 'baseline', kind: 'baseline' as const },
  { name: 'model-down', kind: 'fault' as const },
];

describe('rankSample', () => {
  it('ranks good, loud, late and quiet from what the load saw', () => {
    const budget = 1000;
    expect(rankSample(s({ phase: 'x' }), budget)).toBe('good');
    expect(rankSample(s({ phase: 'x', status: 504, error_kind: 'http_5xx', latency_ms: 20 }), budget)).toBe('loud');
    expect(rankSample(s({ phase: 'x', status: null, error_kind: 'reset' }), budget)).toBe('loud');
    expect(rankSample(s({ phase: 'x', latency_ms: 1001 }), budget)).toBe('late');
    expect(rankSample(s({ phase: 'x', status: null, error_kind: 'timeout', latency_ms: 30_000 }), budget)).toBe('late');
    expect(rankSample(s({ phase: 'x', status: 503, error_kind: 'http_5xx', latency_ms: 5000 }), budget)).toBe('late');
    for (const outcome of ['stale', 'wrong', 'empty', 'partial', 'truncated', 'fallback'] as const)
      expect(rankSample(s({ phase: 'x', outcome, latency_ms: 5000 }), budget)).toBe('quiet');
    expect(rankSample(s({ phase: 'x', outcome: 'fallback' }), budget, true)).toBe('loud');
    // A stream the service ended with an error event is loud though the text before the cut scored wrong (the
    // careful stream-stall twin scored below the careless one that hung until the timeout when this was quiet).
    const aborted = { stream_aborted: true, stream_abort_reason: 'error_event' as const };
    expect(rankSample(s({ phase: 'x', outcome: 'wrong', ...aborted, latency_ms: 2100 }), 3000)).toBe('loud');
    expect(rankSample(s({ phase: 'x', outcome: 'partial', ...aborted, latency_ms: 3100 }), 3000)).toBe('late');
  });

  it('ranks a stream ended by an honest error event as loud, and a silently truncated one as quiet', () => {
    const honest = s({ phase: 'x', stream_aborted: true, stream_abort_reason: 'error_event' });
    const silent = s({ phase: 'x', stream_aborted: false, stream_abort_reason: null, outcome: 'truncated' });
    expect(rankSample(honest, 1000)).toBe('loud');
    expect(rankSample(silent, 1000)).toBe('quiet');
  });
});

describe('detectTruncation', () => {
  const cut = { status: 200, mode: null, finish_reason: 'length' };
  it('calls a 2xx plain answer resting on a finish_reason "length" call truncated', () => {
    expect(detectTruncation({ status: 200, error_kind: null }, [cut])).toBe(true);
  });
  it('calls a complete stream resting on a stream_cut or stall call, or a toxic cut, truncated', () => {
    const stream = { completed: true, abort_reason: null };
    expect(detectTruncation({ status: 200, error_kind: null, stream }, [{ status: 200, mode: 'stream_cut' }])).toBe(true);
    expect(detectTruncation({ status: 200, error_kind: null, stream }, [{ status: 200, mode: 'stream_stall' }])).toBe(true);
    expect(detectTruncation({ status: 200, error_kind: null, stream }, [{ status: 200, mode: null, cut_by_toxic: true }])).toBe(true);
  });
  it('does not call announced, failed or error-event answers truncated, nor a cut call followed by a whole retry', () => {
    expect(detectTruncation({ status: 200, error_kind: null, announced_cut: true }, [cut])).toBe(false);
    expect(detectTruncation({ status: 503, error_kind: 'http_5xx' }, [cut])).toBe(false);
    const errorEvent = { completed: false, abort_reason: 'error_event' as const };
    expect(detectTruncation({ status: 200, error_kind: null, stream: errorEvent }, [{ status: 200, mode: 'stream_cut' }])).toBe(false);
    expect(detectTruncation({ status: 200, error_kind: null }, [cut, { status: 200, mode: null, finish_reason: 'stop' }])).toBe(false);
    expect(detectTruncation({ status: 200, error_kind: null }, [])).toBe(false);
  });
});

describe('latencyBudget', () => {
  const slo = (metric: string, op: string, value: number) => ({ metric, expression: { op, value } });
  it('is the scenario field, else the tightest p95/p99 upper bound, else the request timeout', () => {
    expect(latencyBudget({ latencyBudget_ms: 750, slos: [slo('p95_ms', '<', 400)], timeout_ms: 10_000 })).toBe(750);
    expect(latencyBudget({ slos: [slo('p99_ms', '<', 2000), slo('p95_ms', '<=', 800), slo('p50_ms', '<', 100)], timeout_ms: 10_000 })).toBe(
      800,
    );
    expect(latencyBudget({ slos: [slo('error_rate', '<', 0.01)], timeout_ms: 10_000 })).toBe(10_000);
  });
});

describe('resilienceScoreV2', () => {
  it('scores the fix of a hang bug above the hang: fast honest 504s above requests hanging until the fault ends', () => {
    // Fault phase of 100 requests, budget 2 s. Fix: 60 answered in 300 ms, 40 fast 504s.
    // Hang: 60 answered in 300 ms, 40 hang 9 s until the fault ends and then answer 200.
    const fix = [
      ...many(60, { phase: 'model-down', latency_ms: 300 }),
      ...many(40, { phase: 'model-down', status: 504, error_kind: 'http_5xx', latency_ms: 15 }),
    ];
    const hang = [...many(60, { phase: 'model-down', latency_ms: 300 }), ...many(40, { phase: 'model-down', latency_ms: 9000 })];
    // fix: 100 × (60 + ½·40) / 100 = 80; hang: 100 × (60 + 0.1·40) / 100 = 64
    expect(resilienceScoreV2(PHASES, fix, 2000).value).toBe(80);
    expect(resilienceScoreV2(PHASES, hang, 2000).value).toBe(64);
    expect(resilienceScoreV2(PHASES, hang, 2000).phases).toEqual([
      { phase: 'model-down', budget_ms: 2000, requests: 100, classes: { good: 60, loud: 0, late: 40, quiet: 0 }, value: 64 },
    ]);
  });

  it('scores a service passing truncated answers on as complete below one refusing them with 503s', () => {
    // Every model answer cut (finish_reason "length"), 50 requests. Careless: 200s, truncated by detectTruncation.
    const careless = many(50, { phase: 'model-down', latency_ms: 400 }).map((x) => ({
      ...x,
      outcome: detectTruncation({ status: 200, error_kind: null }, [{ status: 200, mode: 'truncate', finish_reason: 'length' }])
        ? ('truncated' as const)
        : ('ok' as const),
    }));
    const careful = many(50, { phase: 'model-down', status: 503, error_kind: 'http_5xx', latency_ms: 400 });
    // careless: 100 × 0 / 50 = 0; careful: 100 × ½·50 / 50 = 50
    expect(resilienceScoreV2(PHASES, careless, 2000).value).toBe(0);
    expect(resilienceScoreV2(PHASES, careful, 2000).value).toBe(50);
  });

  it('averages fault and recovery phases, leaves baseline and empty phases out, and is null with none', () => {
    const phases = [...PHASES, { name: 'recovery', kind: 'recovery' as const }, { name: 'other', kind: 'fault' as const }];
    const samples = [
      ...many(3, { phase: 'baseline', status: 500, error_kind: 'http_5xx' }),
      ...many(2, { phase: 'model-down' }),
      s({ phase: 'model-down', outcome: 'stale' }),
      ...many(4, { phase: 'recovery' }),
    ];
    // model-down: 100 × 2/3 = 66.67 → 66.7; recovery 100; mean (66.667 + 100) / 2 = 83.3
    const v = resilienceScoreV2(phases, samples, 1000);
    expect(v.phases.map((p) => [p.phase, p.value])).toEqual([
      ['model-down', 66.7],
      ['recovery', 100],
    ]);
    expect(v.value).toBe(83.3);
    expect(resilienceScoreV2(phases, many(2, { phase: 'baseline' }), 1000).value).toBeNull();
  });

  it('gives the same score from class counts kept per phase', () => {
    const counts = new Map([
      ['a', { good: 60, loud: 40, late: 0, quiet: 0 }],
      ['b', { good: 60, loud: 0, late: 40, quiet: 0 }],
      ['empty', { good: 0, loud: 0, late: 0, quiet: 0 }],
    ]);
    // (80 + 64) / 2 = 72
    expect(scoreV2FromCounts(counts, 2000).value).toBe(72);
    expect(scoreV2FromCounts(counts, 2000).phases.map((p) => p.phase)).toEqual(['a', 'b']);
  });

  it("states its formula on one terminal line, with each phase's budget when they differ", () => {
    expect(scoreV2Formula(800)).toBe(
      'score = mean over fault+recovery phases of 100×(good + ½·loud + 0.1·late + 0·quiet)/requests; good = right within 800 ms',
    );
    expect(
      scoreV2Formula(
        new Map([
          ['model-down', 4800],
          ['recovery', 8000],
        ]),
      ),
    ).toBe(
      "score = mean over fault+recovery phases of 100×(good + ½·loud + 0.1·late + 0·quiet)/requests; good = right within the phase's budget (model-down 4800 ms, recovery 8000 ms)",
    );
  });

  it('judges each phase against its own budget when given one per phase', () => {
    const counts = new Map([
      ['model-down', { good: 1, loud: 1, late: 0, quiet: 0 }],
      ['recovery', { good: 2, loud: 0, late: 0, quiet: 0 }],
    ]);
    const v = scoreV2FromCounts(
      counts,
      new Map([
        ['model-down', 4800],
        ['recovery', 8000],
      ]),
    );
    expect(v.budget_ms).toBeNull();
    expect(v.phases.map((p) => [p.phase, p.budget_ms, p.value])).toEqual([
      ['model-down', 4800, 75],
      ['recovery', 8000, 100],
    ]);
    expect(v.value).toBe(87.5);
  });
});

describe('announcesCut', () => {
  it('reads the SUT telling its caller the answer was cut', () => {
    expect(announcesCut({ answer: 'half', truncated: true })).toBe(true);
    expect(announcesCut({ done: true, finish_reason: 'length' })).toBe(true);
    expect(announcesCut({ choices: [{ finish_reason: 'length' }] })).toBe(true);
    expect(announcesCut({ status: 'incomplete' })).toBe(true);
    expect(announcesCut({ answer: 'whole', finish_reason: 'stop' })).toBe(false);
    expect(announcesCut('truncated')).toBe(false);
    expect(announcesCut(null)).toBe(false);
  });
});
