import type { ErrorKind } from '../results/result-types.ts';
import type { StreamSample } from './stream-summary.ts';

/** One finished request. All times are ms (sub-millisecond floats) since `t0`. */
export interface Sample {
  /** 1, 2, 3, ... in send order; also sent as `x-shakedown-sample-id` unless the source set that header. */
  id: number;
  /** Intended start: the arrival instant (arrival-rate executors) or the send time (constant-vus). */
  start_ms: number;
  /** When the request was handed to its connection; `sent_ms - start_ms` is how late an arrival went out. */
  sent_ms: number;
  end_ms: number;
  /** end_ms - start_ms. */
  latency_ms: number;
  /** First response byte - start_ms; null when no byte came. */
  ttfb_ms: number | null;
  /** HTTP status when a status line arrived (also for a response cut short by a close), else null. */
  status: number | null;
  error_kind: ErrorKind | null;
  /** Response bytes received, status line and headers included. */
  bytes: number;
  /** Response body, first `body_cap` characters. */
  body: string;
  /** When the response was an event stream (`content-type: text/event-stream`): its tokens, timing and completion (read from the whole body); else null. */
  stream: StreamSample | null;
  meta: unknown;
}
