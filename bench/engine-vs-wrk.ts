/**
 * B1 (issue 5): load engine throughput (harness/load runLoad, constant-vus, samples counted not kept) against
 * a trivial loopback server, vs wrk (Debian package, one thread) with the same connections and duration.
 * Alternates the two, R repeats, prints each pair's ratio and the median ratio. Goal ≥ 0.8 of wrk.
 * Usage: node bench/engine-vs-wrk.ts [--quick] [--connections 10] [--seconds 5] [--repeats 3]
 */
import { spawnSync } from 'node:child_process';
import { QUICK, argNumber, bareLoad, f, header, median, startServer } from './lib.ts';

const connections = argNumber('connections', 10);
const seconds = argNumber('seconds', QUICK ? 3 : 5);
const repeats = argNumber('repeats', QUICK ? 2 : 3);

function wrk(url: string): number {
  const r = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, url], { encoding: 'utf8', timeout: (seconds + 10) * 1000 });
  const m = /Requests\/sec:\s+([\d.]+)/.exec(r.stdout ?? '');
  if (!m) throw new Error(`wrk failed (is it installed? apt-get install -y wrk): ${r.error?.message ?? ''}${r.stderr}${r.stdout}`);
  return Number(m[1]);
}

header(
  'B1',
  `engine vs wrk, ${connections} connections, ${seconds} s each, ${repeats} repeats, trivial node:http server in its own process`,
);
const server = await startServer('trivial');
try {
  await bareLoad(server.url, { executor: 'constant-vus', connections, duration_ms: 1000 }, { keep: false }); // warm-up (JIT)
  const ratios: number[] = [];
  for (let i = 0; i < repeats; i++) {
    let count = 0;
    const engine = await bareLoad(
      server.url,
      { executor: 'constant-vus', connections, duration_ms: seconds * 1000 },
      {
        onSample: () => {
          count++;
        },
      },
    );
    const w = wrk(`${server.url}/`);
    ratios.push(engine.rps / w);
    console.log(
      `repeat ${i + 1}: engine ${f(engine.rps, 0)} req/s (${count} samples, event-loop p99 ${f(engine.summary.health.event_loop_delay_p99_ms)} ms), wrk ${f(w, 0)} req/s, ratio ${f(engine.rps / w, 3)}`,
    );
  }
  console.log(`B1 result: engine/wrk median ratio ${f(median(ratios), 3)} (goal ≥ 0.8)`);
} finally {
  await server.close();
}
