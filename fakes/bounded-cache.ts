/**
 * A small bounded cache for pure computations over texts that recur: `quick-lru` (least recently used evicted
 * first, approximately: two generations of `Map`, each of `capacity / 2`), plus two things it does not do: keys
 * longer than `maxKeyLength` are never stored, and a stored key is copied so it cannot keep the request body it
 * was cut from alive.
 *
 * The model fake analyses the same context documents in nearly every prompt (a RAG app sends them again and
 * again); caching that analysis removed most of the answerer's cost in benchmark B3 (issue 5). Values are shared
 * between callers, so they must be treated as read-only.
 * @see https://github.com/sindresorhus/quick-lru
 */
import QuickLRU from 'quick-lru';

/** Options of {@link createBoundedCache}. */
export interface BoundedCacheOptions {
  /** Most entries held; an even integer >= 2. */
  capacity: number;
  /**
   * Longest key (UTF-16 code units) that is cached; a longer one is computed every time. Keys are request texts,
   * so this and `capacity` bound the memory the keys hold: at most `capacity × (maxKeyLength + 1) × 2` bytes.
   */
  maxKeyLength: number;
}

export interface BoundedCache<V> {
  /** The value stored for `key`, or `compute(key)` (stored if the key is short enough) on a miss. */
  get(key: string, compute: (key: string) => V): V;
  /** Entries held, at most the capacity. */
  readonly size: number;
}

/**
 * A copy of `text` that keeps nothing else alive. A substring may be a V8 "sliced string" that holds on to the
 * whole string it was cut from (a line of a 1 MiB request body would keep the body); slicing a fresh concatenation
 * leaves a string whose parent is only one character longer than itself.
 */
const detached = (text: string) => (' ' + text).slice(1);

/** Creates an empty cache; throws a RangeError for a capacity that is not an even integer >= 2. */
export function createBoundedCache<V>(options: BoundedCacheOptions): BoundedCache<V> {
  const { capacity, maxKeyLength } = options;
  if (!Number.isInteger(capacity) || capacity < 2 || capacity % 2 !== 0) {
    throw new RangeError(`capacity must be an even integer >= 2, got ${capacity}`);
  }
  // quick-lru holds up to maxSize entries in each of its two generations.
  const lru = new QuickLRU<string, { value: V }>({ maxSize: capacity / 2 });
  return {
    get(key, compute) {
      if (key.length > maxKeyLength) return compute(key);
      const hit = lru.get(key);
      if (hit !== undefined) return hit.value;
      key = detached(key); // what `compute` cuts from it is then as small as the key
      const value = compute(key);
      lru.set(key, { value });
      return value;
    },
    get size() {
      return lru.size;
    },
  };
}
