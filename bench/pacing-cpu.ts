/**
 * B11 (issue 14): what the open-model pacer costs and how late it sends, at 200, 1,000 and 2,000 req/s. The
 * bounded spin (today's pacer) vs the unbounded one it replaced (`pacer_spin: 'unbounded'`: setImmediate spin in
 * the last millisecond before every arrival while gaps are under 20 ms), same trivial node:http server in its
 * own process, same connections and duration, alternated, repeats. Per run: the harness process's CPU
 * (process.cpuUsage over wall time, in cores), its event-loop utilization, lateness p50/p99 (send − intended
 * instant, every arrival) and whether runLoad called the harness saturated. Goal: at 1,000 req/s under half a
 * core and on time (p99 lateness well under LATE_TOLERANCE_MS = 10 ms); never saturated and unflagged.
 * Peer: vegeta (`go install github.com/tsenart/vegeta/v12@latest`; $VEGETA, else `vegeta` on PATH, else
 * skipped) at the same rates against the same server: its CPU (user + system of the child, in cores over the run)
 * beside ours. vegeta paces open-model arrivals too, on Go timers in several goroutines.
 * Usage: node bench/pacing-cpu.ts [--quick] [--seconds 3] [--repeats 3] [--rates 200,1000,2000]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LoadSummary } from '../harness/load/run-load.ts';
import { QUICK, argNumber, bareLoad, f, header, median, startServer } from './lib.ts';

const seconds = argNumber('seconds', QUICK ? 2 : 3);
const repeats = argNumber('repeats', QUICK ? 2 : 3);
const ratesArg = process.argv.indexOf('--rates');
const rates = ratesArg === -1 ? [200, 1000, 2000] : process.argv[ratesArg + 1].split(',').map(Number);
const modes = ['bounded', 'unbounded'] as const;
const VEGETA = process.env.VEGETA ?? 'vegeta';

/** vegeta attack at `rate` for the run's seconds: its CPU in cores (child user + system over wall time), or null without vegeta. */
async function vegetaCores(url: string, rate: number): Promise<number | null> {
  const began = performance.now();
  const script = `echo "GET ${url}/" | "$0" attack -rate=${rate} -duration=${seconds}s -connections=${Math.max(16, rate / 20)} > /dev/null && times`;
  const out = await promisify(execFile)('bash', ['-c', script, VEGETA], { encoding: 'utf8' }).catch(() => null);
  if (!out) return null;
  const wall_s = (performance.now() - began) / 1000;
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/m.exec(out.stdout.trim().split('\n')[1] ?? '');
  return m ? (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) / wall_s : null;
}

header(
  'B11',
  `pacer CPU and lateness, bounded vs unbounded spin, ${rates.join(' / ')} req/s, ${seconds} s each, ${repeats} repeats alternated`,
);
const server = await startServer('trivial');
try {
  const runs = new Map<string, LoadSummary[]>();
  const vegeta = new Map<number, number[]>();
  for (const rate of rates) {
    for (let i = 0; i < repeats; i++) {
      const order = i % 2 === 0 ? modes : ([...modes].reverse() as unknown as typeof modes);
      for (const mode of order) {
        const { summary } = await bareLoad(
          server.url,
          { executor: 'constant-arrival-rate', rate, connections: Math.max(16, rate / 20), duration_ms: seconds * 1000 },
          { keep: false, pacer_spin: mode },
        );
        const key = `${rate} ${mode}`;
        if (mode === order[1]) {
          const v = await vegetaCores(server.url, rate);
          if (v !== null) vegeta.set(rate, [...(vegeta.get(rate) ?? []), v]);
        }
        runs.set(key, [...(runs.get(key) ?? []), summary]);
        const h = summary.health;
        console.log(
          `repeat ${i + 1} ${rate} req/s ${mode.padEnd(9)}: cpu ${f(h.cpu_cores)} cores, loop busy ${f(h.event_loop_utilization)} (max second ${f(h.event_loop_utilization_max)}), lateness p50 ${f(summary.late.p50_ms, 3)} ms p99 ${f(summary.late.p99_ms, 3)} ms max ${f(summary.late.max_ms, 1)} ms, late ${summary.late.count}/${summary.arrivals}, saturated ${h.cpu_saturated}`,
        );
      }
    }
  }
  for (const rate of rates) {
    const m = (mode: string, pick: (s: LoadSummary) => number) => median(runs.get(`${rate} ${mode}`)!.map(pick));
    const cpu = (mode: string) => m(mode, (s) => s.health.cpu_cores);
    console.log(
      `B11 result ${rate} req/s: bounded cpu ${f(cpu('bounded'))} cores, p50/p99 lateness ${f(
        m('bounded', (s) => s.late.p50_ms),
        3,
      )}/${f(
        m('bounded', (s) => s.late.p99_ms),
        3,
      )} ms; ` +
        `unbounded cpu ${f(cpu('unbounded'))} cores, ${f(
          m('unbounded', (s) => s.late.p50_ms),
          3,
        )}/${f(
          m('unbounded', (s) => s.late.p99_ms),
          3,
        )} ms; cpu ratio bounded/unbounded ${f(cpu('bounded') / cpu('unbounded'))}; vegeta cpu ${vegeta.has(rate) ? f(median(vegeta.get(rate)!)) : 'n/a'} cores; saturated runs bounded ${runs.get(`${rate} bounded`)!.filter((s) => s.health.cpu_saturated).length}/${repeats}, unbounded ${runs.get(`${rate} unbounded`)!.filter((s) => s.health.cpu_saturated).length}/${repeats}`,
    );
  }
} finally {
  await server.close();
}
