/**
 * Issue 15's smaller items: `list` imports only files that look like scenarios (reading the text first) and
 * lists `.mts` ones; an absolute `system.cwd` is the SUT's working folder as given.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/main.ts';
import { removeTempDirs, runCli, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

async function listIn(cwd: string, args = ['.']) {
  let stdout = '';
  let stderr = '';
  const code = await main(['list', ...args], {
    stdout: { write: (t: string) => void (stdout += t) },
    stderr: { write: (t: string) => void (stderr += t) },
    cwd,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

// Scenario files in a temporary folder define defineScenario themselves (an identity function, as the real one):
// 'shakedown' resolves through a module hook that vitest's module runner does not go through.
const IDENTITY = 'const defineScenario = (s) => s;';
const scenario = (name: string) => `${IDENTITY}
export default defineScenario({
  name: '${name}',
  description: 'listed',
  system: { url: 'http://127.0.0.1:9' },
  dependencies: {},
  load: { executor: 'constant-vus', vus: 1, duration: '1s', requests: { kind: 'static', method: 'GET', path: '/' } },
});
`;

describe('list', () => {
  it('imports only files that look like scenarios, so a server script in the folder is never run, and lists .mts scenarios', async () => {
    const dir = tempDir();
    const marker = join(dir, 'server-ran');
    // A user's server: importing it would run it (and write the marker).
    writeFileSync(join(dir, 'server.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'yes');\n`);
    writeFileSync(join(dir, 'helper.js'), `export const x = 1;\n`);
    writeFileSync(join(dir, 'a.ts'), scenario('a-scenario'));
    writeFileSync(join(dir, 'b.mts'), scenario('b-scenario'));
    const { code, stdout } = await listIn(dir);
    expect(existsSync(marker)).toBe(false);
    expect(code).toBe(0);
    expect(stdout).toBe('a.ts\n  a-scenario: listed\nb.mts\n  b-scenario: listed\n');
  });

  it('searches the folder at any depth, as run <folder> does, and says so when there is no scenarios/ folder', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'scenarios', 'nightly'), { recursive: true });
    mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(dir, 'scenarios', 'a.ts'), scenario('a-scenario'));
    writeFileSync(join(dir, 'scenarios', 'nightly', 'b.ts'), scenario('b-scenario'));
    writeFileSync(join(dir, 'node_modules', 'x', 'c.ts'), scenario('never-listed'));
    const listed = 'scenarios/a.ts\n  a-scenario: listed\nscenarios/nightly/b.ts\n  b-scenario: listed\n';
    expect((await listIn(dir)).stdout).toBe(listed);
    // No folder given: ./scenarios.
    expect((await listIn(dir, [])).stdout).toBe(listed);
    // A project without one (an installed package has no scenarios of the user's to fall back on).
    const empty = tempDir();
    const none = await listIn(empty, []);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      `no scenarios/ folder in ${empty}: name the folder to list (shakedown list <folder>), or write a first scenario with shakedown init`,
    );
  });
});

describe('system.cwd', () => {
  it('uses an absolute system.cwd as is, not joined onto the current folder', async () => {
    const sutDir = tempDir();
    const scenarios = tempDir();
    const out = tempDir();
    const server = `require('node:fs').writeFileSync('cwd.txt', process.cwd());
require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');`;
    const file = join(scenarios, 'abs-cwd.ts');
    writeFileSync(
      file,
      `${IDENTITY}
export default defineScenario({
  name: 'abs-cwd',
  system: { command: ['node', '-e', ${JSON.stringify(server)}], cwd: ${JSON.stringify(sutDir)} },
  dependencies: { model: { kind: 'model', options: {} } },
  load: { executor: 'constant-arrival-rate', rate: 5, duration: '1s', warmup: 0, requests: { kind: 'static', method: 'GET', path: '/' } },
});
`,
    );
    const { code, stderr } = await runCli(['run', file, '--out', out, '--quiet']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(readFileSync(join(sutDir, 'cwd.txt'), 'utf8')).toBe(sutDir);
  }, 30_000);
});
