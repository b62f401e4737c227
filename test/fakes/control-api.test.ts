import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFakes, control, fixtureConfig, startFakes } from './fakes-fixture.ts';

describe('control API', () => {
  let fakes: RunningFakes;
  beforeAll(async () => {
    fakes = await startFakes(fixtureConfig());
  });
  afterAll(() => fakes?.close());

  it('rejects a mode that does not apply to the fake kind with 400 and a clear message', async () => {
    const response = await control(fakes, 'PUT', '/fakes/retrieval/modes/s1', { kind: 'stream_stall', rate: 1, after_chunks: 1 });
    expect(response).toEqual({
      status: 400,
      body: {
        error: {
          message: `Invalid mode 's1' for fake 'retrieval': mode kind "stream_stall" does not apply to a retrieval fake; it applies to: model.`,
          type: 'invalid_request_error',
          param: 'kind',
          code: 'mode_not_applicable',
        },
      },
    });
  });

  it('rejects an invalid mode listing every problem', async () => {
    const response = await control(fakes, 'PUT', '/fakes/model/modes/e', { kind: 'http_error', rate: -1 });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(
      "Invalid mode 'e' for fake 'model': rate must be a number in [0, 1]; status must be an integer from 400 to 599.",
    );
    expect(response.body.error.code).toBe('invalid_mode');
  });

  it('answers 404 for an unknown fake, naming the running ones', async () => {
    const response = await control(fakes, 'GET', '/fakes/nope/stats');
    expect(response.status).toBe(404);
    expect(response.body.error.message).toBe("No fake named 'nope'. Running fakes: model, retrieval, api.");
  });

  it('answers 400 for malformed JSON and a bad log cursor', async () => {
    const malformed = await fetch(`${fakes.control_url}/fakes/model/modes/x`, { method: 'PUT', body: '{"kind":' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as any).error.code).toBe('invalid_json');
    const cursor = await control(fakes, 'GET', '/fakes/model/log?since=abc');
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.message).toBe("since must be an integer >= 0, got 'abc'.");
  });

  it('adds, lists, replaces and deletes modes', async () => {
    expect((await control(fakes, 'PUT', '/fakes/model/modes/a', { kind: 'http_error', rate: 0.1, status: 500 })).status).toBe(204);
    expect((await control(fakes, 'PUT', '/fakes/model/modes/a', { kind: 'stream_cut', rate: 1, after_chunks: 3 })).status).toBe(204);
    expect((await control(fakes, 'PUT', '/fakes/model/modes/b', { kind: 'http_error', rate: 1, status: 503 })).status).toBe(204);
    expect((await control(fakes, 'GET', '/fakes/model/modes')).body).toEqual({
      modes: { a: { kind: 'stream_cut', rate: 1, after_chunks: 3 }, b: { kind: 'http_error', rate: 1, status: 503 } },
    });
    expect((await control(fakes, 'DELETE', '/fakes/model/modes/a')).status).toBe(204);
    expect(Object.keys((await control(fakes, 'GET', '/fakes/model/modes')).body.modes)).toEqual(['b']);
    expect((await control(fakes, 'DELETE', '/fakes/model/modes')).status).toBe(204);
    expect((await control(fakes, 'GET', '/fakes/model/modes')).body).toEqual({ modes: {} });
  });

  it('reports health with the event-loop delay p99 in milliseconds', async () => {
    const response = await control(fakes, 'GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body.ok).toBe(true);
    expect(response.body.event_loop_delay_p99_ms).toBeGreaterThanOrEqual(0);
  });
});
