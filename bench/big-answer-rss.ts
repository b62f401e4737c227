/**
 * Bounded memory with huge answers (issue 15): a loopback server in a child process answers every request with
 * a 100 MB body; the harness's load engine drives it at 10 req/s for `--seconds` (default 10) and this prints
 * the harness process's peak RSS, the bytes counted and the body length recorded per sample. Before the read
 * cap (BODY_READ_CAP_BYTES) a 100 MB answer at 3 req/s made 952 MB harness RSS.
 *
 *   node bench/big-answer-rss.ts [--seconds 10] [--rate 10] [--mb 100]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { BODY_READ_CAP_BYTES } from '../harness/load/engine-client.ts';
import { runLoad } from '../harness/load/run-load.ts';
import { argNumber, f, machine } from './lib.ts';

const seconds = argNumber('seconds', 10);
const rate = argNumber('rate', 10);
const mb = argNumber('mb', 100);

const SERVER = `
import http from 'node:http';
const chunk = Buffer.alloc(1 << 20, 120);
const size = ${mb} * 1_000_000;
const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': size });
  let left = size;
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('disconnect', () => process.exit(0));
`;

const child = spawn(process.execPath, ['--input-type=module', '-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
try {
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const url = `http://127.0.0.1:${Number(line)}`;
  let peak = process.memoryUsage().rss;
  const start = peak;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  let ok = 0;
  let bytes = 0;
  let longestBody = 0;
  let errors = 0;
  const summary = await runLoad({
    executor: 'constant-arrival-rate',
    rate,
    duration_ms: seconds * 1000,
    connections: Math.ceil(rate * 2),
    timeout_ms: 60_000,
    body_cap: 2 * BODY_READ_CAP_BYTES,
    url,
    next: () => ({ path: '/big' }),
    onSample: (s) => {
      if (s.error_kind) errors++;
      else ok++;
      bytes += s.bytes;
      longestBody = Math.max(longestBody, s.body.length);
    },
  });
  clearInterval(timer);
  console.log(machine());
  console.log(
    `${mb} MB answers at ${rate} req/s for ${seconds} s: ${ok} complete, ${errors} errors, ${summary.arrivals ?? ''} arrivals; ` +
      `${f(bytes / 1e6, 0)} MB counted; longest recorded body ${longestBody} B (cap ${BODY_READ_CAP_BYTES}); ` +
      `harness RSS ${f(start / 2 ** 20, 0)} MB at start, peak ${f(peak / 2 ** 20, 0)} MB`,
  );
} finally {
  child.disconnect();
  child.kill();
}
