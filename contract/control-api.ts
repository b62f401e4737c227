/**
 * The wire types between the harness and a fakes process: the control API's bodies and the IPC messages of the
 * fakes child. The body of `PUT /fakes/:name/modes/:id` is a `FakeMode` (modes.ts), checked by `validateMode`.
 */
import type { FakeKind, FakeMode } from './modes.ts';

/** One finished request as the fake saw it: an entry of `GET /fakes/:name/log`. */
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
  /**
   * Model calls: characters of text in the whole prompt (every message). A retry resends the same prompt; an agent's
   * next step (the plan, then the answer with the tool's result) sends a longer one: what tells a duplicate call of
   * one SUT request from its next step without hashing every body.
   */
  prompt_chars?: number;
  /** The wait asked for with `retry-after`/`retry-after-ms` on this response (ms), when one was sent. */
  retry_after_ms?: number;
  /** Model calls answered with an answer: the `finish_reason` sent (`length` = cut short). */
  finish_reason?: string;
}

/** Most ids kept in one entry's `returned_ids` or `cited_ids`, so the ring stays bounded in bytes too. */
export const MAX_LOGGED_IDS = 50;

/** Most characters kept of a call's `user_text`. */
export const MAX_USER_TEXT = 2000;

/** `GET /fakes/:name/stats`: counters since start. `in_flight` is requests not yet finished (extension). */
export interface FakeStats {
  requests: number;
  in_flight: number;
  by_path: Record<string, number>;
  by_mode: Record<string, number>;
  by_status: Record<string, number>;
  /**
   * TCP connections to the fake's port (extension; absent for fakes not served over HTTP, such as msw's
   * setupServer): `opened` since start, `open` now. Behind Toxiproxy each is one proxy link, the unit a toxic's
   * `toxicity` is rolled for.
   */
  connections?: { opened: number; open: number };
}

/** `GET /fakes/:name/log?since=`: entries with `seq > since`; `dropped` counts those that fell out of the ring. */
export interface LogPage {
  entries: RequestLogEntry[];
  dropped: number;
}

/** `GET /fakes/:name/modes` (extension): the modes switched on, by id. */
export interface ModesPage {
  modes: Record<string, FakeMode>;
}

/**
 * `GET /health`: p99 event-loop delay of the fakes process since start or the last `?reset=1`, milliseconds;
 * control requests refused since start for a missing or wrong token (someone other than the run tried).
 */
export interface FakesHealth {
  ok: boolean;
  event_loop_delay_p99_ms: number;
  refused_control_requests: number;
}

/**
 * The IPC messages the fakes child (`fakes/serve.ts`) sends to the harness.
 *
 * - `ready`: every fake and the control server listen; `fakes` maps each configured name to its URL and kind.
 * - `error`: the start failed (invalid config, unreadable dataset, ...); the child exits with code 1.
 * - `token-set`: the control token the harness sent ({@link FakesParentMessage}) is in force.
 */
export type FakesChildMessage =
  | { type: 'ready'; control_url: string; fakes: Record<string, { url: string; kind: FakeKind }> }
  | { type: 'error'; message: string }
  | { type: 'token-set' };

/**
 * The IPC message the harness sends the fakes child after `ready`: the run's control token, which every control
 * request must then carry as `Authorization: Bearer <token>`. Until it arrives the child refuses every control
 * request. (IPC, not env or argv: other processes of the same user can read those.)
 */
export type FakesParentMessage = { type: 'control-token'; token: string };
