/**
 * The installed `shakedown` bin (dist/harness/cli/bin.js, run through its shebang by npm's shim) gets the same V8
 * heap flags as the repository's `./shakedown` launcher (README "Measurement"; bench/RESULTS.md B8: without them
 * RSS climbed ~90 MB in 2 minutes under load). `env -S` splits the shebang's arguments (GNU coreutils 8.30+).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from './helpers.ts';

it('gives the bin the launcher heap flags through its shebang', () => {
  const launcher = readFileSync(join(ROOT, 'shakedown'), 'utf8');
  const flags = /exec node (--max-semi-space-size=\d+ --heap-growing-percent=\d+) /.exec(launcher)?.[1];
  expect(flags).toBeDefined();
  const shebang = readFileSync(join(ROOT, 'harness/cli/bin.ts'), 'utf8').split('\n')[0];
  expect(shebang).toBe(`#!/usr/bin/env -S node ${flags}`);
});
