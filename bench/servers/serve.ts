/**
 * A bench upstream in its own process (so it does not share the load generator's event loop). Prints one JSON
 * line `{"port": N}` on stdout once it listens on 127.0.0.1 (`PORT` env, default any free port).
 *   node bench/servers/serve.ts trivial           every request: 200 `hello world` (text/plain)
 *   node bench/servers/serve.ts json <file>       every request: 200 with the file's bytes (application/json)
 * With `--record`, each request's arrival (performance.now() ms) is kept; `GET /__arrivals` returns them as a
 * JSON array and clears them. `GET /__pause?ms=N` holds every response that arrives in the next N ms until then
 * (a server pause, for coordinated omission). Exits on SIGTERM or when stdin closes.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

const [kind, file] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const record = process.argv.includes('--record');
const body = kind === 'json' ? readFileSync(file) : Buffer.from('hello world');
const type = kind === 'json' ? 'application/json' : 'text/plain';
const arrivals: number[] = [];
let paused_until = 0;
const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  if (req.url?.startsWith('/__pause?ms=')) {
    paused_until = performance.now() + Number(req.url.slice('/__pause?ms='.length));
    res.writeHead(204).end();
    return;
  }
  const hold = paused_until - performance.now();
  if (hold > 0) {
    req.resume();
    setTimeout(() => res.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body), hold);
    return;
  }
  if (record) {
    if (req.url === '/__arrivals') {
      const out = JSON.stringify(arrivals);
      arrivals.length = 0;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) }).end(out);
      return;
    }
    arrivals.push(performance.now());
  }
  req.resume();
  res.writeHead(200, { 'content-type': type, 'content-length': body.length });
  res.end(body);
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
