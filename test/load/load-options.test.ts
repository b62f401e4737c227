import { describe, expect, it } from 'vitest';
import { resolveLoadOptions } from '../../harness/load/load-options.ts';
import { OPEN_FILE_RESERVE, readOpenFileRoom } from '../../harness/load/open-file-limit.ts';

const next = () => ({ path: '/' });

describe('resolveLoadOptions', () => {
  it('applies the defaults and turns a ramp into an arrival schedule that holds the last target', () => {
    expect(
      resolveLoadOptions({
        executor: 'ramping-arrival-rate',
        url: 'http://127.0.0.1:8080/api/',
        stages: [{ target: 50, duration_ms: 1000 }],
        duration_ms: 3000,
        next,
      }),
    ).toEqual({
      executor: 'ramping-arrival-rate',
      url: new URL('http://127.0.0.1:8080/api/'),
      base_path: '/api',
      duration_ms: 3000,
      timeout_ms: 10_000,
      connections: 10,
      body_cap: 4096,
      schedule: {
        start_rate: 0,
        stages: [
          { target: 50, duration_ms: 1000 },
          { target: 50, duration_ms: 2000 },
        ],
      },
    });
  });

  it('reports every problem at once, one per line', () => {
    expect(() =>
      resolveLoadOptions({ executor: 'constant-arrival-rate', url: 'http://10.0.0.8/', rate: 0, duration_ms: -1, connections: 1.5, next }),
    ).toThrow(
      'load.url: Refusing to send load to 10.0.0.8: it is not a loopback address. Shakedown loads only 127.0.0.0/8, localhost or ::1 unless you pass --allow-remote-target.\n' +
        'load.connections must be a positive integer (got 1.5)\n' +
        'load.duration_ms must be a positive number (got -1)\n' +
        'load.rate must be a positive number (got 0)',
    );
  });

  it('refuses more connections than the open-file limit leaves room for, saying what to change', () => {
    const files = { limit: 20_000, open: 40, room: 19_896 };
    expect(() =>
      resolveLoadOptions(
        { executor: 'constant-arrival-rate', url: 'http://127.0.0.1:8080/', rate: 100_000, connections: 200_000, duration_ms: 1000, next },
        files,
      ),
    ).toThrow(
      'load.connections is 200000, but this process may open only 20000 files (soft "Max open files" in /proc/self/limits; 40 already open) and each connection holds one: set load.connections to at most 19896 (a scenario that leaves load.connections out gets at most this room), or raise the limit before running (ulimit -n 400000)',
    );
    expect(
      resolveLoadOptions({ executor: 'constant-vus', url: 'http://127.0.0.1:8080/', connections: 19_896, duration_ms: 1000, next }, files)
        .connections,
    ).toBe(19_896);
  });

  it("reads this process's open-file limit from /proc/self/limits", () => {
    const room = readOpenFileRoom();
    expect(room).not.toBeNull();
    expect(room!.limit).toBeGreaterThan(room!.open);
    expect(room!.room).toBe(Math.max(0, room!.limit - room!.open - OPEN_FILE_RESERVE));
  });
});
