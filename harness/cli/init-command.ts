/**
 * `shakedown init [file]`: writes a commented scenario for the user's service (scaffold-scenario.ts) from
 * flags, without asking anything. Refuses to overwrite a file without `--force`. Every bad flag is named in
 * one usage error (exit 2).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { ShakedownError } from '../errors.ts';
import { makeFolders, writeTextAtomic } from '../results/write-results.ts';
import { shownPath } from '../runner/load-scenario-file.ts';
import { renderScaffold, splitCommand, type ScaffoldFakeKind, type ScaffoldOptions } from './scaffold-scenario.ts';
import type { CliIO } from './cli-io.ts';

export interface InitCommandOptions {
  name?: string;
  command?: string;
  url?: string;
  port?: string;
  ready: string;
  method: string;
  path: string;
  body?: string;
  field: string;
  fakes: string;
  force?: boolean;
}

const FAKE_KINDS: readonly ScaffoldFakeKind[] = ['model', 'retrieval', 'inventory'];

/** Runs the init command; returns the exit code. */
export function initCommand(file: string | undefined, opts: InitCommandOptions, io: CliIO): number {
  const problems: string[] = [];
  const name =
    opts.name ??
    (basename(io.cwd)
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') ||
      'my-service');
  if (!/^[a-z0-9][a-z0-9_.-]*$/i.test(name))
    problems.push(`--name must be letters, digits, ".", "_" or "-", starting with a letter or digit (got '${name}')`);
  if (opts.command !== undefined && opts.url !== undefined)
    problems.push('--command and --url exclude each other: --url is for a service already running (add --port to a command instead)');
  let command: string[] | null = null;
  if (opts.url === undefined) {
    command = splitCommand(opts.command ?? 'npm start');
    if (command === null || command.length === 0)
      problems.push(`--command must be a command line with closed quotes (got '${opts.command}')`);
  }
  let url: string | null = opts.url ?? null;
  if (url !== null) {
    try {
      if (!/^https?:$/.test(new URL(url).protocol)) problems.push(`--url must be an http:// or https:// URL (got '${url}')`);
    } catch {
      problems.push(`--url must be a URL such as http://127.0.0.1:3000 (got '${url}')`);
    }
  }
  if (opts.port !== undefined) {
    const port = Number(opts.port);
    if (!/^\d+$/.test(opts.port) || port < 1 || port > 65535)
      problems.push(`--port must be a whole number from 1 to 65535 (got '${opts.port}')`);
    else if (opts.url !== undefined) problems.push('--port and --url exclude each other: put the port in the URL');
    else url = `http://127.0.0.1:${port}`;
  }
  for (const [flag, value] of [
    ['--ready', opts.ready],
    ['--path', opts.path],
  ] as const)
    if (!value.startsWith('/')) problems.push(`${flag} must be a path starting with / (got '${value}')`);
  const method = opts.method.toUpperCase();
  if (!/^[A-Z]+$/.test(method)) problems.push(`--method must be an HTTP method such as GET or POST (got '${opts.method}')`);
  let body: unknown = null;
  if (opts.body !== undefined) {
    try {
      body = JSON.parse(opts.body);
    } catch (error) {
      problems.push(`--body must be JSON, e.g. '{"question":"hi"}' (${(error as Error).message})`);
    }
  }
  const fakes = opts.fakes === 'none' ? [] : [...new Set(opts.fakes.split(',').map((f) => f.trim()))];
  const unknown = fakes.filter((f) => !FAKE_KINDS.includes(f as ScaffoldFakeKind));
  if (unknown.length)
    problems.push(`--fakes must be a comma-separated list of ${FAKE_KINDS.join(', ')}, or none (unknown: ${unknown.join(', ')})`);
  if (problems.length) throw new ShakedownError('INIT_USAGE', `init: bad flags:\n  ${problems.join('\n  ')}`, { exitCode: 2 });

  const target = resolve(io.cwd, file ?? `scenarios/${name}.ts`);
  const shown = shownPath(io.cwd, target);
  if (existsSync(target) && !opts.force)
    throw new ShakedownError('INIT_EXISTS', `${shown} already exists; pass --force to overwrite it, or give another file`, { exitCode: 2 });
  const options: ScaffoldOptions = {
    name,
    command,
    url,
    readyPath: opts.ready,
    method,
    path: opts.path,
    body,
    field: opts.field,
    fakes: fakes as ScaffoldFakeKind[],
  };
  try {
    makeFolders(dirname(target));
    writeTextAtomic(target, renderScaffold(options));
  } catch (error) {
    throw new ShakedownError('OUTPUT_NOT_WRITABLE', `cannot write ${shown}: ${(error as Error).message}`, { exitCode: 2 });
  }
  io.stdout.write(`wrote ${shown}\n  check it:  npx shakedown run ${shown} --dry-run\n  run it:    npx shakedown run ${shown}\n`);
  return 0;
}
