/**
 * The careful side of bench/explore-generic.ts, for `explore --reference`: the same generic scenario over
 * `SHAKEDOWN_EXPLORE_BASE`, with that base evaluated as its careful twin (the twins read `SHAKEDOWN_TWIN` when their
 * module is evaluated; the `?reference` query gives this file its own evaluation of the base):
 *
 *   SHAKEDOWN_EXPLORE_BASE=scenarios/retrieval-stale-cache.ts SHAKEDOWN_TWIN=careless \
 *     ./shakedown explore bench/explore-generic.ts --reference bench/explore-generic-reference.ts --budget 10m
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScenarioOptions } from 'shakedown';
import candidate from './explore-generic.ts';

const basePath = process.env.SHAKEDOWN_EXPLORE_BASE;
if (!basePath) throw new Error('bench/explore-generic-reference.ts: set SHAKEDOWN_EXPLORE_BASE to the scenario file to explore');
const twin = process.env.SHAKEDOWN_TWIN;
process.env.SHAKEDOWN_TWIN = 'careful';
let base: ScenarioOptions;
try {
  base = ((await import(`${pathToFileURL(resolve(basePath)).href}?reference`)) as { default: ScenarioOptions }).default;
} finally {
  if (twin === undefined) delete process.env.SHAKEDOWN_TWIN;
  else process.env.SHAKEDOWN_TWIN = twin;
}
// The candidate's space, trial and SLOs; the careful base's service (its command and the env it gives the SUT).
const reference: ScenarioOptions = { ...candidate, name: `${candidate.name}-careful`, system: base.system };
export default reference;
