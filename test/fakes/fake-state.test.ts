import { describe, expect, it } from 'vitest';
import { MAX_LOGGED_IDS, mode, validateMode } from '../../contract/index.ts';
import { createFakeRuntime, traceIdOf } from '../../fakes/fake-runtime.ts';
import { createRequestLog } from '../../fakes/request-log.ts';

const request = (path: string) => new Request(`http://127.0.0.1:1${path}`, { method: 'POST' });

describe('fake modes and state', () => {
  it('rolls the same sequence of hits for the same seed, fake name and mode id', () => {
    const hits = (seed: number) => {
      const runtime = createFakeRuntime({ name: 'model', kind: 'model', seed });
      runtime.setMode('errors', mode.httpError({ rate: 0.5, status: 500 }).mode);
      return Array.from({ length: 40 }, () => (runtime.roll(request('/v1/chat/completions'), { stream: false }) ? 1 : 0)).join('');
    };
    expect(hits(7)).toBe(hits(7));
    expect(hits(7)).not.toBe(hits(8));
    const count = [...hits(7)].filter((c) => c === '1').length;
    expect(count).toBeGreaterThan(10);
    expect(count).toBeLessThan(30);
  });

  it('applies stream faults only to stream requests and honours the paths filter', () => {
    const runtime = createFakeRuntime({ name: 'model', kind: 'model' });
    runtime.setMode('stall', mode.streamStall({ rate: 1, afterChunks: 2 }).mode);
    runtime.setMode('emb', { kind: 'http_error', rate: 1, status: 503, paths: ['/v1/embed*'] });
    expect(runtime.roll(request('/v1/chat/completions'), { stream: false })).toBeNull();
    expect(runtime.roll(request('/v1/chat/completions'), { stream: true })?.id).toBe('stall');
    expect(runtime.roll(request('/v1/embeddings'), { stream: false })?.id).toBe('emb');
  });

  it('rejects a mode kind that does not apply to the fake kind, naming where it applies', () => {
    expect(validateMode({ kind: 'stream_stall', rate: 1, after_chunks: 1 }, 'retrieval')).toEqual({
      ok: false,
      notApplicable: true,
      problems: ['mode kind "stream_stall" does not apply to a retrieval fake; it applies to: model'],
    });
  });

  it('reports every problem of an invalid mode', () => {
    expect(validateMode({ kind: 'http_error', rate: 2, status: 200, retry_after_s: -1 }, 'model')).toEqual({
      ok: false,
      problems: [
        'rate must be a number in [0, 1]',
        'status must be an integer from 400 to 599',
        'retry_after_s must be a number of seconds from 0 to 3600',
      ],
    });
  });

  it('rejects a misspelt mode field instead of ignoring it', () => {
    expect(validateMode({ kind: 'stream_cut', rate: 1, after_chunk: 2 }, 'model')).toEqual({
      ok: false,
      problems: [
        'after_chunk is not a field of a stream_cut mode (fields: kind, rate, paths, when, after_chunks, after_bytes, close)',
        'after_chunks must be given, or after_bytes instead (exactly one of them)',
      ],
    });
  });

  it('keeps a bounded ring of log entries and counts the ones a reader missed', () => {
    const log = createRequestLog(3);
    for (let i = 0; i < 5; i++) {
      log.arrived('/x');
      log.finished({ t_ms: i, method: 'GET', path: '/x', status: 200, duration_ms: 1, mode: null, trace_id: null });
    }
    expect(log.page(0)).toMatchObject({ dropped: 2, entries: [{ seq: 3 }, { seq: 4 }, { seq: 5 }] });
    expect(log.page(3)).toMatchObject({ dropped: 0, entries: [{ seq: 4 }, { seq: 5 }] });
    expect(log.page(5)).toEqual({ dropped: 0, entries: [] });
    expect(log.stats()).toEqual({ requests: 5, in_flight: 0, by_path: { '/x': 5 }, by_mode: {}, by_status: { '200': 5 } });
  });

  it('rolls a mode only on endpoints that accept its kind, so by_mode counts only requests it changed', () => {
    const runtime = createFakeRuntime({ name: 'model', kind: 'model' });
    runtime.setMode('drop', mode.dropFacts({ rate: 1 }).mode);
    expect(runtime.roll(request('/v1/embeddings'), { stream: false, accepts: ['http_error', 'error_body'] })).toBeNull();
    expect(runtime.roll(request('/v1/chat/completions'), { stream: false })?.id).toBe('drop');
    expect(runtime.stats().by_mode).toEqual({ drop: 1 });
  });

  it('puts http_error and error_body before stream faults, and stream faults before content modes', () => {
    const runtime = createFakeRuntime({ name: 'model', kind: 'model' });
    runtime.setMode('refuse', mode.refuse({ rate: 1 }).mode);
    runtime.setMode('cut', mode.streamCut({ rate: 1, afterChunks: 1 }).mode);
    expect(runtime.roll(request('/v1/chat/completions'), { stream: true })?.id).toBe('cut');
    runtime.setMode('eb', mode.errorBody({ rate: 1 }).mode);
    expect(runtime.roll(request('/v1/chat/completions'), { stream: true })?.id).toBe('eb');
  });

  it('logs the evidence a handler records, keeping at most MAX_LOGGED_IDS ids', async () => {
    const runtime = createFakeRuntime({ name: 'retrieval', kind: 'retrieval' });
    const search = request('/search');
    const finish = runtime.observe(search);
    runtime.record(search, { returned_ids: Array.from({ length: MAX_LOGGED_IDS + 5 }, (_, i) => `doc-${i}`) });
    finish(200);
    const [entry] = runtime.log(0).entries;
    expect(entry.returned_ids).toHaveLength(MAX_LOGGED_IDS);
    expect(entry.returned_ids?.[0]).toBe('doc-0');
    expect(entry.cited_ids).toBeUndefined();
  });

  it('validates the options of the content modes, defaulting nothing into the stored mode', () => {
    expect(validateMode({ kind: 'drop_facts', rate: 0.5, count: 0 }, 'model')).toEqual({
      ok: false,
      problems: ['count must be an integer >= 1'],
    });
    expect(validateMode({ kind: 'wrong_citations', rate: 1, source: 'random' }, 'model')).toEqual({
      ok: false,
      problems: ['source must be one of any, context, invented'],
    });
    expect(validateMode({ kind: 'partial', rate: 1, keep: 2, paths: ['/search'] }, 'retrieval')).toEqual({
      ok: true,
      mode: { kind: 'partial', rate: 1, keep: 2, paths: ['/search'] },
    });
    expect(validateMode({ kind: 'error_body', rate: 1 }, 'inventory')).toEqual({ ok: true, mode: { kind: 'error_body', rate: 1 } });
    expect(validateMode({ kind: 'stale_values', rate: 1 }, 'retrieval')).toMatchObject({ ok: false, notApplicable: true });
  });

  it('reads the trace id from traceparent first, then x-shakedown-sample-id', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(traceIdOf(new Headers({ traceparent, 'x-shakedown-sample-id': 's-1' }))).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(traceIdOf(new Headers({ traceparent: 'garbage', 'x-shakedown-sample-id': 's-1' }))).toBe('s-1');
    expect(traceIdOf(new Headers())).toBeNull();
  });
});
