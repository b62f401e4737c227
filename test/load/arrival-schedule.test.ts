import { describe, expect, it } from 'vitest';
import { createArrivalSchedule } from '../../harness/load/arrival-schedule.ts';

function all(next: () => number | null): number[] {
  const out: number[] = [];
  for (let t = next(); t !== null && out.length < 100_000; t = next()) out.push(t);
  return out;
}

describe('createArrivalSchedule', () => {
  it('spaces a constant rate evenly, 1000 / rate ms apart, strictly before the end', () => {
    const times = all(createArrivalSchedule({ start_rate: 200, stages: [{ target: 200, duration_ms: 1000 }] }));
    expect(times).toHaveLength(200);
    times.forEach((t, k) => expect(t).toBeCloseTo(5 * k, 9));
  });

  it('ramps linearly: arrivals follow the integral of the rate', () => {
    const times = all(createArrivalSchedule({ start_rate: 0, stages: [{ target: 100, duration_ms: 2000 }] }));
    expect(times).toHaveLength(100);
    // N(t) = 25 t^2 (t in s): the 25th arrival at 1 s, the 100th would be at 2 s
    expect(times[25]).toBeCloseTo(1000, 6);
    expect(times.filter((t) => t < 1000)).toHaveLength(25);
  });

  it('joins stages, skips zero-rate stretches and holds no arrivals past the last stage', () => {
    const times = all(
      createArrivalSchedule({
        start_rate: 10,
        stages: [
          { target: 10, duration_ms: 1000 },
          { target: 0, duration_ms: 0 },
          { target: 0, duration_ms: 500 },
          { target: 20, duration_ms: 0 },
          { target: 20, duration_ms: 500 },
        ],
      }),
    );
    expect(times).toHaveLength(20);
    expect(times.slice(0, 10).every((t) => t < 1000)).toBe(true);
    expect(times.slice(10).every((t) => t >= 1500 && t < 2000)).toBe(true);
    expect(times[11] - times[10]).toBeCloseTo(50, 6);
  });

  it('goes down a decreasing ramp without gaps or repeats', () => {
    const times = all(createArrivalSchedule({ start_rate: 100, stages: [{ target: 0, duration_ms: 1000 }] }));
    expect(times).toHaveLength(50);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]);
    expect(times.at(-1)!).toBeLessThan(1000);
  });
});
