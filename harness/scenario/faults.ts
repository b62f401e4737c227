/**
 * Fault factories: plain data out, so a timeline can be validated, printed and stored.
 *
 * Network faults are real Toxiproxy toxics (names and attributes as the Toxiproxy 2.12 README lists them:
 * https://github.com/Shopify/toxiproxy#toxics), plus `down` (the proxy's `enabled: false`). Behaviour faults
 * switch a mode of the fake behind the proxy through the fakes' control API; their schema and factories are the
 * contract's (contract/index.ts), shared with the fakes.
 */
import { DEFAULT_QUOTA_WINDOW_MS, type FakeMode, type ModeFault, reportingUnknownOptions } from '../../contract/index.ts';

export { mode, type FakeMode, type ModeFault } from '../../contract/index.ts';

export const TOXIC_TYPES = ['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data'] as const;
export type ToxicType = (typeof TOXIC_TYPES)[number];
export type ToxicStream = 'upstream' | 'downstream';

/**
 * The latency of `toxic.timeout({ timeout: 0, onRemove: 'release' })`: 24 hours, longer than any window, so bytes
 * are held until the toxic is removed, when Toxiproxy's latency toxic passes on what it holds at once.
 */
export const HOLD_LATENCY_MS = 86_400_000;

/** A Toxiproxy toxic. `stream` defaults to `downstream` (responses flowing back to the SUT); `toxicity` (0..1, default 1) is rolled once per connection by Toxiproxy, not per request. */
export interface ToxicFault {
  kind: 'toxic';
  type: ToxicType;
  stream: ToxicStream;
  toxicity: number;
  attributes: Record<string, number>;
}

/** The proxy refuses connections (`enabled: false`): the dependency is down. */
export interface DownFault {
  kind: 'down';
}

export type FaultAction = ToxicFault | DownFault | ModeFault;

interface ToxicCommon {
  /** `upstream` (SUT → dependency) or `downstream` (dependency → SUT). Default `downstream`. */
  stream?: ToxicStream;
  /** Share of connections the toxic applies to, 0..1, rolled per connection. Default 1. */
  toxicity?: number;
}

function makeToxic(type: ToxicType, attributes: Record<string, number>, common: ToxicCommon): ToxicFault {
  return { kind: 'toxic', type, stream: common.stream ?? 'downstream', toxicity: common.toxicity ?? 1, attributes };
}

/** Toxic factories, one per Toxiproxy toxic type. Units follow Toxiproxy: ms, KB/s, bytes, µs. */
export const toxic = reportingUnknownOptions('toxic', {
  /** Adds `latency` ms (± `jitter` ms, default 0) to data passing through. */
  latency: (o: { latency: number; jitter?: number } & ToxicCommon): ToxicFault =>
    makeToxic('latency', { latency: o.latency, jitter: o.jitter ?? 0 }, o),
  /** Limits throughput to `rate` KB/s. */
  bandwidth: (o: { rate: number } & ToxicCommon): ToxicFault => makeToxic('bandwidth', { rate: o.rate }, o),
  /** Delays the TCP close by `delay` ms. */
  slowClose: (o: { delay: number } & ToxicCommon): ToxicFault => makeToxic('slow_close', { delay: o.delay }, o),
  /**
   * Stops all data and closes the connection after `timeout` ms; 0 holds it open for the whole window. What a held
   * request meets when the window ends is `onRemove`: `close` (default; Toxiproxy's timeout toxic closes every
   * connection it held when removed, so a hang ends in a fast connection error the client may retry) or `release`
   * (only with `timeout: 0`: the bytes are held, not dropped, and flow on when the window ends, so the held request
   * completes; built as a latency toxic of {@link HOLD_LATENCY_MS}, which Toxiproxy releases on removal).
   * @see docs/architecture.md "Window edges"
   */
  timeout: (o: { timeout: number; onRemove?: 'close' | 'release' } & ToxicCommon): ToxicFault => {
    const onRemove = o.onRemove ?? 'close';
    if (onRemove === 'close') return makeToxic('timeout', { timeout: o.timeout }, o);
    if (onRemove !== 'release' || o.timeout !== 0) {
      throw new TypeError(
        `toxic.timeout() onRemove must be 'close' or 'release', and 'release' needs timeout: 0 (Toxiproxy cannot release bytes its timeout toxic dropped), got ${JSON.stringify({ timeout: o.timeout, onRemove: o.onRemove })}`,
      );
    }
    return makeToxic('latency', { latency: HOLD_LATENCY_MS, jitter: 0 }, o);
  },
  /** Resets the connection (TCP RST) after `timeout` ms (default 0: at once). */
  resetPeer: (o: { timeout?: number } & ToxicCommon = {}): ToxicFault => makeToxic('reset_peer', { timeout: o.timeout ?? 0 }, o),
  /** Slices data into packets of `averageSize` ± `sizeVariation` bytes with `delay` µs between them. */
  slicer: (o: { averageSize: number; sizeVariation?: number; delay?: number } & ToxicCommon): ToxicFault =>
    makeToxic('slicer', { average_size: o.averageSize, size_variation: o.sizeVariation ?? 0, delay: o.delay ?? 0 }, o),
  /** Closes the connection after `bytes` bytes have passed. */
  limitData: (o: { bytes: number } & ToxicCommon): ToxicFault => makeToxic('limit_data', { bytes: o.bytes }, o),
  /** The proxy is disabled: connections are refused for the fault window. */
  down: (): DownFault => ({ kind: 'down' }),
});

