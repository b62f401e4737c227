/**
 * Reads a streamed (`text/event-stream`) response into its timing and content: when each token event arrived,
 * whether the stream completed, and the text it carried. The engine records each body chunk's arrival
 * (patches/autocannon+9.0.0.patch, `bodyChunks`); the chunks are fed to the SSE parser in arrival order, so an
 * event's time is the arrival of the chunk that completed it (its blank line).
 *
 * Which events count is a rule (`SseRule`, defaults SSE_RULE_DEFAULTS), set per request source in a scenario
 * (`dataset.ask(path, { stream: true, sse: {...} })`):
 *   - token event: the first of `token` (dot paths into the event's JSON data, `choices.0.delta.content`)
 *     holding a non-empty string; that string is the token's text.
 *   - completion: a `data:` payload listed in `done_data` (`[DONE]`), or an event where a `done` path holds
 *     `true` or a non-empty string (`done: true`, `finish_reason: "stop"`).
 *   - error event: an event named `error`, or one where an `error` path holds a value other than null/false.
 * A stream is aborted when it did not complete before an error event, the connection failed or the body ended.
 *
 * Shapes: `summarizeStream({ body, chunks, rule, start_ms, failed })` → `StreamSample`; times are ms on the
 * caller's clock (the same as `start_ms`).
 */
import { createSseParser } from './sse-parser.ts';

export interface SseRule {
  token: readonly string[];
  done: readonly string[];
  done_data: readonly string[];
  error: readonly string[];
}

export const SSE_RULE_DEFAULTS: Readonly<SseRule> = Object.freeze({
  token: Object.freeze(['delta', 'choices.0.delta.content', 'text']),
  done: Object.freeze(['done', 'finish_reason', 'choices.0.finish_reason']),
  done_data: Object.freeze(['[DONE]']),
  error: Object.freeze(['error']),
});

/** Fills the fields a scenario left out from SSE_RULE_DEFAULTS (a given list replaces the default list). */
export function resolveSseRule(options: Partial<SseRule> = {}): SseRule {
  return {
    token: options.token ?? SSE_RULE_DEFAULTS.token,
    done: options.done ?? SSE_RULE_DEFAULTS.done,
    done_data: options.done_data ?? SSE_RULE_DEFAULTS.done_data,
    error: options.error ?? SSE_RULE_DEFAULTS.error,
  };
}

export type StreamAbortReason = 'error_event' | 'connection' | 'no_completion';

/** What one streamed response did. */
export interface StreamSample {
  /** First token event − start_ms; null when no token came. */
  ttft_ms: number | null;
  /** Mean gap between consecutive token events; null with fewer than two. */
  itl_ms: number | null;
  /** Every gap between consecutive token events, in order (ms). */
  gaps_ms: number[];
  tokens: number;
  /** Every SSE event dispatched. */
  events: number;
  completed: boolean;
  aborted: boolean;
  /** Why it aborted: an error event, the connection failed (timeout, reset, close), or the body ended without a completion event. */
  abort_reason: StreamAbortReason | null;
  /** The token texts concatenated: the streamed answer. */
  text: string;
  /** The completion event's JSON data when it was a JSON object (`{"done": true, "citations": [...]}`), else null. */
  final: Record<string, unknown> | null;
  /** The first error event's JSON data (or its raw data), else null. */
  error: unknown;
}

/** A body chunk: when it arrived and the body length after it. */
export interface BodyChunk {
  t_ms: number;
  end: number;
}

function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not JSON: only `done_data` and the event name can classify it
  }
}

export function summarizeStream(o: {
  body: string;
  chunks: readonly BodyChunk[];
  rule: SseRule;
  start_ms: number;
  failed: boolean;
}): StreamSample {
  const { rule } = o;
  const parser = createSseParser();
  const tokenTimes: number[] = [];
  let text = '';
  let events = 0;
  let completed = false;
  let errorEvent = false;
  let final: Record<string, unknown> | null = null;
  let error: unknown = null;
  let from = 0;
  for (const chunk of o.chunks) {
    if (chunk.end <= from) continue;
    for (const event of parser.push(o.body.slice(from, chunk.end))) {
      events++;
      if (completed || errorEvent) continue; // what follows the end of the stream does not count
      const payload = event.data.trim();
      const json = parseJson(event.data);
      if (
        event.type === 'error' ||
        rule.error.some((p) => {
          const v = readPath(json, p);
          return v !== undefined && v !== null && v !== false;
        })
      ) {
        errorEvent = true;
        const first = rule.error.map((p) => readPath(json, p)).find((v) => v !== undefined && v !== null && v !== false);
        error = first ?? json ?? event.data;
        continue;
      }
      for (const p of rule.token) {
        const v = readPath(json, p);
        if (typeof v === 'string' && v.length > 0) {
          tokenTimes.push(chunk.t_ms);
          text += v;
          break;
        }
      }
      if (
        rule.done_data.includes(payload) ||
        rule.done.some((p) => {
          const v = readPath(json, p);
          return v === true || (typeof v === 'string' && v.length > 0);
        })
      ) {
        completed = true;
        if (typeof json === 'object' && json !== null && !Array.isArray(json)) final = json as Record<string, unknown>;
      }
    }
    from = chunk.end;
  }
  const gaps_ms: number[] = [];
  for (let i = 1; i < tokenTimes.length; i++) gaps_ms.push(tokenTimes[i] - tokenTimes[i - 1]);
  const abort_reason: StreamAbortReason | null = completed ? null : errorEvent ? 'error_event' : o.failed ? 'connection' : 'no_completion';
  return {
    ttft_ms: tokenTimes.length ? tokenTimes[0] - o.start_ms : null,
    itl_ms: gaps_ms.length ? gaps_ms.reduce((a, b) => a + b, 0) / gaps_ms.length : null,
    gaps_ms,
    tokens: tokenTimes.length,
    events,
    completed,
    aborted: !completed,
    abort_reason,
    text,
    final,
    error,
  };
}

/** Whether a response's headers (the engine's flat `[name, value, ...]` list) say `content-type: text/event-stream`. */
export function isEventStream(rawHeaders: readonly string[] | undefined): boolean {
  if (!rawHeaders) return false;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === 'content-type') return rawHeaders[i + 1].trim().toLowerCase().startsWith('text/event-stream');
  }
  return false;
}
