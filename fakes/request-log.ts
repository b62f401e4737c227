/**
 * Counters and a bounded ring of request log entries for one fake: the harness's ground truth and fault evidence.
 */

/** One finished request as the fake saw it. */
export interface RequestLogEntry {
  /** Sequence number, 1-based, increasing in completion order. */
  seq: number;
  /** Arrival time, epoch milliseconds (float). */
  t_ms: number;
  method: string;
  path: string;
  /** Status sent; 0 when no response head went out (network error, client gone first). */
  status: number;
  /** Arrival to end of response (or client gone), milliseconds. */
  duration_ms: number;
  /** Id of the mode applied, or null. */
  mode: string | null;
  /** Trace id from `traceparent` (the trace-id part) or `x-shakedown-sample-id`, else null. */
  trace_id: string | null;
  /** Retrieval `POST /search` answered with results: the ids returned, in rank order (at most {@link MAX_LOGGED_IDS}). */
  returned_ids?: string[];
  /**
   * Model chat completions and responses answered with an answer: the ids the answer cites as sent, in order, with
   * repeats (a stream fault's cut answer: those of the chunks sent; at most {@link MAX_LOGGED_IDS}).
   */
  cited_ids?: string[];
  /**
   * Model calls: the text of the prompt's last user message, at most {@link MAX_USER_TEXT} characters: what the
   * harness matches a call to the sample that caused it by when the SUT forwards no trace header.
   */
  user_text?: string;
  /** The wait asked for with `retry-after`/`retry-after-ms` on this response (ms), when one was sent. */
  retry_after_ms?: number;
  /** Model calls answered with an answer: the `finish_reason` sent (`length` = cut short). */
  finish_reason?: string;
}

/** Evidence a handler attaches to a request's log entry: what the scorer checks grounding against. */
export type RequestEvidence = Pick<RequestLogEntry, 'returned_ids' | 'cited_ids' | 'user_text' | 'retry_after_ms' | 'finish_reason'>;

/** Most characters kept of a call's `user_text`. */
export const MAX_USER_TEXT = 2000;

/** Most ids kept in one entry's `returned_ids` or `cited_ids`, so the ring stays bounded in bytes too. */
export const MAX_LOGGED_IDS = 50;

/** `GET /fakes/:name/stats`: counters since start. `in_flight` is requests not yet finished (extension). */
export interface FakeStats {
  requests: number;
  in_flight: number;
  by_path: Record<string, number>;
  by_mode: Record<string, number>;
  by_status: Record<string, number>;
}

/** `GET /fakes/:name/log?since=`: entries with `seq > since`; `dropped` counts those that fell out of the ring. */
export interface LogPage {
  entries: RequestLogEntry[];
  dropped: number;
}

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
