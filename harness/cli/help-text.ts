/**
 * What `shakedown --help` prints after the commands (examples, environment variables, exit codes), and the
 * version `--version` prints (package.json's).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-files.ts';

/** The `version` of Shakedown's package.json. */
export function packageVersion(): string {
  // PACKAGE_ROOT: the checkout, or the installed package (dist/ is one folder deeper there).
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export const HELP_AFTER = `
Examples:
  shakedown init --command 'node server.js' --path /ask --fakes model,retrieval
  shakedown run scenarios/model-latency-spike.ts --dry-run
  shakedown run scenarios/model-latency-spike.ts --seed 42 --label build-123
  shakedown run scenarios/ --out results/nightly               a suite: every scenario in the folder
  shakedown run scenarios/ --shard 2/4 --out results/shard-2   the 2nd of 4 shares (a CI matrix job)
  shakedown merge results/shard-* --out results/nightly        join the shards into one suite report
  shakedown compare results/last-night results/nightly         two suites, matched by scenario
  shakedown trend results/                                     metrics over every run under a folder
  shakedown explore chaos/summarizer.ts --budget 10m           search the explore block's fault space, shrink a failure
  shakedown explore scenarios/model-latency-spike.ts --sweep model.latency=0..5000ms   the latency that breaks an SLO

Environment variables:
  TOXIPROXY_URL  use the Toxiproxy server at this URL instead of starting one
  DOCKER_HOST    the Docker engine used to start Toxiproxy when no binary is found
  NO_COLOR       no colours (any non-empty value); colour is also off when output is not a terminal
  FORCE_COLOR    colours even when output is not a terminal (unless NO_COLOR is set)
  SHAKEDOWN_SEED set by shakedown for the service under test: the run's seed

Exit codes (a suite or merge exits with the most severe of its runs: 130 > 3 > 2 > 1 > 0):
  0    every SLO met
  1    an SLO failed (compare: a regression, with --fail-on-regression; explore: a failing schedule or a breaking point)
  2    invalid scenario, flags or input files
  3    infrastructure could not start or died (Toxiproxy, fakes, the service); a shard missing from a merge
  130  interrupted (partial results written)
`;
