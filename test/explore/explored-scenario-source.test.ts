import { describe, expect, it } from 'vitest';
import { exploredScenarioSource } from '../../harness/explore/explored-scenario-source.ts';
import { toxic } from '../../harness/scenario/index.ts';

const input = {
  baseImport: '../../scenarios/x.ts',
  name: 'x',
  file: 'scenarios/x.ts',
  seed: 7,
  path: null,
  faults: [{ on: 'model', at: 2000, for: 3000, fault: toxic.latency({ latency: 900 }) }],
  overrides: { load: { duration: 11000, warmup: 1000 }, slos: { fault: { p99_ms: '< 3000' } }, dropped: [] },
  failed: ['fault.p99_ms=3100 (< 3000)'],
};

describe('the scenario explore writes for a failure', () => {
  it("pins the failing trial's seed and says how the failure was found", () => {
    const cover = exploredScenarioSource({ ...input, runSeed: 23, foundBy: 'cover' });
    expect(cover).toContain("  seed: 23, // the failing trial's: its arrivals and the fakes' rolls\n");
    expect(cover).toContain('Search replay: the cover round of shakedown explore scenarios/x.ts --seed 7 --cover (see explore.json)');
    const later = exploredScenarioSource({ ...input, foundBy: 'search' });
    expect(later).not.toContain('  seed:');
    expect(later).toContain('Search replay: a later round of shakedown explore scenarios/x.ts --seed 7 --failures N (see explore.json)');
    expect(exploredScenarioSource({ ...input, path: '3:1' })).toContain(
      'Search replay: shakedown explore scenarios/x.ts --seed 7 --path 3:1',
    );
  });
});
