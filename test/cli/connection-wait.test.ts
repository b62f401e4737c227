/**
 * A careful service that holds every one of load.connections for its 2 s timeout while the model hangs (first-time
 * user finding): arrivals wait for a connection, the harness keeps its pace. The wait is a note naming
 * load.connections, not a flag blaming the load generator; but arrivals due late in the fault reach the SUT only
 * after it ends, never meeting it, so those are flagged (a careless agent scored above its fix that way). With the
 * default load.connections, which cover a hang, nothing waits and the run is trusted.
 */
import { afterAll, expect, it } from 'vitest';
import { readRun, removeTempDirs, runCli, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

it('names the connections the SUT held, flags the arrivals the fault never met, and needs neither by default', async () => {
  const [held, byDefault] = [tempDir(), tempDir()];
  const [a, b] = await Promise.all([
    runCli(['run', 'test/fixtures/scenarios/edges/connections-held.ts', '--seed', '3', '--out', held]),
    runCli(['run', 'test/fixtures/scenarios/edges/connections-default.ts', '--seed', '3', '--out', byDefault]),
  ]);
  expect(a.code, a.stdout).toBe(0);
  expect(b.code, b.stdout).toBe(0);

  const { result } = readRun(held, 'connections-held');
  const note = result.reconciliation.notes.find((n) => n.includes('waited for a free connection'))!;
  expect(note).toMatch(/^\d+ of \d+ arrivals waited for a free connection \(max lateness [\d.]+ ms\): all 8 load\.connections were busy/);
  expect(Number(/^(\d+)/.exec(note)![1])).toBeGreaterThan(5);
  expect(a.stdout).toContain(`Notes:\n  - ${note}`);
  // The only flag is the shielded arrivals' (not the load generator's pace): 8 connections held 2 s each at 10 req/s.
  expect(result.health.trusted).toBe(false);
  expect(result.health.flags).toHaveLength(1);
  expect(result.health.flags[0]).toMatch(
    /^\d+ of \d+ arrivals due during fault hang waited for a free connection until after it ended \(all 8 load\.connections were held by requests the SUT had not answered\).*raise load\.connections to 70 /,
  );
  expect(Number(/^(\d+)/.exec(result.health.flags[0])![1])).toBeGreaterThan(0);

  const defaulted = readRun(byDefault, 'connections-default').result;
  expect(defaulted.load).toMatchObject({ connections: 70 });
  expect(defaulted.reconciliation.notes.filter((n) => n.includes('waited for a free connection'))).toEqual([]);
  expect(defaulted.health).toMatchObject({ trusted: true, flags: [] });
});
