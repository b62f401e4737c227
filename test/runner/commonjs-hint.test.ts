/**
 * A scenario in a CommonJS project (package.json without "type": "module") that Node cannot load: the error names
 * that package.json and the two ways out (.mts, or "type": "module").
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commonJsHint, loadScenarioFile } from '../../harness/runner/load-scenario-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'shakedown-cjs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a scenario in a CommonJS project', () => {
  it('fails to load with a hint naming the package.json and the fix', async () => {
    const project = join(dir, 'cjs');
    mkdirSync(join(project, 'scenarios'), { recursive: true });
    writeFileSync(join(project, 'package.json'), '{ "name": "cjs" }');
    writeFileSync(
      join(project, 'scenarios', 'a.ts'),
      "const { defineScenario } = require('no-such-package');\nmodule.exports = defineScenario({});\n",
    );
    const error = await loadScenarioFile('scenarios/a.ts', project).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(
      `${join(project, 'package.json')} has no "type": "module", so Node may load this file as CommonJS: write the scenario with import/export and name it .mts, or add "type": "module" to that package.json`,
    );
  });

  it('gives no hint for .mts files or a module package', () => {
    const module = join(dir, 'esm');
    mkdirSync(module, { recursive: true });
    writeFileSync(join(module, 'package.json'), '{ "name": "esm", "type": "module" }');
    expect(commonJsHint(join(module, 'a.ts'))).toBeUndefined();
    expect(commonJsHint(join(dir, 'cjs', 'scenarios', 'a.mts'))).toBeUndefined();
    expect(commonJsHint(join(dir, 'cjs', 'scenarios', 'a.ts'))).toMatch(/has no "type": "module"/);
  });
});
