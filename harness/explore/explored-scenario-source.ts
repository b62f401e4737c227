/**
 * The scenario file `shakedown explore` writes for a failing schedule: it imports the user's scenario, keeps
 * everything but the explore block, and sets the trial's load length, the kept SLOs and the minimal schedule
 * as `faults`, so `shakedown run <file>` replays the failure as an ordinary run. Pure: returns the source.
 */
import type { FaultOptions } from '../scenario/index.ts';
import type { TrialOverrides } from './trial-scenario.ts';

export interface ExploredScenarioInput {
  /** Import specifier of the user's scenario from the written file (`./x.ts`, `../../scenarios/x.ts`). */
  baseImport: string;
  name: string;
  /** The explored scenario file as the user named it (the replay line's argument). */
  file: string;
  seed: number;
  /** The seed of the confirmed run that failed (the explore seed + its trial number): the replay's arrivals and rolls. */
  runSeed?: number;
  /** How the failure was found: `cover` (a cover round) or a round of the open search. */
  foundBy?: 'cover' | 'search';
  path: string | null;
  faults: FaultOptions[];
  overrides: TrialOverrides;
  /** Failed SLOs of the confirmed runs, for the header comment. */
  failed: string[];
}

export function exploredScenarioSource(i: ExploredScenarioInput): string {
  const replay = i.path
    ? `shakedown explore ${i.file} --seed ${i.seed} --path ${i.path}`
    : i.foundBy === 'cover'
      ? `the cover round of shakedown explore ${i.file} --seed ${i.seed} --cover (see explore.json)`
      : `a later round of shakedown explore ${i.file} --seed ${i.seed} --failures N (see explore.json)`;
  const lines = [
    `// Written by \`shakedown explore\`: the smallest fault schedule it found that fails the SLOs of '${i.name}'.`,
    `// Failed: ${i.failed.join(', ') || '(see explore.json)'}. Search replay: ${replay}`,
    ...(i.overrides.dropped.length ? [`// Left out (no such phase in a trial): ${i.overrides.dropped.join(', ')}`] : []),
    `import { defineScenario } from 'shakedown';`,
    `import base from ${JSON.stringify(i.baseImport)};`,
    '',
    'const { explore: _space, ...rest } = base;',
    '',
    'export default defineScenario({',
    '  ...rest,',
    `  name: ${JSON.stringify(`${i.name}-explored`)},`,
    ...(i.runSeed !== undefined ? [`  seed: ${i.runSeed}, // the failing trial's: its arrivals and the fakes' rolls`] : []),
    `  load: base.load.executor === 'ramping-arrival-rate' ? base.load : { ...base.load, duration: ${Number(i.overrides.load.duration)}, warmup: ${Number(i.overrides.load.warmup)} },`,
    `  faults: ${JSON.stringify(i.faults, null, 2).replace(/\n/g, '\n  ')},`,
    `  slos: ${JSON.stringify(i.overrides.slos, null, 2).replace(/\n/g, '\n  ')},`,
    '});',
    '',
  ];
  return lines.join('\n');
}
