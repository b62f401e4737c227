/**
 * The load engine holds at most BODY_READ_CAP_BYTES of a response body and counts every byte, against a real
 * node:http upstream on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_READ_CAP_BYTES } from '../../harness/load/engine-client.ts';
import { runLoad, type Sample } from '../../harness/load/run-load.ts';
import { startUpstream, type Upstream } from './helpers.ts';

let upstream: Upstream;
beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(async () => {
  await upstream?.close();
});

describe('response bodies larger than the read cap', () => {
  it('records the first 1 MiB of a 5 MB answer and counts all of its bytes', async () => {
    const size = 5_000_000;
    const samples: Sample[] = [];
    await runLoad({
      executor: 'constant-vus',
      connections: 1,
      duration_ms: 200,
      url: upstream.url,
      body_cap: 8 * 1024 * 1024,
      next: () => ({ path: `/big?size=${size}` }),
      onSample: (s) => samples.push(s),
    });
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.length).toBeLessThan(1000);
    for (const s of samples.filter((x) => x.error_kind === null)) {
      expect(BODY_READ_CAP_BYTES).toBe(1_048_576);
      expect(s.body).toBe('x'.repeat(BODY_READ_CAP_BYTES));
      // bytes counts the status line and headers too: the whole body and a head of under 512 bytes.
      expect(s.bytes).toBeGreaterThan(size);
      expect(s.bytes).toBeLessThan(size + 512);
    }
  });

  it('keeps a body under the cap whole', async () => {
    const samples: Sample[] = [];
    await runLoad({
      executor: 'constant-vus',
      connections: 1,
      duration_ms: 100,
      url: upstream.url,
      body_cap: 8 * 1024 * 1024,
      next: () => ({ path: '/small?size=3000' }),
      onSample: (s) => samples.push(s),
    });
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.every((s) => s.body === 'x'.repeat(3000))).toBe(true);
  });
});
