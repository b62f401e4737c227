/**
 * Properties of the shard split, over random file lists and shard counts (fast-check; the seed is printed on
 * failure): every file in exactly one shard, sizes within one, independent of discovery order; and `--shard`
 * parsing accepts exactly `i/N` with 1 <= i <= N <= 1000.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseShard, shardEntries } from '../../harness/suite/suite-targets.ts';

const keyLists = fc.uniqueArray(fc.stringMatching(/^[a-z0-9/_-]{1,12}\.ts$/), { maxLength: 40 });

describe('the shard split', () => {
  it('puts every file in exactly one shard, shard sizes within one, whatever order the files were found in', () => {
    fc.assert(
      fc.property(keyLists, fc.integer({ min: 1, max: 12 }), (keys, total) => {
        const entries = keys.map((key) => ({ key, file: `/x/${key}` }));
        const reversed = [...entries].reverse();
        const shards = Array.from({ length: total }, (_, i) => shardEntries(entries, { index: i + 1, total }).map((e) => e.key));
        const again = Array.from({ length: total }, (_, i) => shardEntries(reversed, { index: i + 1, total }).map((e) => e.key));
        expect(again).toEqual(shards);
        expect(shards.flat().sort()).toEqual([...keys].sort());
        const sizes = shards.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('parses exactly i/N with 1 <= i <= N <= 1000 and refuses everything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        const m = /^(\d+)\/(\d+)$/.exec(text.trim());
        const valid = m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 1000 && Number(m[1]) >= 1 && Number(m[1]) <= Number(m[2]);
        if (valid) expect(parseShard(text)).toEqual({ index: Number(m[1]), total: Number(m[2]) });
        else expect(() => parseShard(text)).toThrow('--shard must be i/N');
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), (a, b) => {
        const [index, total] = a <= b ? [a, b] : [b, a];
        expect(parseShard(`${index}/${total}`)).toEqual({ index, total });
      }),
    );
  });
});
