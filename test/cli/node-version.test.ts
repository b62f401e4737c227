/**
 * The installed bin under a Node older than the package supports: one line saying what it found and what it needs,
 * exit 2, before anything that needs newer Node is loaded (under Node 20 the harness would otherwise die with a
 * stack trace from a missing fs.globSync). Runs the bin as the package ships it (JavaScript: its types stripped here)
 * under the machine's older node when it has one (machines here come with Node 20).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { stripTypeScriptTypes } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.ts';

const source = readFileSync(join(ROOT, 'harness/cli/bin.ts'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'shakedown-bin-node-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bin = join(dir, 'bin.mjs');
writeFileSync(bin, stripTypeScriptTypes(source));

/** A node on PATH older than 22 (the machine's own), if any. */
function olderNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node', '/bin/node']) {
    try {
      const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
      if (Number(version.slice(1).split('.')[0]) < 22) return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}
const older = olderNode();

describe('the bin on an unsupported Node', () => {
  it('states the same minimum as package.json engines.node', () => {
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe(`>=${/const NODE_MIN = '([\d.]+)'/.exec(source)![1]}`);
  });

  it.skipIf(!older)('says what it found and what it needs, exit 2, no stack trace (skipped: no node older than 22 on this machine)', () => {
    const ran = spawnSync(older!, [bin, 'run', 'x.ts'], { encoding: 'utf8' });
    expect(ran.status).toBe(2);
    expect(ran.stdout).toBe('');
    expect(ran.stderr).toMatch(
      /^shakedown: needs Node\.js 22\.18 or newer; this is v\d+\.\d+\.\d+ \(.+\)\. Put a newer node first on PATH/,
    );
    expect(ran.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('lets a supported Node past the check', () => {
    // Here the transpiled bin has no main.ts beside it: past the check, the import fails (not the version line).
    const ran = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(ran.stderr).not.toContain('needs Node.js');
    expect(ran.stderr).toContain('main.ts');
  });
});
