/**
 * B12 (issue 14): coordinated omission in the closed model. A trivial server in its own process stops answering
 * for 200 ms once, 1 s into a 3 s closed-loop run with 4 connections; the load engine's `closed_loop` p99 (as
 * measured, and corrected as wrk does) vs `wrk -t1 -c4 --latency` against the same server, alternated, repeats.
 * Goal: the engine's corrected p99 shows the pause as wrk's does (same order: ~100–200 ms), while the measured
 * one stays near the service time.
 * Usage: node bench/closed-loop-pause.ts [--quick] [--seconds 3] [--repeats 3]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { QUICK, argNumber, bareLoad, f, header, median, startServer } from './lib.ts';

const seconds = argNumber('seconds', 3);
const repeats = argNumber('repeats', QUICK ? 2 : 3);
const PAUSE_MS = 200;

/** wrk's latency percentile line (e.g. `99%  112.35ms`) in ms. */
function wrkP99(out: string): number {
  const m = /^\s*99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(out);
  if (!m) throw new Error(`no 99% line in wrk's output:\n${out}`);
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
}

header(
  'B12',
  `closed loop with one ${PAUSE_MS} ms server pause, 4 connections, ${seconds} s, ${repeats} repeats alternated: engine vs wrk`,
);
const server = await startServer('trivial');
const pauseSoon = () => setTimeout(() => void fetch(`${server.url}/__pause?ms=${PAUSE_MS}`).then((r) => r.arrayBuffer()), 1000);
try {
  const rows: Array<{ measured: number; corrected: number; wrk: number }> = [];
  for (let i = 0; i < repeats; i++) {
    pauseSoon();
    const { summary } = await bareLoad(
      server.url,
      { executor: 'constant-vus', connections: 4, duration_ms: seconds * 1000 },
      { keep: false },
    );
    const cl = summary.closed_loop!;
    pauseSoon(); // the pause request is sent while wrk runs (execFile does not block this process)
    const wrkRun = promisify(execFile)('wrk', ['-t1', '-c4', `-d${seconds}s`, '--latency', `${server.url}/`], { encoding: 'utf8' });
    const wrk = wrkP99((await wrkRun).stdout);
    rows.push({ measured: cl.uncorrected.p99_ms, corrected: cl.corrected.p99_ms, wrk });
    console.log(
      `repeat ${i + 1}: engine ${summary.completed} requests, p99 measured ${f(cl.uncorrected.p99_ms)} ms, corrected ${f(cl.corrected.p99_ms)} ms (I ${f(cl.expected_interval_ms, 3)} ms, max ${f(cl.uncorrected.max_ms)} ms); wrk p99 ${f(wrk)} ms`,
    );
  }
  const m = (k: 'measured' | 'corrected' | 'wrk') => median(rows.map((r) => r[k]));
  console.log(
    `B12 result: p99 engine measured ${f(m('measured'))} ms, corrected ${f(m('corrected'))} ms, wrk ${f(m('wrk'))} ms; corrected/wrk ${f(m('corrected') / m('wrk'))}`,
  );
} finally {
  await server.close();
}
