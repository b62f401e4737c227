import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createBoundedCache } from '../../fakes/bounded-cache.ts';

/** A computation whose results are new objects, so a hit is visible as the same object coming back. */
const box = (key: string) => ({ key });

describe('bounded cache', () => {
  it('returns the stored value for a key seen before, and computes a new one for a new key', () => {
    const cache = createBoundedCache<{ key: string }>({ capacity: 4, maxKeyLength: 100 });
    const first = cache.get('a', box);
    expect(cache.get('a', box)).toBe(first);
    expect(cache.get('b', box)).toEqual({ key: 'b' });
    expect(cache.size).toBe(2);
  });

  it('never holds more than its capacity, and keeps a key used within the last capacity / 2 insertions', () => {
    const cache = createBoundedCache<{ key: string }>({ capacity: 4, maxKeyLength: 100 });
    const hot = cache.get('hot', box);
    for (let i = 0; i < 50; i++) {
      cache.get(`cold-${i}`, box);
      expect(cache.get('hot', box)).toBe(hot);
      expect(cache.size).toBeLessThanOrEqual(4);
    }
  });

  it('computes an unused key again once capacity other keys have come in', () => {
    const cache = createBoundedCache<{ key: string }>({ capacity: 4, maxKeyLength: 100 });
    const old = cache.get('old', box);
    for (let i = 0; i < 4; i++) cache.get(`new-${i}`, box);
    const again = cache.get('old', box);
    expect(again).toEqual(old);
    expect(again).not.toBe(old);
  });

  it('computes keys longer than maxKeyLength every time without storing them', () => {
    const cache = createBoundedCache<{ key: string }>({ capacity: 4, maxKeyLength: 3 });
    const long = cache.get('abcd', box);
    expect(cache.get('abcd', box)).not.toBe(long);
    expect(cache.size).toBe(0);
  });

  it('does not keep the long texts its keys were cut from alive', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const cache = createBoundedCache<number>({ capacity: 400, maxKeyLength: 200 });
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 200; i++) {
      // a 1 MB request body and a 100-character line of it, which V8 may represent as a slice of the body
      const body = 'x'.repeat(500_000) + String(i).padEnd(100, '-') + 'x'.repeat(500_000);
      cache.get(body.slice(500_000, 500_100), (line) => line.length);
    }
    gc();
    expect(cache.size).toBe(200);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(20_000_000); // 200 bodies would be 200 MB
  });

  it('refuses a capacity that is not an even integer of at least 2', () => {
    expect(() => createBoundedCache({ capacity: 3, maxKeyLength: 1 })).toThrow(
      new RangeError('capacity must be an even integer >= 2, got 3'),
    );
    expect(() => createBoundedCache({ capacity: 0, maxKeyLength: 1 })).toThrow(
      new RangeError('capacity must be an even integer >= 2, got 0'),
    );
  });
});
