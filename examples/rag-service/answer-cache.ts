/** A TTL cache of answers keyed by the normalized question, bounded in size (oldest entry evicted first). */

export interface CachedAnswer {
  answer: string;
  citations: string[];
  sources: string[];
}

export interface AnswerCache {
  get(question: string): CachedAnswer | undefined;
  set(question: string, value: CachedAnswer): void;
}

export const MAX_CACHE_ENTRIES = 1000;

/** Case, surrounding space and repeated whitespace do not make a different question. */
export const cacheKey = (question: string): string => question.trim().replace(/\s+/g, ' ').toLowerCase();

/** ttlMs 0 disables the cache (get always misses, set does nothing). */
export function createAnswerCache(ttlMs: number, now: () => number = Date.now): AnswerCache {
  const entries = new Map<string, { value: CachedAnswer; expiresAt: number }>();
  return {
    get(question) {
      if (ttlMs <= 0) return undefined;
      const key = cacheKey(question);
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(question, value) {
      if (ttlMs <= 0) return;
      const key = cacheKey(question);
      entries.delete(key); // re-insert at the end: Map order is the eviction order
      entries.set(key, { value, expiresAt: now() + ttlMs });
      while (entries.size > MAX_CACHE_ENTRIES) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
    },
  };
}
