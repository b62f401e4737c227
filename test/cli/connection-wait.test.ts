/**
 * A careful service that holds every one of load.connections for its 2 s timeout while the model hangs (first-time
 * user finding): arrivals wait for a connection, the harness keeps its pace. The run stays trusted and says so in a
 * note naming load.connections, instead of flagging the load generator.
 */
import { afterAll, expect, it } from 'vitest';
import { readRun, removeTempDirs, runCli, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

it('names the connections the SUT held, in a note, and keeps the run trusted', async () => {
  const out = tempDir();
  const { code, stdout } = await runCli(['run', 'test/fixtures/scenarios/edges/connections-held.ts', '--seed', '3', '--out', out]);
  expect(code, stdout).toBe(0);
  const { result } = readRun(out, 'connections-held');
  expect(result.health).toMatchObject({ trusted: true, flags: [] });
  const note = result.reconciliation.notes.find((n) => n.includes('waited for a free connection'))!;
  expect(note).toMatch(/^\d+ of \d+ arrivals waited for a free connection \(max lateness [\d.]+ ms\): all 8 load\.connections were busy/);
  expect(Number(/^(\d+)/.exec(note)![1])).toBeGreaterThan(5);
  expect(stdout).toContain(`Notes:\n  - ${note}`);
  expect(stdout).not.toContain('results may not be trusted');
});
