import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../cli/helpers.ts';
import { startRunGuard } from '../../harness/runner/run-guard.ts';
import {
  identify,
  listRunLocks,
  lockFilePath,
  newRunId,
  processState,
  readRunLock,
  runLockDir,
  writeRunLock,
  type RunLock,
} from '../../harness/runner/run-lock.ts';

afterAll(() => removeTempDirs());

function lockOf(runId: string): RunLock {
  return { run_id: runId, started_at: '', owner: identify(process.pid), watchdog: null, process_groups: [], toxiproxy: null, proxies: [] };
}

describe('run lock', () => {
  it('run ids are 12 hex digits and differ from one run to the next', () => {
    const ids = Array.from({ length: 1000 }, newRunId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(1000);
  });

  it('the folder is SHAKEDOWN_RUNS_DIR, else XDG_RUNTIME_DIR/shakedown/runs, else ~/.cache/shakedown/runs', () => {
    const dir = tempDir();
    expect(runLockDir({ SHAKEDOWN_RUNS_DIR: join(dir, 'a'), XDG_RUNTIME_DIR: dir })).toBe(join(dir, 'a'));
    expect(runLockDir({ XDG_RUNTIME_DIR: dir })).toBe(join(dir, 'shakedown', 'runs'));
    expect(existsSync(join(dir, 'shakedown', 'runs'))).toBe(true);
  });

  it('a lock is written whole and read back; a foreign or broken file in the folder is skipped', () => {
    const dir = tempDir();
    const id = newRunId();
    writeRunLock(lockFilePath(dir, id), lockOf(id));
    writeFileSync(join(dir, 'abcdefabcdef.json'), '{"run_id": "abcdefabcdef", "owner":'); // cut short
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    expect(readdirSync(dir).sort()).toEqual([`${id}.json`, 'abcdefabcdef.json', 'notes.txt'].sort());
    expect(listRunLocks(dir)).toEqual([{ file: lockFilePath(dir, id), lock: lockOf(id) }]);
    expect(readRunLock(join(dir, 'abcdefabcdef.json'))).toBeNull();
  });

  it('a process is alive only while its pid has the recorded start time; another pid namespace is unknown', () => {
    expect(processState(identify(process.pid))).toBe('alive');
    expect(processState({ ...identify(process.pid), start_ticks: 1 })).toBe('dead'); // the pid was reused
    const exited = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    expect(processState({ pid: exited, start_ticks: 5, pid_ns: identify(process.pid).pid_ns })).toBe('dead');
    expect(processState({ pid: 1, start_ticks: 5, pid_ns: 'pid:[1]' })).toBe('unknown');
    expect(processState(null)).toBe('dead');
  });

  it('a lock folder that cannot be written leaves the run without a reaper, saying why', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const guard = startRunGuard({ ...process.env, SHAKEDOWN_RUNS_DIR: join(file, 'runs') });
    expect(guard.runId).toMatch(/^[0-9a-f]{12}$/);
    expect(guard.lockFile).toBe('');
    expect(guard.problem()).toBe(
      `no reaper for this run: the run lock could not be written (ENOTDIR: not a directory, mkdir '${join(file, 'runs')}')`,
    );
  });
});
