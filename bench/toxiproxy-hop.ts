/**
 * B4 (issue 5): one Toxiproxy hop vs direct. The trivial server in its own process, a proxy in front of it
 * (toxiproxy-server from .tools/bin, no toxic), open-model load at R req/s for S seconds, direct and proxied
 * alternated, repeats; added p50 (and p99) = proxied − direct of the same repeat; medians. Goal added p50 ≤ 0.3 ms.
 * Usage: node bench/toxiproxy-hop.ts [--quick] [--rate 200] [--seconds 3] [--repeats 3]
 */
import { QUICK, argNumber, bareLoad, f, header, median, percentile, proxyTo, startServer, startToxiproxy } from './lib.ts';

const rate = argNumber('rate', 200);
const seconds = argNumber('seconds', QUICK ? 2 : 3);
const repeats = argNumber('repeats', QUICK ? 3 : 5);

header('B4', `one Toxiproxy hop vs direct, ${rate} req/s, ${seconds} s each, ${repeats} repeats`);
const server = await startServer('trivial');
const toxiproxy = await startToxiproxy();
try {
  const proxied = await proxyTo(toxiproxy.proxies, 'hop', server.url);
  const shape = { executor: 'constant-arrival-rate', rate, connections: 16, duration_ms: seconds * 1000 } as const;
  for (const url of [server.url, proxied]) await bareLoad(url, { ...shape, duration_ms: 1000 }, { keep: false });
  const added50: number[] = [];
  const added99: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const lat = async (url: string) => (await bareLoad(url, shape)).samples.filter((s) => s.error_kind === null).map((s) => s.latency_ms);
    // alternate which goes first, so a drift in the machine's load does not always favour one side
    let d: number[];
    let p: number[];
    if (i % 2) {
      d = await lat(server.url);
      p = await lat(proxied);
    } else {
      p = await lat(proxied);
      d = await lat(server.url);
    }
    added50.push(percentile(p, 50) - percentile(d, 50));
    added99.push(percentile(p, 99) - percentile(d, 99));
    console.log(
      `repeat ${i + 1}: direct p50 ${f(percentile(d, 50), 3)} p99 ${f(percentile(d, 99), 3)} ms, proxied p50 ${f(percentile(p, 50), 3)} p99 ${f(percentile(p, 99), 3)} ms (${d.length}/${p.length} ok samples)`,
    );
  }
  console.log(`B4 result: added p50 median ${f(median(added50), 3)} ms (goal ≤ 0.3), added p99 median ${f(median(added99), 3)} ms`);
} finally {
  await toxiproxy.close();
  await server.close();
}
