/** In-process use of a fake's runtime (unit tests under msw): setMode takes what the factories build, and refuses mistakes. */
import { describe, expect, it } from 'vitest';
import { mode } from '../../contract/index.ts';
import { createFakeRuntime } from '../../fakes/fake-runtime.ts';

describe('runtime.setMode', () => {
  it('takes a mode as the factories build it, or its wire form, and stores the wire form', () => {
    const runtime = createFakeRuntime({ name: 'model', kind: 'model', seed: 1 });
    runtime.setMode('down', mode.httpError({ status: 503 }));
    runtime.setMode('slow', mode.streamDrip({ chunkDelayMs: 50 }).mode);
    expect(runtime.modes()).toEqual({
      down: { kind: 'http_error', rate: 1, status: 503 },
      slow: { kind: 'stream_drip', rate: 1, chunk_delay_ms: 50 },
    });
  });

  it('refuses a mode the fake does not take, and a malformed one, naming the fake and every problem', () => {
    const runtime = createFakeRuntime({ name: 'docs', kind: 'retrieval' });
    expect(() => runtime.setMode('x', mode.dropFacts())).toThrow(
      `setMode('x') on the docs fake (retrieval): mode kind "drop_facts" does not apply to a retrieval fake; it applies to: model`,
    );
    expect(() => runtime.setMode('y', { kind: 'empty', rate: 2 } as never)).toThrow(
      /^setMode\('y'\) on the docs fake \(retrieval\): rate /,
    );
    expect(runtime.modes()).toEqual({});
  });
});
