/**
 * B3 (issue 5): the model fake (fakes/serve.ts, as a run starts it: msw handlers behind fakes/http-adapter.ts,
 * request log, mode rolls), non-streaming chat completion, vs a bare node:http server returning the same JSON
 * (the fake's own answer, captured first). Same request for both: a RAG prompt of three documents and a
 * question. Two measures, alternated, R repeats, medians:
 *   throughput: closed model, C connections, S seconds each; goal fake ≥ 0.5 of bare;
 *   added latency: open model at 1,000 req/s, S seconds each; p99(fake) − p99(bare) (and p50); goal ≤ 2 ms.
 * Usage: node bench/fake-model.ts [--quick] [--connections 10] [--seconds 4] [--repeats 3] [--rate 1000] [--profile]
 *   --profile writes a CPU profile of the fakes process to $TMPDIR/shakedown-bench-profiles/.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROFILE_DIR, QUICK, ROOT, argNumber, bareLoad, f, header, median, percentile, startFakesProcess, startServer } from './lib.ts';

const connections = argNumber('connections', 10);
const seconds = argNumber('seconds', QUICK ? 2 : 4);
const repeats = argNumber('repeats', QUICK ? 2 : 3);
const rate = argNumber('rate', 1000);

const corpus = JSON.parse(readFileSync(join(ROOT, 'fakes/dataset/corpus.json'), 'utf8'));
const context = corpus.documents
  .slice(0, 3)
  .map((d: { id: string; versions: Array<{ text: string }> }) => `[${d.id}] ${d.versions.at(-1)!.text}`)
  .join('\n');
const body = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'Answer only from the context. Cite each sentence with its [id].' },
    { role: 'user', content: `${context}\nQuestion: How many days after delivery can I return new, unused gear?` },
  ],
});
const request = { method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body };

header(
  'B3',
  `model fake vs bare node:http (same JSON), chat completion ${body.length} B request; throughput ${connections} connections, latency at ${rate} req/s; ${seconds} s each, ${repeats} repeats`,
);
const fakes = await startFakesProcess(
  { model: { kind: 'model' } },
  process.argv.includes('--profile') ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [],
);
const fakeUrl = fakes.urls.model;
const answer = await (await fetch(`${fakeUrl}/v1/chat/completions`, { method: 'POST', headers: request.headers, body })).text();
const file = join(mkdtempSync(join(tmpdir(), 'shakedown-bench-')), 'answer.json');
writeFileSync(file, answer);
const bare = await startServer('json', { file });
console.log(`the fake's answer (${answer.length} B): ${answer.slice(0, 160)}...`);
try {
  const next = () => request;
  const connectionsOpen = Math.max(8, Math.ceil(rate / 20));
  for (const url of [fakeUrl, bare.url])
    await bareLoad(url, { executor: 'constant-vus', connections, duration_ms: 1000 }, { keep: false, next });
  const ratios: number[] = [];
  const p99s: number[] = [];
  const p50s: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const fakeT = await bareLoad(fakeUrl, { executor: 'constant-vus', connections, duration_ms: seconds * 1000 }, { keep: false, next });
    const bareT = await bareLoad(bare.url, { executor: 'constant-vus', connections, duration_ms: seconds * 1000 }, { keep: false, next });
    const fakeL = await bareLoad(
      fakeUrl,
      { executor: 'constant-arrival-rate', rate, connections: connectionsOpen, duration_ms: seconds * 1000 },
      { next },
    );
    const bareL = await bareLoad(
      bare.url,
      { executor: 'constant-arrival-rate', rate, connections: connectionsOpen, duration_ms: seconds * 1000 },
      { next },
    );
    const lat = (s: typeof fakeL.samples) => s.filter((x) => x.error_kind === null).map((x) => x.latency_ms);
    const [f99, b99, f50, b50] = [
      percentile(lat(fakeL.samples), 99),
      percentile(lat(bareL.samples), 99),
      percentile(lat(fakeL.samples), 50),
      percentile(lat(bareL.samples), 50),
    ];
    ratios.push(fakeT.rps / bareT.rps);
    p99s.push(f99 - b99);
    p50s.push(f50 - b50);
    const errors = fakeL.samples.filter((x) => x.error_kind !== null).length + fakeT.summary.completed - fakeT.summary.ok;
    console.log(
      `repeat ${i + 1}: throughput fake ${f(fakeT.rps, 0)} vs bare ${f(bareT.rps, 0)} req/s (ratio ${f(fakeT.rps / bareT.rps, 3)}); at ${rate} req/s p50 ${f(f50)} vs ${f(b50)} ms, p99 ${f(f99)} vs ${f(b99)} ms (added ${f(f99 - b99)} ms), fake errors ${errors}, late arrivals fake ${fakeL.summary.late.count} bare ${bareL.summary.late.count}`,
    );
  }
  console.log(
    `B3 result: fake/bare throughput median ratio ${f(median(ratios), 3)} (goal ≥ 0.5); added latency at ${rate} req/s median p50 ${f(median(p50s))} ms, p99 ${f(median(p99s))} ms (goal p99 ≤ 2 ms)`,
  );
} finally {
  await bare.close();
  await fakes.close();
  rmSync(dirname(file), { recursive: true, force: true });
}
