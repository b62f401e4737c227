/**
 * One generic fault space over any scenario (issue 13's "done means"): `SHAKEDOWN_EXPLORE_BASE=<scenario file>`
 * names the scenario whose service, load and SLOs are kept; its own faults are ignored and every dependency gets the
 * same space, so explore is not told which bug to look for:
 *
 *   toxics  latency 100–5000 ms, timeout, reset_peer, down
 *   modes   http_error, rate_limit, stream_stall, stream_cut, truncate, empty, stale (those the dependency's fake takes)
 *
 * up to 2 faults of 2–5 s in 11 s trials (2 s baseline, 4 s recovery). Used by bench/explore-pairs.ts:
 *
 *   SHAKEDOWN_EXPLORE_BASE=scenarios/pairs/summarizer-model-hang.ts SHAKEDOWN_TWIN=careless \
 *     ./shakedown explore bench/explore-generic.ts --budget 10m
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { MODE_APPLIES_TO, type ModeKind } from '../contract/index.ts';
import type { ScenarioOptions } from 'shakedown';

const basePath = process.env.SHAKEDOWN_EXPLORE_BASE;
if (!basePath) throw new Error('bench/explore-generic.ts: set SHAKEDOWN_EXPLORE_BASE to the scenario file to explore');
const base = ((await import(pathToFileURL(resolve(basePath)).href)) as { default: ScenarioOptions }).default;

const TOXICS = ['latency', 'timeout', 'reset_peer', 'down'] as const;
const MODES = ['http_error', 'rate_limit', 'stream_stall', 'stream_cut', 'truncate', 'empty', 'stale'] as const;

// SHAKEDOWN_EXPLORE_ONLY=<dependency>:<kind> narrows the space to one fault kind on one dependency (to read why a
// search does or does not fail on it), e.g. retrieval:stale.
const [onlyDep, onlyKind] = (process.env.SHAKEDOWN_EXPLORE_ONLY ?? '').split(':');
const space = Object.fromEntries(
  Object.entries(base.dependencies)
    .filter(([name]) => !onlyDep || name === onlyDep)
    .map(([name, fake]) => [
      name,
      {
        toxics: TOXICS.filter((t) => !onlyKind || t === onlyKind),
        modes: MODES.filter(
          (m) => (!onlyKind || m === onlyKind) && MODE_APPLIES_TO[(m === 'rate_limit' ? 'http_error' : m) as ModeKind].includes(fake.kind),
        ),
        ...(!onlyKind || onlyKind === 'latency' ? { ranges: { latency: [100, 5000] as [number, number] } } : {}),
      },
    ]),
);

const explored: ScenarioOptions = {
  ...base,
  name: `explore-${base.name}`,
  description: `${base.description ?? base.name} — explored over a generic fault space`,
  explore: {
    space,
    maxFaults: 2,
    window: { min: '2s', max: '5s' },
    trial: { duration: '11s', warmup: '1s', baseline: '2s', recovery: '4s' },
  },
};
export default explored;
