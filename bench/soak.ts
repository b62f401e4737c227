/**
 * Soak (issue 6): one long run of the example service with a fault every `--every` seconds, watching the
 * harness, the fakes, the SUT and Toxiproxy for growth in open file descriptors (/proc/<pid>/fd) and RSS, then
 * checking that every scheduled fault window was applied and removed on time and that report.html opens.
 *
 * The harness runs as users start it, through the `./shakedown` launcher (its Node flags included);
 * `--node-flags="FLAGS"` runs `node FLAGS harness/cli/bin.ts` instead (`--node-flags=`: plain node), to
 * compare V8 settings.
 *
 * Usage: node bench/soak.ts [--minutes 30] [--every 60] [--rate 10] [--out DIR] [--browser] [--node-flags="FLAGS"]
 * Not part of the test suite; run by hand and record the figures in bench/RESULTS.md.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    every: { type: 'string', default: '60' },
    rate: { type: 'string', default: '10' },
    out: { type: 'string' },
    browser: { type: 'boolean', default: false },
    'node-flags': { type: 'string' },
  },
});
const minutes = Number(args.minutes);
const everyS = Number(args.every);
const rate = Number(args.rate);
if (!(minutes > 0 && everyS >= 6 && rate > 0)) throw new Error('--minutes > 0, --every >= 6 and --rate > 0, please');
const durationS = Math.round(minutes * 60);
const work = args.out ?? mkdtempSync(join(tmpdir(), 'shakedown-soak-'));

// A fault every `everyS` seconds, a third of the period long, cycling through network and behaviour faults.
const kinds = [
  { on: 'model', fault: 'toxic.latency({ latency: 400, jitter: 50 })', kind: 'latency' },
  { on: 'retrieval', fault: 'toxic.down()', kind: 'down' },
  { on: 'model', fault: 'mode.httpError({ status: 503, rate: 0.5 })', kind: 'http503' },
  { on: 'api', fault: 'toxic.resetPeer({ timeout: 0 })', kind: 'reset' },
  { on: 'retrieval', fault: 'mode.stale({ rate: 1 })', kind: 'stale' },
];
const faults: string[] = [];
for (let k = 0, at = Math.round(everyS / 2); at + everyS / 3 < durationS - 5; k++, at += everyS) {
  const f = kinds[k % kinds.length];
  faults.push(`    { name: 'f${k + 1}-${f.kind}', on: '${f.on}', at: '${at}s', for: '${Math.round(everyS / 3)}s', fault: ${f.fault} },`);
}
const scenarioFile = join(work, 'soak.ts');
writeFileSync(
  scenarioFile,
  `import { dataset, defineScenario, fakes, mode, ragAnswer, toxic } from ${JSON.stringify(pathToFileURL(join(ROOT, 'harness/index.ts')).href)};

export default defineScenario({
  name: 'soak',
  description: 'Soak: a fault every ${everyS} s for ${minutes} min.',
  system: {
    command: ['node', 'examples/rag-service/server.ts'],
    env: ({ model, retrieval, api }) => ({ OPENAI_BASE_URL: \`\${model.url}/v1\`, RETRIEVAL_URL: retrieval.url, INVENTORY_URL: api.url }),
  },
  dependencies: { model: fakes.model(), retrieval: fakes.retrieval(), api: fakes.inventory() },
  load: { executor: 'constant-arrival-rate', rate: ${rate}, duration: '${durationS}s', warmup: '2s', timeout: '5s', requests: dataset.ask('/ask') },
  faults: [
${faults.join('\n')}
  ],
  score: ragAnswer(),
});
`,
);

type Probe = { t_s: number; load1: number; fds: Record<string, number | null>; rss_mb: Record<string, number | null> };
const probes: Probe[] = [];
const pids: Record<string, number> = {};
const fdCount = (pid: number): number | null => {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
};
const rssMb = (pid: number): number | null => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
};
const fdKinds = (pid: number): Record<string, number> => {
  const kinds: Record<string, number> = {};
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      let target = '?';
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`)
          .replace(/:\[\d+\]$/, '')
          .replace(/^\/.*/, 'file');
      } catch {
        /* closed meanwhile */
      }
      kinds[target] = (kinds[target] ?? 0) + 1;
    }
  } catch {
    /* gone */
  }
  return kinds;
};

