/**
 * The `shakedown` command line, as a function: `main(argv, io)` returns the exit code instead of exiting,
 * so tests drive it in-process with captured output. bin.ts is the only place that calls process.exit.
 *
 * Exit codes: 0 all SLOs met; 1 an SLO failed (compare: a regression, with --fail-on-regression); 2 invalid scenario or usage; 3 the infrastructure
 * could not start or died (Toxiproxy, fakes, SUT) or a fault did not apply; 4 results, samples or reports could not be
 * written (disk full, no permission); 130 interrupted by SIGINT, SIGTERM or SIGHUP (partial results written).
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ShakedownError } from '../errors.ts';
import { freshSeed } from '../runner/random.ts';
import { loadScenarioFile } from '../runner/load-scenario-file.ts';
import { evaluateEnv } from '../runner/evaluate-env.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { assertLoopbackTarget } from '../load/loopback.ts';
import { createRunFolder } from '../results/write-results.ts';
import { renderPlan } from './render-plan.ts';
import { createProgressPrinter } from './progress-printer.ts';
import { renderTerminalSummary } from '../../reports/terminal.ts';
import { writeRunReports } from './write-reports.ts';
import { compareCommand } from './compare-command.ts';
import { trendCommand } from './trend-command.ts';
import { paintTone } from './terminal-style.ts';
import { EXIT, type CliIO } from './cli-io.ts';
import { suiteCommand, suiteDryRun } from './suite-command.ts';
import { mergeCommand } from './merge-command.ts';
import { isSuite, scenarioFilesUnder } from '../suite/suite-targets.ts';
import { initCommand } from './init-command.ts';
import { exploreCommand } from './explore-command.ts';
import { HELP_AFTER, packageVersion } from './help-text.ts';

function parseSeed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n > 2 ** 32 - 1)
    throw new ShakedownError('INVALID_SEED', `--seed must be a whole number from 0 to 4294967295 (got '${value}')`, { exitCode: 2 });
  return n;
}

async function runCommand(
  file: string,
  opts: { seed?: string; out: string; label?: string; dryRun?: boolean; allowRemoteTarget?: boolean; quiet?: boolean },
  io: CliIO,
  sink: { resultsFile?: string } = {},
): Promise<number> {
  const seedOverride = opts.seed === undefined ? undefined : parseSeed(opts.seed);
  const loaded = await loadScenarioFile(file, io.cwd);
  const { scenario } = loaded;
  const seed = seedOverride ?? scenario.seed ?? freshSeed();
  // Checked before anything starts (and in --dry-run): a non-loopback target, and a system.env that throws.
  if (scenario.system.url) assertLoopbackTarget(scenario.system.url, opts.allowRemoteTarget ?? false);
  evaluateEnv(
    scenario.system.env,
    Object.fromEntries(Object.keys(scenario.dependencies).map((name) => [name, { url: 'http://127.0.0.1:1', host: '127.0.0.1', port: 1 }])),
    loaded.displayName,
  );
  if (opts.dryRun) {
    io.stdout.write(`${renderPlan(scenario, loaded.displayName, seed)}\n`);
    return EXIT.ok;
  }
  if (io.signal.aborted) {
    // Interrupted while the scenario loaded: nothing was started and there is no run folder to write into.
    io.stderr.write('shakedown: interrupted before the run started: nothing was started, no results written\n');
    return EXIT.interrupted;
  }
  const outDir = createRunFolder(resolve(io.cwd, opts.out), scenario.name, opts.label);
  io.stdout.write(`shakedown: ${scenario.name} (${loaded.displayName}), seed ${seed} (replay with --seed ${seed})\n`);
  if (scenario.description) io.stdout.write(`  ${scenario.description}\n`);
  const printer = createProgressPrinter(io.stdout, scenario.load.duration_ms, opts.quiet);
  const outcome = await runScenario({
    scenario,
    scenarioFile: loaded.displayName,
    scenarioSource: loaded.source,
    seed,
    outDir,
    label: opts.label ?? '',
    allowRemoteTarget: opts.allowRemoteTarget ?? false,
    cwd: io.cwd,
    signal: io.signal,
    onEvent: (e) => printer.onEvent(e),
  });
  printer.done();
  const { result } = outcome;
  // A run that failed before load started has nothing to tabulate: the error below says it all.
  if (result.run.t0_epoch_ms !== null || !outcome.error)
    io.stdout.write(`${renderTerminalSummary(result, paintTone(io.stdout), { failureFollows: outcome.error !== undefined })}\n`);
  if (outcome.resultsWritten) {
    io.stdout.write(`results: ${outcome.resultsFile}\n`);
    sink.resultsFile = outcome.resultsFile;
  }
  const reports = outcome.resultsWritten
    ? writeRunReports(result, dirname(outcome.resultsFile))
    : { written: [], problems: [], writeFailures: [] };
  if (reports.written.length) io.stdout.write(`reports: ${reports.written.map((f) => basename(f)).join(', ')} beside it\n`);
  if (reports.problems.length) io.stderr.write(`report problems:\n${reports.problems.map((p) => `  ${p}`).join('\n')}\n`);
  if (outcome.teardownProblems.length) io.stderr.write(`teardown problems:\n${outcome.teardownProblems.map((p) => `  ${p}`).join('\n')}\n`);
  const writeProblems = [...outcome.writeProblems.filter((p) => p !== outcome.error?.message), ...reports.writeFailures];
  if (writeProblems.length) io.stderr.write(writeProblems.map((p) => `shakedown: ${p}\n`).join(''));
  if (outcome.error) {
    io.stderr.write(`shakedown: ${outcome.error.message}\n`);
    return outcome.error.exitCode === 2 ? EXIT.usage : outcome.error.exitCode === EXIT.writeFailed ? EXIT.writeFailed : EXIT.infrastructure;
  }
  if (writeProblems.length) return EXIT.writeFailed;
  if (result.run.status === 'interrupted') return EXIT.interrupted;
  return result.verdict.passed ? EXIT.ok : EXIT.sloFailed;
}

/** `./scenarios` when the current folder has one, else this checkout's shipped scenarios (list from anywhere). */
/** `list` without a folder: the project's `scenarios/` (`shakedown init` writes there). */
function defaultScenarioFolder(cwd: string): string {
  if (existsSync(resolve(cwd, 'scenarios'))) return 'scenarios';
  throw new ShakedownError(
    'LIST_FAILED',
    `no scenarios/ folder in ${cwd}: name the folder to list (shakedown list <folder>), or write a first scenario with shakedown init`,
    { exitCode: 2 },
  );
}