/** A short label for a fault action: `latency 2000±200ms`, `down`, `http_error 429 @30%`. */
export function describeFault(action: FaultAction): string {
  if (action.kind === 'down') return 'down';
  if (action.kind === 'toxic') {
    const a = action.attributes;
    const detail =
      action.type === 'latency' && a.latency === HOLD_LATENCY_MS
        ? 'hold (released when removed)'
        : action.type === 'latency'
          ? `${a.latency}${a.jitter ? `±${a.jitter}` : ''}ms`
          : action.type === 'bandwidth'
            ? `${a.rate}KB/s`
            : action.type === 'slow_close'
              ? `${a.delay}ms`
              : action.type === 'timeout' && a.timeout === 0
                ? 'hold (no data, closed when removed)'
                : action.type === 'reset_peer' && a.timeout === 0
                  ? 'at once'
                  : action.type === 'timeout' || action.type === 'reset_peer'
                    ? `${a.timeout}ms`
                    : action.type === 'limit_data'
                      ? `${a.bytes}B`
                      : `${a.average_size}B/${a.delay}µs`;
    const share = action.toxicity < 1 ? ` @${Math.round(action.toxicity * 100)}% of connections` : '';
    return `${action.type} ${detail} ${action.stream}${share}`;
  }
  const m = action.mode;
  return `${describeMode(m)}${m.rate < 1 ? ` @${Math.round(m.rate * 100)}%` : ''}${describeWhen(m.when)}${m.paths ? ` on ${m.paths.join(', ')}` : ''}`;
}

/** A mode's own part of its label: `http_error 429 retry-after 1s`, `stream_cut after 3 chunks (reset)`. */
function describeMode(m: FakeMode): string {
  switch (m.kind) {
    case 'http_error': {
      const hint = m.retry_hint && m.retry_hint !== 'headers' ? ` (${m.retry_hint})` : '';
      return `http_error ${m.status}${m.retry_after_s !== undefined ? ` retry-after ${m.retry_after_s}s${hint}` : ''}`;
    }
    case 'stream_stall': {
      const resume = m.resume_after_ms !== undefined ? ` for ${m.resume_after_ms}ms` : '';
      const ping = m.keepalive_ms !== undefined ? ` pinging every ${m.keepalive_ms}ms` : '';
      return `stream_stall after ${m.after_chunks} chunks${resume}${ping}`;
    }
    case 'stream_cut': {
      const at = m.after_bytes !== undefined ? `${m.after_bytes} bytes` : `${m.after_chunks} chunks`;
      return `stream_cut after ${at}${m.close === 'reset' ? ' (reset)' : ''}`;
    }
    case 'stream_error':
      return `stream_error after ${m.after_chunks} chunks`;
    case 'stream_drip':
      return `stream_drip ${m.chunk_delay_ms}ms/chunk`;
    case 'stream_length':
      return `stream_length ${m.chunks} chunks`;
    case 'body_size':
      return `body_size ${m.bytes}B`;
    case 'quota': {
      const limits = [m.rpm !== undefined ? `${m.rpm} requests` : '', m.tpm !== undefined ? `${m.tpm} tokens` : ''].filter(Boolean);
      return `quota ${limits.join(' + ')} per ${m.window_ms ?? DEFAULT_QUOTA_WINDOW_MS}ms per key`;
    }
    default:
      return m.kind;
  }
}

/** ` [nth 3]`, ` [first 5]`, ` [every 4]`, ` [once per request]`, or nothing. */
function describeWhen(when: FakeMode['when']): string {
  if (when === undefined) return '';
  if (when.nth !== undefined) return ` [nth ${when.nth}]`;
  if (when.first !== undefined) return ` [first ${when.first}]`;
  if (when.every !== undefined) return ` [every ${when.every}]`;
  return ' [once per request]';
}
