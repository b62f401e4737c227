/**
 * Counters and a bounded ring of request log entries for one fake: the harness's ground truth and fault evidence.
 */
import { type FakeStats, type LogPage, MAX_LOGGED_IDS, MAX_USER_TEXT, type RequestLogEntry } from '../contract/index.ts';

/** Evidence a handler attaches to a request's log entry: what the scorer checks grounding against. */
export type RequestEvidence = Pick<
  RequestLogEntry,
  'returned_ids' | 'cited_ids' | 'user_text' | 'prompt_chars' | 'retry_after_ms' | 'finish_reason'
>;

export { MAX_USER_TEXT };

/** Distinct keys kept per counter map (paths, modes, statuses); later new keys count under `(other)`. */
export const MAX_COUNTER_KEYS = 1000;

/** Default ring capacity (entries). */
export const REQUEST_LOG_CAPACITY = 50_000;

export interface RequestLog {
  /** Counts an arriving request. */
  arrived(path: string): void;
  /** Counts a mode applied to a request. */
  modeApplied(id: string): void;
  /** Records a finished request (assigns `seq`). */
  finished(entry: Omit<RequestLogEntry, 'seq'>): void;
  stats(): FakeStats;
  page(since: number): LogPage;
}

/** Creates counters and a ring of `capacity` entries (default 50,000). */
export function createRequestLog(capacity: number = REQUEST_LOG_CAPACITY): RequestLog {
  const ring: Array<RequestLogEntry | undefined> = new Array(capacity);
  let lastSeq = 0;
  let requests = 0;
  let inFlight = 0;
  const byPath: Record<string, number> = {};
  const byMode: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  const bump = (map: Record<string, number>, key: string) => {
    const bucket = key in map || Object.keys(map).length < MAX_COUNTER_KEYS ? key : '(other)';
    map[bucket] = (map[bucket] ?? 0) + 1;
  };
  return {
    arrived(path) {
      requests++;
      inFlight++;
      bump(byPath, path);
    },
    modeApplied(id) {
      bump(byMode, id);
    },
    finished(entry) {
      inFlight = Math.max(0, inFlight - 1);
      bump(byStatus, String(entry.status));
      lastSeq++;
      const stored: RequestLogEntry = { seq: lastSeq, ...entry };
      if (stored.returned_ids) stored.returned_ids = stored.returned_ids.slice(0, MAX_LOGGED_IDS);
      if (stored.cited_ids) stored.cited_ids = stored.cited_ids.slice(0, MAX_LOGGED_IDS);
      if (stored.user_text !== undefined) stored.user_text = stored.user_text.slice(0, MAX_USER_TEXT);
      ring[lastSeq % capacity] = stored;
    },
    stats() {
      return { requests, in_flight: inFlight, by_path: { ...byPath }, by_mode: { ...byMode }, by_status: { ...byStatus } };
    },
    page(since) {
      const from = Math.max(0, Math.floor(since)) + 1;
      const oldest = Math.max(1, lastSeq - capacity + 1);
      const start = Math.max(from, oldest);
      const entries: RequestLogEntry[] = [];
      for (let seq = start; seq <= lastSeq; seq++) entries.push(ring[seq % capacity] as RequestLogEntry);
      return { entries, dropped: Math.max(0, Math.min(oldest, lastSeq + 1) - from) };
    },
  };
}
