/**
 * The evidence join with a service that forwards no trace header: calls matched to requests by the request's text
 * in the prompt, the latest started in-flight request winning, the truncation evidence each call carries, and
 * the match counts. Fake log pages from fixed entries; no process, no port.
 */
import { describe, expect, it } from 'vitest';
import { createEvidenceJoin, matchTextOf, type SampleCalls } from '../../harness/runner/evidence-join.ts';
import type { FakeLogEntry } from '../../harness/runner/fakes-process.ts';

const t0Epoch = 1_700_000_000_000;
const seed = 7;

const call = (seq: number, t: number, user_text: string, extra: Partial<FakeLogEntry> = {}): FakeLogEntry => ({
  seq,
  t_ms: t0Epoch + t,
  method: 'POST',
  path: '/v1/chat/completions',
  status: 200,
  duration_ms: 5,
  mode: null,
  trace_id: null,
  user_text,
  ...extra,
});

function joinOver(entries: FakeLogEntry[], cutByToxic?: (dependency: string, t_ms: number) => boolean) {
  const modeKinds: Record<string, string> = { 'cut-model': 'truncate' };
  const released: Array<[string, number, SampleCalls]> = [];
  const join = createEvidenceJoin<string>({
    dependencies: { model: { kind: 'model' } },
    seed,
    phases: ['baseline', 'fault'],
    phaseOf: (t) => (t < 1000 ? 'baseline' : 'fault'),
    readLog: async (_name, since) => ({ entries: entries.filter((e) => e.seq > since), dropped: 0 }),
    release: (item, evidence, calls) => released.push([item, evidence?.calls.model?.calls ?? 0, calls]),
    pollMs: 60_000,
    ...(cutByToxic ? { cutByToxic } : {}),
    modeKindOf: (id) => modeKinds[id] ?? id,
  });
  join.start(performance.now(), t0Epoch);
  return { join, released };
}

describe('evidence join without trace headers', () => {
  it('reads the text a request is matched by: the longest string of its body, folded and cut to 200 characters', () => {
    expect(matchTextOf({ ticket: 'My  parcel is LATE', lang: 'en' })).toBe('my parcel is late');
    expect(matchTextOf({ text: 'x'.repeat(500) })).toBe('x'.repeat(200));
    expect(matchTextOf({ n: 3, short: 'hi' })).toBeUndefined();
    expect(matchTextOf(null)).toBeUndefined();
  });

  it('gives each call to the in-flight request whose text its prompt holds, the one that had just started for a first call', async () => {
    const { join, released } = joinOver([
      call(1, 10, 'Route this ticket: My parcel is late.'),
      call(2, 1100, 'Route this ticket: My parcel is late.', { status: 429, retry_after_ms: 2000 }),
      call(3, 1120, 'Route this ticket: my   PARCEL is late.', { status: 429, retry_after_ms: 2000 }),
      call(4, 1130, 'Summarize: something else entirely'),
      call(5, 5, 'Route this ticket: My parcel is late.', { trace_id: null, user_text: undefined }),
    ]);
    const text = matchTextOf({ ticket: 'My parcel is late.' });
    join.push({ key: 1, start_ms: 0, end_ms: 50, phase: 'baseline', latency_ms: 50, text }, 'baseline request');
    join.push({ key: 2, start_ms: 1000, end_ms: 1200, phase: 'fault', latency_ms: 200, text }, 'early fault request');
    join.push({ key: 3, start_ms: 1110, end_ms: 1210, phase: 'fault', latency_ms: 100, text }, 'later fault request');
    await join.drain();
    expect(released.map(([item, n, calls]) => [item, n, (calls.model ?? []).map((c) => c.entry.t_ms)])).toEqual([
      ['baseline request', 1, [10]],
      ['early fault request', 1, [1100]],
      ['later fault request', 1, [1120]],
    ]);
    expect(released[1][2].model[0].entry).toEqual({
      t_ms: 1100,
      duration_ms: 5,
      status: 429,
      path: '/v1/chat/completions',
      trace_id: null,
      retry_after_ms: 2000,
    });
    expect(join.matched()).toEqual({ model: { trace_id: 0, sample_id_header: 0, question_text: 3, unmatched: 2 } });
  });

  it('gives a retry to the request that waited out its retry-after, not to one that had just started', async () => {
    const prompt = 'Route this ticket: My parcel is late.';
    const { join, released } = joinOver([
      call(1, 1005, prompt, { status: 429, retry_after_ms: 2000 }),
      call(2, 2905, prompt),
      call(3, 3012, prompt),
    ]);
    const text = matchTextOf({ ticket: 'My parcel is late.' });
    join.push({ key: 2, start_ms: 2900, end_ms: 3100, phase: 'fault', latency_ms: 200, text }, 'started at 2.9 s');
    join.push({ key: 1, start_ms: 1000, end_ms: 3300, phase: 'fault', latency_ms: 2300, text }, 'waited');
    await join.drain();
    expect(released.map(([item, , calls]) => [item, (calls.model ?? []).map((c) => c.entry.t_ms)])).toEqual([
      ['started at 2.9 s', [2905]],
      ['waited', [1005, 3012]],
    ]);
  });

  it("hands over what each call says about truncation: finish_reason, the mode's kind (not its id), a cutting toxic on the proxy", async () => {
    const { join, released } = joinOver(
      [
        call(1, 10, 'Brief: the report', { finish_reason: 'length', mode: 'cut-model' }),
        call(2, 1500, 'Brief: the report', { finish_reason: 'stop' }),
      ],
      (dependency, t) => dependency === 'model' && t >= 1000,
    );
    const text = matchTextOf({ text: 'the report' });
    join.push({ key: 1, start_ms: 0, end_ms: 50, phase: 'baseline', latency_ms: 50, text }, 'cut');
    join.push({ key: 2, start_ms: 1400, end_ms: 1600, phase: 'fault', latency_ms: 200, text }, 'toxic');
    await join.drain();
    expect(released.map(([item, , calls]) => [item, calls.model.map((c) => c.evidence)])).toEqual([
      ['cut', [{ status: 200, mode: 'truncate', finish_reason: 'length' }]],
      ['toxic', [{ status: 200, mode: null, finish_reason: 'stop', cut_by_toxic: true }]],
    ]);
  });
});