/**
 * Whether a file's text looks like a scenario: it calls `defineScenario` or imports from 'shakedown'. `list`
 * imports only these: importing any other `.mjs`/`.js` file runs its code (issue 15: it started a user's server).
 */
export function looksLikeScenario(text: string): boolean {
  return /\bdefineScenario\s*\(/.test(text) || /\bfrom\s*['"]shakedown(\/[^'"]*)?['"]/.test(text);
}

async function listCommand(dir: string, io: CliIO): Promise<number> {
  const folder = resolve(io.cwd, dir);
  let files: string[];
  try {
    // At any depth, as `run <folder>` finds them.
    files = scenarioFilesUnder(folder)
      .map((f) => relative(folder, f))
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : (error as Error).message;
    throw new ShakedownError('LIST_FAILED', `Cannot list scenarios in ${dir}: ${why}`, { exitCode: 2 });
  }
  // Read first, import only what looks like a scenario: the rest is never run.
  files = files.filter((f) => {
    try {
      return looksLikeScenario(readFileSync(join(folder, f), 'utf8'));
    } catch {
      return false; // unreadable (a folder named x.ts, no permission): not a scenario to list
    }
  });
  let broken = 0;
  for (const f of files) {
    try {
      const { scenario } = await loadScenarioFile(join(folder, f), io.cwd);
      io.stdout.write(`${join(dir, f)}\n  ${scenario.name}: ${scenario.description || '(no description)'}\n`);
    } catch (error) {
      broken++;
      const lines = (error as Error).message.split('\n');
      io.stdout.write(
        `${join(dir, f)}\n  INVALID: ${lines[0]}\n${lines
          .slice(1)
          .map((l) => `    ${l.trim()}\n`)
          .join('')}`,
      );
    }
  }
  if (files.length === 0) io.stdout.write(`no scenario files in ${dir}\n`);
  return broken ? EXIT.usage : EXIT.ok;
}

/**
 * An option value that is itself an option (`--out --dry-run`) means the value was forgotten: commander would
 * take `--dry-run` as the folder and run for real.
 * @throws InvalidArgumentError (usage, exit 2) naming the option and what it needs
 */
function notAnOption(option: string, what: string): (value: string) => string {
  return (value) => {
    if (value.startsWith('--'))
      throw new InvalidArgumentError(`${option} needs ${what}; '${value}' is an option. Put ${what} after ${option}.`);
    return value;
  };
}

/** Longest `--label`: it becomes part of the run folder's name (file names stop at 255 bytes). */
export const MAX_LABEL_CHARS = 100;

/** @throws InvalidArgumentError (usage, exit 2) for an option as the value or a label over MAX_LABEL_CHARS */
function labelValue(value: string): string {
  notAnOption('--label', 'a label')(value);
  if (value.length > MAX_LABEL_CHARS)
    throw new InvalidArgumentError(
      `--label is ${value.length} characters; at most ${MAX_LABEL_CHARS} (it becomes part of the run folder's name).`,
    );
  return value;
}

/** Runs the CLI. `argv` excludes node and the script (`['run', 'scenarios/x.ts']`). */
export async function main(argv: string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('shakedown')
    .description(
      'Chaos-testing and load simulation for AI applications: real Toxiproxy, fake model/retrieval/API services, per-phase scoring.',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run shakedown --help for usage)')
    .version(packageVersion(), '-V, --version', 'print the version of shakedown')
    .addHelpText('after', HELP_AFTER);
  program
    .command('run')
    .description(
      'run a scenario file: start Toxiproxy, fakes and the SUT, drive load, inject faults, write results.json; given folders, globs or several files, run them as a suite',
    )
    .argument('<scenarios...>', 'scenario file (.ts), or folders (searched at any depth) and globs for a suite')
    .option('--seed <n>', 'replay fault jitter, fake choices and request order')
    .option('--out <dir>', 'results root folder (a suite: the suite folder)', notAnOption('--out', 'a folder'), 'shakedown-results')
    .option('--label <text>', `label for this run (build name), kept in results; at most ${MAX_LABEL_CHARS} characters`, labelValue)
    .option('--shard <i/N>', 'run the i-th of N shares of the suite (sorted round-robin by scenario path)', notAnOption('--shard', 'i/N'))
    .option('--dry-run', 'validate the scenario and print its resolved plan without starting anything')
    .option('--allow-remote-target', 'allow load to a non-loopback SUT URL')
    .option('--quiet', 'no live progress lines')
    .action(async (targets: string[], opts) => {
      if (!isSuite(targets, io.cwd, opts.shard !== undefined)) {
        code = await runCommand(targets[0], opts, io);
        return;
      }
      if (opts.dryRun) {
        code = await suiteDryRun(targets, opts, io, (file) => runCommand(file, opts, io));
        return;
      }
      code = await suiteCommand(targets, opts, io, async (file, out) => {
        const sink: { resultsFile?: string } = {};
        const runCode = await runCommand(file, { ...opts, out }, io, sink);
        return { code: runCode, resultsFile: sink.resultsFile ?? null };
      });
    });
  program
    .command('explore')
    .description(
      "search the scenario's fault space (its explore block) for a schedule that fails its SLOs and shrink it to a minimal one; or, with --sweep, find the intensity at which an SLO first breaks",
    )
    .argument('<scenario>', 'scenario file with an explore block')
    .option('--seed <n>', 'replay a search (with --path: start at its counterexample)')
    .option('--path <path>', "fast-check's path printed with a failure", notAnOption('--path', 'a path'))
    .option('--budget <duration>', 'stop running trials after this long (10m)', notAnOption('--budget', 'a duration'))
    .option('--trials <n>', 'most schedules generated before a failure (100)', notAnOption('--trials', 'a number'))
    .option('--confirm <n>', 'extra runs a failing trial needs to fail too before it counts (1)', notAnOption('--confirm', 'a number'))
    .option(
      '--failures <n>',
      'distinct failures to find: after each, search on without its fault kinds (1)',
      notAnOption('--failures', 'a number'),
    )
    .option('--cover', 'first try each fault kind of the space alone at its harshest, and shrink each that fails')
    .option(
      '--reference <scenario>',
      "a reference build's scenario: a failure counts only when the reference passes the same schedule",
      notAnOption('--reference', 'a scenario file'),
    )
    .option('--restart-per-trial', 'start Toxiproxy, the fakes and the SUT afresh for every trial (an SUT with state)')
    .option('--sweep <spec>', 'bisect one intensity, e.g. model.latency=0..5000ms', notAnOption('--sweep', 'a spec'))
    .option('--repeats <n>', 'runs at each sweep point; the majority decides (3)', notAnOption('--repeats', 'a number'))
    .option('--out <dir>', 'results root folder', notAnOption('--out', 'a folder'), 'shakedown-results')
    .option('--quiet', 'no line per trial')
    .action(async (file: string, opts) => {
      code = await exploreCommand(file, opts, io);
    });
  program
    .command('merge')
    .description('join the suite folders of shards (run --shard) into one suite folder and its reports')
    .argument('<dirs...>', 'suite folders written by run <folder> --shard i/N')
    .requiredOption('--out <dir>', 'the merged suite folder (new or empty)', notAnOption('--out', 'a folder'))
    .action((dirs: string[], opts: { out: string }) => {
      code = mergeCommand(dirs, opts, io);
    });
  program
    .command('init')
    .description('write a commented scenario for your service (no questions asked: flags), ready for run --dry-run')
    .argument('[file]', 'scenario file to write (default: scenarios/<name>.ts)')
    .option('--name <name>', 'scenario name (default: the current folder name)', notAnOption('--name', 'a name'))
    .option(
      '--command <cmd>',
      "how to start the service, e.g. 'node server.js' (default: npm start)",
      notAnOption('--command', 'a command'),
    )
    .option('--port <n>', 'the fixed port the started service listens on (default: it reads PORT)', notAnOption('--port', 'a port'))
    .option('--url <url>', 'the URL of a service you start yourself (instead of --command)', notAnOption('--url', 'a URL'))
    .option('--ready <path>', 'path answering 200 once the service is ready', notAnOption('--ready', 'a path'), '/health')
    .option('--method <method>', 'HTTP method of each request', notAnOption('--method', 'a method'), 'POST')
    .option('--path <path>', 'request path', notAnOption('--path', 'a path'), '/ask')
    .option(
      '--body <json>',
      'a fixed JSON body (default for POST: each dataset question as { <field>: question })',
      notAnOption('--body', 'JSON'),
    )
    .option('--field <name>', 'body field the dataset question goes in', notAnOption('--field', 'a field name'), 'question')
    .option(
      '--fakes <list>',
      'fakes for its dependencies: model, retrieval, inventory (comma-separated) or none',
      notAnOption('--fakes', 'a list'),
      'model',
    )
    .option('--force', 'overwrite the file if it exists')
    .action((file: string | undefined, opts) => {
      code = initCommand(file, opts, io);
    });
  program
    .command('list')
    .description('list the scenarios in a folder with their descriptions')
    .argument('[dir]', 'folder, searched at any depth as run <folder> does (default: ./scenarios)')
    .action(async (dir: string | undefined) => {
      code = await listCommand(dir ?? defaultScenarioFolder(io.cwd), io);
    });
  program
    .command('compare')
    .description('compare runs of the same scenario: side-by-side table and HTML, verdicts only for significant changes')
    .argument('<results...>', 'results.json files or suite folders; the first run of each scenario is the baseline')
    .option(
      '--html <file>',
      'where to write the HTML comparison (default: compare.html beside the first results file)',
      notAnOption('--html', 'a file'),
    )
    .option('--fail-on-regression', 'exit 1 when any metric is worse')
    .option('--allow-different-scenarios', 'compare runs whose scenario files differ')
    .option('--alpha <p>', 'significance level of the Welch t-test', '0.01')
    .action((files: string[], opts) => {
      code = compareCommand(files, opts, io);
    });
  program
    .command('trend')
    .description('one HTML page of the key metrics and score over a folder of results (a nightly history)')
    .argument('<folder>', 'folder searched for results.json files (run folders, suite folders, a history of them)')
    .option('--out <file>', 'where to write the page', notAnOption('--out', 'a file'), '<folder>/trend.html')
    .action((folder: string, opts: { out: string }) => {
      code = trendCommand(folder, { out: opts.out === '<folder>/trend.html' ? undefined : opts.out }, io);
    });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof ShakedownError) {
      io.stderr.write(`shakedown: ${error.message}\n`);
      return error.exitCode;
    }
    if (io.signal.aborted) return EXIT.interrupted;
    io.stderr.write(`shakedown: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.infrastructure;
  }
}