const started = Date.now();
const nodeFlags = args['node-flags']?.split(/\s+/).filter(Boolean);
const runArgs = ['run', scenarioFile, '--seed', '1', '--out', join(work, 'results')];
// The launcher execs node, so the pid stays the harness's.
const [command, commandArgs] = nodeFlags
  ? [process.execPath, [...nodeFlags, join(ROOT, 'harness/cli/bin.ts'), ...runArgs]]
  : [join(ROOT, 'shakedown'), runArgs];
const child = spawn(command, commandArgs, {
  cwd: ROOT,
  env: { ...process.env, PATH: `${join(ROOT, '.tools/bin')}:${process.env.PATH}` },
  stdio: ['ignore', 'pipe', 'pipe'],
});
pids.harness = child.pid!;
let stdout = '';
let stderr = '';
let firstOutputS: number | null = null; // the launcher may spend a while in scripts/setup.sh (npm ci) before the harness starts
child.stdout.on('data', (c: Buffer) => {
  firstOutputS ??= Math.round((Date.now() - started) / 1000);
  stdout += c.toString();
  for (const [name, re] of [
    ['toxiproxy', /toxiproxy-server \S+ \(pid (\d+)\)/],
    ['fakes', /fakes process started \(pid (\d+)\)/],
    ['sut', /SUT started \(pid (\d+)\)/],
  ] as const) {
    const m = re.exec(stdout);
    if (m && !pids[name]) pids[name] = Number(m[1]);
  }
});
child.stderr.on('data', (c: Buffer) => {
  stderr += c.toString();
});
const probeEveryMs = Math.max(5000, Math.min(30_000, (durationS * 1000) / 60));
const timer = setInterval(() => {
  const p: Probe = { t_s: Math.round((Date.now() - started) / 1000), load1: loadavg()[0], fds: {}, rss_mb: {} };
  for (const [name, pid] of Object.entries(pids)) {
    p.fds[name] = fdCount(pid);
    p.rss_mb[name] = rssMb(pid);
  }
  probes.push(p);
  process.stderr.write(`[soak ${p.t_s}s] fds ${JSON.stringify(p.fds)} rss MB ${JSON.stringify(p.rss_mb)}\n`);
}, probeEveryMs);
const kindsAtStart: Record<string, Record<string, number>> = {};
setTimeout(() => {
  for (const [n, pid] of Object.entries(pids)) kindsAtStart[n] = fdKinds(pid);
}, 15_000).unref();
const kindsNearEnd: Record<string, Record<string, number>> = {};
setTimeout(
  () => {
    for (const [n, pid] of Object.entries(pids)) kindsNearEnd[n] = fdKinds(pid);
  },
  (durationS - 3) * 1000,
).unref();

const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
clearInterval(timer);
const wallS = Math.round((Date.now() - started) / 1000);

