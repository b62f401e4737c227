/**
 * `shakedown init` through the CLI's programmatic entry: every flag combination writes a scenario that
 * `run --dry-run` accepts (exit 0, spawned as a user runs it); bad flags are all named at once; an existing file needs --force.
 * Also `--version` and `--help`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, ROOT, runCli, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

describe('shakedown init', () => {
  it.each([
    ['defaults (npm start, POST /ask with dataset questions, the model fake)', []],
    ['a command with quoted words, every fake', ['--command', "node server.js --mode 'a b'", '--fakes', 'model,retrieval,inventory']],
    [
      'a fixed port and a fixed JSON body',
      ['--command', 'node app.js', '--port', '8080', '--body', '{"prompt":"hi","n":1}', '--fakes', 'inventory'],
    ],
    [
      'a running service, GET, no fakes',
      ['--url', 'http://127.0.0.1:3000', '--method', 'get', '--path', '/items', '--ready', '/ready', '--fakes', 'none'],
    ],
    ['another body field', ['--field', 'query', '--path', '/search', '--fakes', 'retrieval']],
  ])('writes a scenario that run --dry-run accepts: %s', async (_what, flags) => {
    const file = join(tempDir(), 'scenarios', 'svc.ts');
    const init = await runCli(['init', file, '--name', 'svc', ...flags]);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toBe(`wrote ${file}\n  check it:  npx shakedown run ${file} --dry-run\n  run it:    npx shakedown run ${file}\n`);
    // Spawned: outside this repository `import 'shakedown'` resolves through the CLI's own module hook, as for a user.
    const dry = spawnSync(process.execPath, [join(ROOT, 'harness/cli/bin.ts'), 'run', file, '--dry-run'], {
      cwd: dirname(file),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/^svc\.ts: valid\n/);
  });

  it('puts the flags into the scenario', async () => {
    const file = join(tempDir(), 'svc.ts');
    await runCli([
      'init',
      file,
      '--name',
      'svc',
      '--command',
      'node app.js',
      '--port',
      '8080',
      '--body',
      '{"prompt":"hi"}',
      '--method',
      'PUT',
      '--path',
      '/gen',
      '--fakes',
      'model,inventory',
    ]);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain("command: ['node', 'app.js'],");
    expect(text).toContain("url: 'http://127.0.0.1:8080',");
    expect(text).toContain('requests: requests.static({ method: \'PUT\', path: \'/gen\', body: {"prompt":"hi"} }),');
    expect(text).toContain('dependencies: { model: fakes.model(), inventory: fakes.inventory() },');
    expect(text).toContain('OPENAI_BASE_URL: `${model.url}/v1`,');
    expect(text).toContain('INVENTORY_URL: inventory.url,');
    expect(text).toContain("{ on: 'model', at: '10s', for: '5s', fault: toxic.latency({ latency: 1000 }) },");
    expect(text).toContain("{ on: 'inventory', at: '20s', for: '5s', fault: toxic.down() },");
  });

  it('refuses to overwrite a file without --force', async () => {
    const file = join(tempDir(), 'svc.ts');
    writeFileSync(file, '// mine\n');
    const refused = await runCli(['init', file]);
    expect(refused).toMatchObject({
      code: 2,
      stderr: `shakedown: ${file} already exists; pass --force to overwrite it, or give another file\n`,
    });
    expect(readFileSync(file, 'utf8')).toBe('// mine\n');
    expect((await runCli(['init', file, '--force', '--name', 'svc'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain("name: 'svc',");
  });

  it('names every bad flag at once and writes nothing', async () => {
    const dir = tempDir();
    const { code, stderr } = await runCli([
      'init',
      join(dir, 'x.ts'),
      '--port',
      '0',
      '--fakes',
      'model,db',
      '--ready',
      'health',
      '--body',
      '{',
      '--command',
      "node 'x",
    ]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      [
        'shakedown: init: bad flags:',
        "  --command must be a command line with closed quotes (got 'node 'x')",
        "  --port must be a whole number from 1 to 65535 (got '0')",
        "  --ready must be a path starting with / (got 'health')",
        `  --body must be JSON, e.g. '{"question":"hi"}' (Expected property name or '}' in JSON at position 1 (line 1 column 2))`,
        '  --fakes must be a comma-separated list of model, retrieval, inventory, or none (unknown: db)',
        '',
      ].join('\n'),
    );
  });
});

describe('shakedown --version and --help', () => {
  it('prints the version of package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('prints examples, environment variables and exit codes', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('  shakedown run scenarios/ --shard 2/4 --out results/shard-2   the 2nd of 4 shares (a CI matrix job)\n');
    expect(stdout).toContain('  TOXIPROXY_URL  use the Toxiproxy server at this URL instead of starting one\n');
    expect(stdout).toContain('  NO_COLOR       no colours (any non-empty value); colour is also off when output is not a terminal\n');
    expect(stdout).toContain('Exit codes (a suite or merge exits with the most severe of its runs: 130 > 3 > 2 > 1 > 0):\n');
    expect(stdout).toContain('  130  interrupted (partial results written)\n');
  });
});
