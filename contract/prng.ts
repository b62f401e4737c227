/**
 * Seeded pseudo-random numbers, the same in the harness (request order, fault choices) and the fakes (mode
 * rolls, content choices): a 32-bit FNV-1a string hash feeding mulberry32.
 *
 * @see https://github.com/bryc/code/blob/master/jshash/PRNGs.md#mulberry32 (mulberry32, public domain)
 */

/** Hashes a string to an unsigned 32-bit integer (FNV-1a over UTF-16 code units). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Returns a generator of floats in [0, 1) from a 32-bit seed (mulberry32). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns a generator of floats in [0, 1) seeded from the parts joined with `:` (e.g. seed, fake name, mode id). */
export function seededRandom(...parts: Array<string | number>): () => number {
  return createRandom(hashString(parts.join(':')));
}