const runRoot = join(work, 'results', 'soak');
const runDir = existsSync(runRoot) ? join(runRoot, readdirSync(runRoot)[0]) : '';
const result = runDir ? JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) : undefined;
const evidence = (result?.faults ?? []) as Array<{
  name: string;
  at_ms: number;
  for_ms: number;
  applied_at_ms: number | null;
  removed_at_ms: number | null;
  proof: { fake_requests_in_window: number | null; samples_in_window: number };
}>;
const applied = evidence.filter((e) => e.applied_at_ms !== null && e.removed_at_ms !== null);
const offsets = applied.flatMap((e) => [Math.abs(e.applied_at_ms! - e.at_ms), Math.abs(e.removed_at_ms! - (e.at_ms + e.for_ms))]);
const reportFile = runDir ? join(runDir, 'report.html') : '';
const report: Record<string, unknown> = { exists: reportFile !== '' && existsSync(reportFile) };
if (report.exists) {
  const html = readFileSync(reportFile, 'utf8');
  report.bytes = statSync(reportFile).size;
  report.complete = html.trimEnd().endsWith('</html>') && html.includes('Content-Security-Policy');
  if (args.browser) {
    const { startBrowser } = (await import(
      pathToFileURL(join(ROOT, 'test/reports/browser.ts')).href
    )) as typeof import('../test/reports/browser.ts');
    const browser = await startBrowser();
    const t = performance.now();
    const opened = await browser.open(reportFile);
    report.browser_load_ms = Math.round(performance.now() - t);
    report.canvases = await opened.page.locator('canvas').count();
    report.console_errors = opened.consoleErrors;
    await opened.close();
    await browser.close();
  }
}
const series = (name: string, key: 'fds' | 'rss_mb') => probes.map((p) => p[key][name]).filter((v): v is number => typeof v === 'number');
const growth = Object.fromEntries(
  Object.keys(pids).map((name) => {
    const fds = series(name, 'fds');
    const rss = series(name, 'rss_mb');
    const early = fds.slice(1, 4); // skip the first probe (start-up)
    const late = fds.slice(-4, -1); // skip the last (teardown)
    return [
      name,
      {
        fds_first: fds[1] ?? null,
        fds_last: fds.at(-2) ?? null,
        fds_min: Math.min(...fds),
        fds_max: Math.max(...fds),
        fds_early_mean: early.length ? +(early.reduce((a, b) => a + b, 0) / early.length).toFixed(1) : null,
        fds_late_mean: late.length ? +(late.reduce((a, b) => a + b, 0) / late.length).toFixed(1) : null,
        rss_first_mb: rss[1] ?? null,
        rss_last_mb: rss.at(-2) ?? null,
        rss_max_mb: rss.length ? Math.max(...rss) : null,
      },
    ];
  }),
);
const summary = {
  machine: { cores: cpus().length, memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version },
  settings: {
    minutes,
    every_s: everyS,
    rate_rps: rate,
    harness: nodeFlags ? `node ${nodeFlags.join(' ')} harness/cli/bin.ts` : './shakedown',
  },
  exit_code: code,
  wall_s: wallS,
  first_output_s: firstOutputS,
  run_dir: runDir,
  load_average: {
    at_end_1_5_15: loadavg().map((l) => +l.toFixed(2)),
    mean_1min_over_probes: probes.length ? +(probes.reduce((a, p) => a + p.load1, 0) / probes.length).toFixed(2) : null,
  },
  status: result?.run?.status ?? null,
  samples: result?.reconciliation?.samples ?? null,
  sent: result?.reconciliation?.sent ?? null,
  errors_by_kind: result?.reconciliation?.by_kind ?? null,
  health: result?.health ?? null,
  faults: {
    scheduled: faults.length,
    in_results: evidence.length,
    applied_and_removed: applied.length,
    max_offset_ms: offsets.length ? Math.round(Math.max(...offsets)) : null,
    with_fake_traffic_in_window: evidence.filter((e) => (e.proof.fake_requests_in_window ?? 0) > 0).length,
    with_samples_in_window: evidence.filter((e) => e.proof.samples_in_window > 0).length,
  },
  growth,
  fd_kinds: { start: kindsAtStart, near_end: kindsNearEnd },
  report,
  probes,
};
writeFileSync(join(work, 'soak-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
const { probes: _probes, ...short } = summary;
console.log(JSON.stringify(short, null, 2));
console.log(`summary: ${join(work, 'soak-summary.json')}`);
if (code !== 0 && code !== 1) {
  process.stderr.write(`the run exited ${code}:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}\n`);
  process.exitCode = 1;
}
