import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../harness/scenario/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5s', 1_500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1h2m3s4ms', 3_723_004],
    ['  30s  ', 30_000],
    ['0s', 0],
    [0, 0],
    [1500, 1500],
    [2.5, 2.5],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    [''],
    ['   '],
    ['s'],
    ['30'.concat(' s')],
    ['30sec'],
    ['30 seconds'],
    ['1m30'],
    ['-5s'],
    ['.5s'],
    ['5x'],
    ['1e3'],
    ['30s,'],
    ['250'],
    ['3'],
    ['1.5'],
    [-1],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [null],
    [undefined],
    [true],
    [{}],
    [['30s']],
  ])('refuses %j', (value) => {
    expect(parseDuration(value)).toBeUndefined();
  });

  it('reads any sum of parts as the sum of their milliseconds', () => {
    const part = fc.record({ n: fc.integer({ min: 0, max: 999 }), unit: fc.constantFrom('ms', 's', 'm', 'h') });
    const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
        const text = parts.map((p) => `${p.n}${p.unit}`).join('');
        expect(parseDuration(text)).toBe(parts.reduce((t, p) => t + p.n * factor[p.unit], 0));
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything()), (value) => {
        const ms = parseDuration(value);
        expect(ms === undefined || (Number.isFinite(ms) && ms >= 0)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [250, '250ms'],
    [999.4, '999ms'],
    [999.6, '1s'],
    [1000, '1s'],
    [1500, '1.5s'],
    [30_000, '30s'],
    [59_940, '59.9s'],
    [59_999, '1m'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [119_400, '1m59s'],
    [119_500, '2m'],
    [3_600_000, '60m'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('writes whole seconds and minutes that parse back to the same value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7200 }), (s) => {
        expect(parseDuration(formatDuration(s * 1000))).toBe(s * 1000);
      }),
      { numRuns: 200 },
    );
  });
});
