/**
 * B5 (issue 5): fault accuracy. For latency toxics of 100, 500 and 2000 ms on a proxy in front of the trivial
 * server, the harness's own fault scheduler (harness/runner/fault-scheduler.ts) applies the toxic at `at` and
 * removes it after `for`, while runLoad sends R req/s through the proxy (open model, enough connections for
 * every request in flight). Read from the samples:
 *   added median = median latency of samples started inside the window (50 ms in from each edge and ending
 *     before the window's end + the toxic) − median latency of the baseline samples; goal within max(2 ms, 2 %);
 *   onset = start of the first delayed sample (latency > baseline median + half the toxic) − scheduled `at`;
 *   end = the last end of a sample started inside the window − scheduled end (Toxiproxy releases the data a
 *   removed latency toxic held at once, so every response held at removal ends then); goal both within 50 ms
 *   (onset resolution: one arrival gap, 1000/R ms).
 * The scheduler's own applied/removed instants (when Toxiproxy acknowledged) are printed beside them.
 * Usage: node bench/fault-accuracy.ts [--quick] [--rate 100] [--repeats 1]
 */
import { runLoad, type Sample } from '../harness/load/run-load.ts';
import { createFaultScheduler } from '../harness/runner/fault-scheduler.ts';
import type { FakesProcess } from '../harness/runner/fakes-process.ts';
import { toxic } from '../harness/scenario/faults.ts';
import { QUICK, argNumber, f, header, median, proxyTo, startServer, startToxiproxy } from './lib.ts';

const rate = argNumber('rate', 100);
const repeats = argNumber('repeats', 1);
const latencies = QUICK ? [100, 500] : [100, 500, 2000];
// The scheduler reads the fakes' counters around each fault; toxics on a bare proxy have no fake behind them.
const noFakes = {
  stats: async () => {
    throw new Error('no fakes in this benchmark');
  },
} as unknown as FakesProcess;

header('B5', `fault accuracy: latency toxics ${latencies.join(', ')} ms, ${rate} req/s through one proxy, ${repeats} repeat(s) each`);
const server = await startServer('trivial');
const toxiproxy = await startToxiproxy();
let allMet = true;
try {
  const proxied = await proxyTo(toxiproxy.proxies, 'up', server.url);
  for (const L of latencies)
    for (let rep = 0; rep < repeats; rep++) {
      const at = 1500;
      const forMs = Math.max(1500, L + 1000);
      const duration = at + forMs + Math.max(1500, L + 500);
      const fault = {
        name: `latency-${L}`,
        on: 'up',
        at_ms: at,
        for_ms: forMs,
        fault: toxic.latency({ latency: L }),
        description: `latency ${L}ms`,
      };
      const scheduler = createFaultScheduler({ faults: [fault], proxies: toxiproxy.proxies, fakes: noFakes });
      const samples: Sample[] = [];
      const t0 = performance.now();
      scheduler.start(t0);
      await runLoad({
        executor: 'constant-arrival-rate',
        url: proxied,
        rate,
        duration_ms: duration,
        connections: Math.ceil(rate * (L / 1000 + 0.5)) + 20,
        t0,
        next: () => ({ path: '/' }),
        onSample: (s) => samples.push(s),
      });
      await scheduler.stopAll();
      const ev = scheduler.evidence()[0];
      const ok = samples.filter((s) => s.error_kind === null).sort((a, b) => a.start_ms - b.start_ms);
      const base = median(ok.filter((s) => s.start_ms < at - 50).map((s) => s.latency_ms));
      const end = at + forMs;
      const inside = ok.filter((s) => s.start_ms >= at + 50 && s.start_ms + L + 50 < end).map((s) => s.latency_ms);
      const added = median(inside) - base;
      const delayed = (s: Sample) => s.latency_ms > base + L / 2;
      const onset = ok.find((s) => s.start_ms >= at - 500 && delayed(s));
      const lastEnd = Math.max(...ok.filter((s) => s.start_ms >= at && s.start_ms < end).map((s) => s.end_ms));
      const tol = Math.max(2, 0.02 * L);
      const onsetErr = onset ? onset.start_ms - at : NaN;
      const endErr = lastEnd - end;
      const met = Math.abs(added - L) <= tol && Math.abs(onsetErr) <= 50 && Math.abs(endErr) <= 50;
      allMet &&= met;
      console.log(
        `latency ${L} ms: added median ${f(added)} ms (error ${f(added - L)} ms, tolerance ±${f(tol)}; ${inside.length} samples; baseline median ${f(base, 3)} ms); ` +
          `onset ${f(onsetErr, 1)} ms, end ${f(endErr, 1)} ms from schedule (resolution ${f(1000 / rate, 0)} ms); ` +
          `scheduler applied at +${f((ev.applied_at_ms ?? NaN) - at, 1)} ms, removed at +${f((ev.removed_at_ms ?? NaN) - end, 1)} ms; errors ${samples.length - ok.length}; ${met ? 'met' : 'MISSED'}`,
      );
    }
  console.log(
    `B5 result: ${allMet ? 'every toxic within max(2 ms, 2 %) and its edges within 50 ms' : 'at least one toxic missed (see above)'}`,
  );
} finally {
  await toxiproxy.close();
  await server.close();
}
