/**
 * What every handler factory takes besides its options: the fake's run-time state and where its paths live.
 */
import type { FakeKind } from '../contract/index.ts';
import { type FakeRuntime, createFakeRuntime } from './fake-runtime.ts';

export interface HandlerContext {
  /** Modes, rolls and the request log; default a fresh runtime named after the kind, seed 0. */
  runtime?: FakeRuntime;
  /**
   * Absolute origin the handler paths live under (e.g. `https://api.openai.test` for `setupServer`); default
   * none: relative paths, which the port adapter resolves against its own URL.
   */
  baseUrl?: string;
}

export interface ResolvedHandlerContext {
  runtime: FakeRuntime;
  /** Turns a handler path into the pattern msw matches. */
  at(path: string): string;
}

export function resolveHandlerContext(kind: FakeKind, context: HandlerContext): ResolvedHandlerContext {
  const base = context.baseUrl?.replace(/\/+$/, '') ?? '';
  return {
    runtime: context.runtime ?? createFakeRuntime({ name: kind, kind }),
    at: (path) => base + path,
  };
}

/** Waits `ms` milliseconds, or less if `signal` aborts first; never rejects. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
