/**
 * The load engine under the network faults Shakedown injects, through a real Toxiproxy to a real
 * node:http upstream. Each test fails on stock autocannon 9.0.0 (see harness/load/engine-client.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad, type Sample } from '../../harness/load/run-load.ts';
import { expectBalanced, percentile, reconcile, startToxiproxy, startUpstream, type Toxiproxy, type Upstream } from './helpers.ts';

let toxiproxy: Toxiproxy;
let upstream: Upstream;
let proxies = 0;

beforeAll(async () => {
  upstream = await startUpstream();
  toxiproxy = await startToxiproxy();
});

afterAll(async () => {
  const problems: string[] = [];
  await toxiproxy?.stop().catch((error: Error) => problems.push(error.message));
  await upstream?.close().catch((error: Error) => problems.push(error.message));
  if (problems.length > 0) throw new Error(`teardown: ${problems.join('; ')}`);
});

async function proxy(): Promise<{ name: string; url: string }> {
  const name = `load_${process.pid}_${++proxies}`;
  return { name, url: await toxiproxy.createProxy(name, `127.0.0.1:${upstream.port}`) };
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runLoad under network faults', () => {
  it('turns requests cut by reset_peer into reset samples, and keeps every later latency matched to its own request', async () => {
    const { name, url } = await proxy();
    upstream.seen.length = 0;
    const samples: Sample[] = [];
    // reset_peer (timeout 0) resets a connection as soon as response bytes reach it, for 300 ms mid-run
    const window = (async () => {
      await settle(400);
      const toxic = await toxiproxy.addToxic(name, { type: 'reset_peer', attributes: { timeout: 0 } });
      await settle(300);
      await toxiproxy.removeToxic(name, toxic);
    })();
    const summary = await runLoad({
      executor: 'constant-vus',
      connections: 4,
      duration_ms: 1500,
      timeout_ms: 2000,
      url,
      next: () => ({ path: '/work?delay=25' }),
      onSample: (s) => samples.push(s),
    });
    await window;
    await settle(100);
    const resets = samples.filter((s) => s.error_kind === 'reset');
    const ok = samples.filter((s) => s.error_kind === null);
    const r = reconcile(samples, upstream.seen);
    expectBalanced(r);
    // every answer is matched to its own start: never faster than the upstream's own service time, and not
    // slower by a whole request (stock matched answers to the start of the request that died before them)
    const service = new Map(upstream.seen.map((s) => [s.id, s.service_ms]));
    const excess = ok.map((s) => s.latency_ms - service.get(s.id)!);
    const after = ok.filter((s) => s.start_ms > Math.max(0, ...resets.map((r) => r.end_ms)));
    expect(after.length).toBeGreaterThan(20);
    console.info(
      `reset_peer: ${ok.length} answers, excess over upstream service time p50 ${percentile(excess, 50).toFixed(2)} p90 ${percentile(excess, 90).toFixed(2)} max ${Math.max(...excess).toFixed(2)} ms, min ${Math.min(...excess).toFixed(2)}; over 20 ms: ${excess.filter((x) => x > 20).length}`,
    );
    expect(Math.min(...excess)).toBeGreaterThanOrEqual(-0.5);
    expect(percentile(excess, 90)).toBeLessThan(15);
    expect(resets.length).toBeGreaterThanOrEqual(4);
    expect(summary.by_error_kind.reset).toBe(resets.length);
    // the requests in flight when the toxic lands see Toxiproxy rebuild the link with a FIN (closed); later
    // connections get the RST on their first response bytes
    expect(summary.by_error_kind.closed).toBeLessThanOrEqual(4);
    expect(summary.ok + resets.length + summary.by_error_kind.closed).toBe(samples.length);
    // each reset request failed with its own latency: the upstream's 25 ms, then the reset
    for (const s of resets) (expect(s.latency_ms).toBeGreaterThan(20), expect(s.latency_ms).toBeLessThan(150));
    expect(r.never_reached.every((s) => s.error_kind === 'reset' || s.error_kind === 'closed')).toBe(true);
    expect(summary).toMatchObject({ sent: samples.length, completed: samples.length, interrupted: 0 });
  });

  it('turns responses cut by limit_data into closed samples counted as errors', async () => {
    const { name, url } = await proxy();
    await toxiproxy.addToxic(name, { type: 'limit_data', attributes: { bytes: 1500 } });
    upstream.seen.length = 0;
    const samples: Sample[] = [];
    const summary = await runLoad({
      executor: 'constant-vus',
      connections: 2,
      duration_ms: 1200,
      timeout_ms: 2000,
      url,
      next: () => ({ path: '/work?delay=5&size=400' }),
      onSample: (s) => samples.push(s),
    });
    await settle(50);
    const closed = samples.filter((s) => s.error_kind === 'closed');
    expect(closed.length).toBeGreaterThanOrEqual(2);
    expect(summary.by_error_kind.closed).toBe(closed.length);
    expect(summary.ok + summary.by_error_kind.closed).toBe(samples.length);
    // answers that got through are whole and matched to their own request
    const service = new Map(upstream.seen.map((s) => [s.id, s.service_ms]));
    for (const s of samples.filter((x) => x.error_kind === null)) {
      expect(s.body).toHaveLength(400);
      expect(s.latency_ms).toBeGreaterThanOrEqual(service.get(s.id)! - 0.5);
    }
    expectBalanced(reconcile(samples, upstream.seen));
    expect(samples.length).toBe(summary.sent);
  });

  it('ends requests that get no answer as timeout samples after timeout_ms', async () => {
    const { name, url } = await proxy();
    await toxiproxy.addToxic(name, { type: 'timeout', attributes: { timeout: 0 } });
    upstream.seen.length = 0;
    const samples: Sample[] = [];
    const summary = await runLoad({
      executor: 'constant-vus',
      connections: 2,
      duration_ms: 1000,
      timeout_ms: 250,
      url,
      next: () => ({ path: '/work' }),
      onSample: (s) => samples.push(s),
    });
    expect(samples.length).toBeGreaterThanOrEqual(6);
    expect(samples.length).toBeLessThanOrEqual(12);
    for (const s of samples) {
      expect(s.error_kind).toBe('timeout');
      expect(s.latency_ms).toBeGreaterThanOrEqual(249);
      expect(s.latency_ms).toBeLessThan(500);
    }
    expect(summary).toMatchObject({ sent: samples.length, completed: samples.length, ok: 0 });
    expect(summary.by_error_kind.timeout).toBe(samples.length);
    // the upstream answered each one; the toxic swallowed the answers
    const r = reconcile(samples, upstream.seen);
    expectBalanced(r);
    expect(r.never_reached).toHaveLength(0);
  });

  it('records refused samples while the proxy is down, backing off instead of reconnecting in a tight loop', async () => {
    const { name, url } = await proxy();
    await toxiproxy.setEnabled(name, false);
    upstream.seen.length = 0;
    const samples: Sample[] = [];
    const summary = await runLoad({
      executor: 'constant-vus',
      connections: 4,
      duration_ms: 1500,
      timeout_ms: 1000,
      url,
      next: () => ({ path: '/work' }),
      onSample: (s) => samples.push(s),
    });
    // backoff 10, 20, 40 ... 1000 ms: about 8 attempts per connection in 1.5 s (stock: thousands)
    expect(samples.length).toBeGreaterThanOrEqual(4 * 4);
    expect(samples.length).toBeLessThanOrEqual(4 * 12);
    expect(samples.every((s) => s.error_kind === 'refused' && s.status === null)).toBe(true);
    expect(summary.by_error_kind.refused).toBe(samples.length);
    expect(upstream.seen).toHaveLength(0);
    expect(reconcile(samples, upstream.seen).never_reached_by_kind).toEqual({ refused: samples });
    // open model: every arrival is one refused sample (the arrival rate bounds the attempts)
    const open = await runLoad({
      executor: 'constant-arrival-rate',
      rate: 100,
      duration_ms: 500,
      connections: 4,
      url,
      next: () => ({ path: '/work' }),
    });
    expect(open).toMatchObject({ arrivals: 50, sent: 50, completed: 50, unsent: 0 });
    expect(open.by_error_kind.refused).toBe(50);
    await toxiproxy.setEnabled(name, true);
    const after: Sample[] = [];
    await runLoad({
      executor: 'constant-vus',
      connections: 2,
      duration_ms: 300,
      url,
      next: () => ({ path: '/work' }),
      onSample: (s) => after.push(s),
    });
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((s) => s.error_kind === null)).toBe(true);
  });

  it('reports latencies with sub-millisecond resolution and a time to first byte', async () => {
    upstream.seen.length = 0;
    const samples: Sample[] = [];
    await runLoad({
      executor: 'constant-vus',
      connections: 1,
      duration_ms: 300,
      url: upstream.url,
      next: () => ({ path: '/fast' }),
      onSample: (s) => samples.push(s),
    });
    expect(samples.length).toBeGreaterThan(50);
    const fractional = samples.filter((s) => Math.abs(s.latency_ms - Math.round(s.latency_ms)) > 0.001);
    expect(fractional.length / samples.length).toBeGreaterThan(0.9);
    expect(
      percentile(
        samples.map((s) => s.latency_ms),
        50,
      ),
    ).toBeLessThan(5);
    expect(new Set(samples.map((s) => s.latency_ms.toFixed(2))).size).toBeGreaterThan(10);
    for (const s of samples) {
      expect(s.ttfb_ms).not.toBeNull();
      expect(s.ttfb_ms!).toBeGreaterThan(0);
      expect(s.ttfb_ms!).toBeLessThanOrEqual(s.latency_ms);
      expect(s.end_ms - s.start_ms).toBeCloseTo(s.latency_ms, 9);
    }
    expectBalanced(reconcile(samples, upstream.seen));
    expect(samples.length).toBe(upstream.seen.length);
  });
});
