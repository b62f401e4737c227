/**
 * `shakedown merge <dirs...> --out <dir>`: joins the suite folders of shards into one suite folder: the run
 * folders are copied in (so the merged folder stands alone as a CI artifact), and `suite.json`, `index.html`,
 * `junit.xml` and `summary.md` are written for all runs, ordered by shard key. A scenario in two inputs, a shard
 * given twice or shards of different N are usage errors (exit 2); a shard missing from 1..N is reported in every
 * report and makes the exit code at least 3. Otherwise the exit code is the worst of the runs' (130 > 3 > 2 > 1 > 0).
 */
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ShakedownError } from '../errors.ts';
import { SUITE_SCHEMA_VERSION, worstExitCode, type SuiteRun, type SuiteSummary } from '../results/suite-types.ts';
import { readSuiteFolder, writeSuiteFolder } from '../suite/suite-folder.ts';
import { renderSuiteTerminal } from '../../reports/suite-report.ts';
import { shownPath } from '../runner/load-scenario-file.ts';
import { makeFolders } from '../results/write-results.ts';
import type { CliIO } from './cli-io.ts';
import { paintOutcome } from './terminal-style.ts';

const usage = (message: string) => new ShakedownError('MERGE_FAILED', message, { exitCode: 2 });

/** Runs the merge command; returns the exit code. */
export function mergeCommand(dirs: string[], opts: { out: string }, io: CliIO): number {
  const outDir = resolve(io.cwd, opts.out);
  const inputs = dirs.map((d) => ({ display: d, dir: resolve(io.cwd, d) }));
  if (inputs.some((i) => i.dir === outDir)) throw usage(`--out ${opts.out} is one of the folders to merge; pass a new folder`);
  if (existsSync(outDir) && readdirSync(outDir).length) throw usage(`--out ${opts.out} is not empty; pass a new or empty folder`);
  const suites = inputs.map((i) => ({ ...i, ...readSuiteFolder(i.dir, i.display) }));
  const problems: string[] = [];
  const totals = new Set(suites.flatMap((s) => (s.summary.shard ? [s.summary.shard.total] : [])));
  if (totals.size > 1)
    problems.push(`the shards come from splits of different sizes (N = ${[...totals].join(', ')}); merge the shards of one run`);
  const byShard = new Map<number, string>();
  for (const s of suites) {
    if (!s.summary.shard) continue;
    const other = byShard.get(s.summary.shard.index);
    if (other) problems.push(`${other} and ${s.display} both hold shard ${s.summary.shard.index}/${s.summary.shard.total}`);
    byShard.set(s.summary.shard.index, s.display);
  }
  const byKey = new Map<string, string>();
  for (const s of suites)
    for (const r of s.summary.runs) {
      const other = byKey.get(r.key);
      if (other) problems.push(`${r.key} was run in both ${other} and ${s.display}`);
      byKey.set(r.key, s.display);
    }
  if (problems.length) throw usage(`cannot merge:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const total = [...totals][0];
  const missing =
    total === undefined
      ? []
      : Array.from({ length: total }, (_, i) => i + 1)
          .filter((i) => !byShard.has(i))
          .map((i) => `${i}/${total}`);
  makeFolders(outDir);
  const runs: SuiteRun[] = [];
  for (const s of suites)
    for (const run of s.runs) {
      if (run.entry.results !== null) {
        const runFolder = dirname(run.entry.results);
        cpSync(join(s.dir, runFolder), join(outDir, runFolder), { recursive: true, errorOnExist: true, force: false });
      }
      runs.push(run);
    }
  runs.sort((a, b) => (a.entry.key < b.entry.key ? -1 : a.entry.key > b.entry.key ? 1 : 0));
  const notRun = suites.flatMap((s) => s.summary.not_run).sort();
  const summary: SuiteSummary = {
    schemaVersion: SUITE_SCHEMA_VERSION,
    kind: 'suite',
    label: [...new Set(suites.map((s) => s.summary.label).filter(Boolean))].join(', '),
    shard: null,
    merged: { shards: suites.map((s) => (s.summary.shard ? `${s.summary.shard.index}/${s.summary.shard.total}` : s.display)), missing },
    started_at: suites.map((s) => s.summary.started_at).sort()[0],
    ended_at:
      suites
        .map((s) => s.summary.ended_at)
        .sort()
        .at(-1) ?? '',
    exit_code: worstExitCode([
      ...suites.map((s) => s.summary.exit_code),
      ...runs.map((r) => r.entry.exit_code),
      ...(missing.length ? [3] : []),
    ]),
    not_run: notRun,
    runs: runs.map((r) => r.entry),
  };
  const reportProblems = writeSuiteFolder(outDir, summary, runs);
  io.stdout.write(`${renderSuiteTerminal(summary, runs, paintOutcome(io.stdout))}\n`);
  io.stdout.write(`merged suite: ${shownPath(io.cwd, join(outDir, 'index.html'))}\n`);
  if (missing.length)
    io.stderr.write(
      `shakedown: shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} missing from the merge: exit 3 (part of the suite did not report)\n`,
    );
  if (reportProblems.length) io.stderr.write(`report problems:\n${reportProblems.map((p) => `  ${p}`).join('\n')}\n`);
  return summary.exit_code;
}
