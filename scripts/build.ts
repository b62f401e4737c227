/**
 * Builds the package users install: `dist/` with JavaScript and type declarations (tsconfig.build.json; relative
 * `.ts` imports rewritten to `.js`), plus the files the built code reads beside itself: the fakes' dataset and
 * the HTML report's chart client. Run by `npm run build` and by `npm pack`/`npm publish` (prepack).
 * The checkout itself needs no build: `./shakedown` and the tests run the `.ts` sources.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = `${root}dist`;
const tsc = `${root}node_modules/typescript/bin/tsc`;

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit', cwd: root });
for (const folder of ['fakes/dataset', 'reports/assets']) cpSync(`${root}${folder}`, `${dist}/${folder}`, { recursive: true });
process.stdout.write(`built ${dist}\n`);
