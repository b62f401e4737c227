/**
 * The options of runLoad, their defaults, and their validation into a ResolvedRunLoad.
 *
 * Shapes: `resolveLoadOptions(options: RunLoadOptions): ResolvedRunLoad`. Defaults: LOAD_DEFAULTS.
 * @throws ShakedownError LOAD_INVALID (exit 2) listing every problem, one per line (`load.rate must be ...`)
 */
import { ShakedownError } from '../errors.ts';
import { isLoopbackHost, remoteTargetRefusal } from './loopback.ts';
import type { ArrivalScheduleOptions, RateStage } from './arrival-schedule.ts';
import type { PacerSpin } from './arrival-pacer.ts';
import { readOpenFileRoom } from './open-file-limit.ts';
import type { Sample } from './sample.ts';
import type { SseRule } from './stream-summary.ts';

/** What the request source returns for each request. `path` is appended to the URL's path. */
export interface SourceRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  meta?: unknown;
  /** How to read the response when it is an event stream (`text/event-stream`). Default: SSE_RULE_DEFAULTS. */
  sse?: SseRule;
}

interface RunLoadCommon {
  /** Base URL of the SUT; loopback (harness/load/loopback.ts) unless allow_remote_target. */
  url: string;
  /** Per-request timeout in ms, counted from when the request goes out on a connection. */
  timeout_ms?: number;
  /** Concurrent connections, one request in flight each (the VUs of constant-vus). */
  connections?: number;
  next: () => SourceRequest;
  onSample?: (sample: Sample) => void;
  signal?: AbortSignal;
  /** performance.now() value that sample times are relative to. Default: when load starts. */
  t0?: number;
  /** Characters of each response body kept on its sample. */
  body_cap?: number;
  /** Allows a non-loopback `url` (the CLI's --allow-remote-target). Default: false. */
  allow_remote_target?: boolean;
  /** How the open-model pacer may spin before an arrival (arrival-pacer.ts). Default 'bounded'; 'unbounded' exists for bench/ comparisons. */
  pacer_spin?: PacerSpin;
}

export type RunLoadOptions =
  | (RunLoadCommon & { executor: 'constant-vus'; duration_ms: number })
  | (RunLoadCommon & { executor: 'constant-arrival-rate'; rate: number; duration_ms: number })
  | (RunLoadCommon & {
      executor: 'ramping-arrival-rate';
      start_rate?: number;
      stages: RateStage[];
      /** Default: the sum of the stages; longer holds the last target. */
      duration_ms?: number;
    });

export const LOAD_DEFAULTS = Object.freeze({ timeout_ms: 10_000, connections: 10, body_cap: 4096, start_rate: 0 });

export interface ResolvedRunLoad {
  executor: RunLoadOptions['executor'];
  url: URL;
  /** Prefix for every request path (the URL's path without a trailing slash). */
  base_path: string;
  duration_ms: number;
  timeout_ms: number;
  connections: number;
  body_cap: number;
  /** The arrival schedule (open model), null for constant-vus. */
  schedule: ArrivalScheduleOptions | null;
}

/**
 * @param files the open-file room (default: this process's, from /proc); null skips the check. Each connection
 *   holds one socket, so more connections than the room would fail with EMFILE in mid-run.
 */
export function resolveLoadOptions(options: RunLoadOptions, files = readOpenFileRoom()): ResolvedRunLoad {
  const problems: string[] = [];
  const positive = (value: unknown, name: string, integer = false) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
      problems.push(`load.${name} must be a positive ${integer ? 'integer' : 'number'} (got ${JSON.stringify(value)})`);
    }
  };
  let url: URL | null = null;
  try {
    url = new URL(options.url);
  } catch (error) {
    problems.push(`load.url must be a URL (got ${JSON.stringify(options.url)}: ${(error as Error).message})`);
  }
  if (url && url.protocol !== 'http:') problems.push(`load.url must be an http: URL (got ${url.protocol})`);
  else if (url && !options.allow_remote_target && !isLoopbackHost(url.hostname)) {
    problems.push(`load.url: ${remoteTargetRefusal(url.hostname)}`);
  }
  if (options.timeout_ms !== undefined) positive(options.timeout_ms, 'timeout_ms');
  if (options.connections !== undefined) positive(options.connections, 'connections', true);
  if (options.body_cap !== undefined && !(Number.isInteger(options.body_cap) && options.body_cap >= 0))
    problems.push('load.body_cap must be an integer >= 0');
  if (typeof options.next !== 'function') problems.push('load.next must be a function returning the next request');

  let duration_ms = 0;
  let schedule: ArrivalScheduleOptions | null = null;
  if (options.executor === 'constant-vus') {
    positive(options.duration_ms, 'duration_ms');
    duration_ms = options.duration_ms;
  } else if (options.executor === 'constant-arrival-rate') {
    positive(options.duration_ms, 'duration_ms');
    positive(options.rate, 'rate');
    duration_ms = options.duration_ms;
    schedule = { start_rate: options.rate, stages: [{ target: options.rate, duration_ms }] };
  } else if (options.executor === 'ramping-arrival-rate') {
    const stages = Array.isArray(options.stages) ? options.stages : [];
    if (stages.length === 0) problems.push('load.stages must list at least one stage');
    stages.forEach((s, i) => {
      if (!(s.target >= 0)) problems.push(`load.stages[${i}].target must be a number >= 0`);
      if (!(s.duration_ms >= 0)) problems.push(`load.stages[${i}].duration_ms must be a number >= 0`);
    });
    if (options.start_rate !== undefined && !(options.start_rate >= 0)) problems.push('load.start_rate must be a number >= 0');
    const staged = stages.reduce((sum, s) => sum + s.duration_ms, 0);
    if (options.duration_ms !== undefined) positive(options.duration_ms, 'duration_ms');
    else if (stages.length > 0 && !(staged > 0)) problems.push('load.stages must last longer than 0 ms');
    duration_ms = options.duration_ms ?? staged;
    const hold = { target: stages.at(-1)?.target ?? 0, duration_ms: Math.max(0, duration_ms - staged) };
    schedule = { start_rate: options.start_rate ?? LOAD_DEFAULTS.start_rate, stages: [...stages, hold] };
  } else {
    problems.push(
      `load.executor must be constant-vus, constant-arrival-rate or ramping-arrival-rate (got ${JSON.stringify((options as { executor: unknown }).executor)})`,
    );
  }
  const connections = options.connections ?? LOAD_DEFAULTS.connections;
  if (files && Number.isInteger(connections) && connections > files.room) {
    const from_rate = options.executor === 'constant-vus' ? '' : ' (a scenario that leaves load.connections out gets at most this room)';
    problems.push(
      `load.connections is ${connections}, but this process may open only ${files.limit} files (soft "Max open files" in /proc/self/limits; ${files.open} already open) and each connection holds one: set load.connections to at most ${files.room}${from_rate}, or raise the limit before running (ulimit -n ${Math.max(connections * 2, 1024)})`,
    );
  }
  if (problems.length > 0 || !url) throw new ShakedownError('LOAD_INVALID', problems.join('\n'), { exitCode: 2 });
  return {
    executor: options.executor,
    url,
    base_path: url.pathname.replace(/\/$/, ''),
    duration_ms,
    timeout_ms: options.timeout_ms ?? LOAD_DEFAULTS.timeout_ms,
    connections,
    body_cap: options.body_cap ?? LOAD_DEFAULTS.body_cap,
    schedule,
  };
}
