/**
 * Fault factories: plain data out, so a timeline can be validated, printed and stored.
 *
 * Network faults are real Toxiproxy toxics (names and attributes as the Toxiproxy 2.12 README lists them:
 * https://github.com/Shopify/toxiproxy#toxics), plus `down` (the proxy's `enabled: false`). Behaviour faults
 * switch a mode of the fake behind the proxy through the fakes' control API; their schema and factories are the
 * contract's (contract/index.ts), shared with the fakes.
 */
import { DEFAULT_QUOTA_WINDOW_MS, type ModeFault, reportingUnknownOptions } from '../../contract/index.ts';

export { mode, type FakeMode, type ModeFault } from '../../contract/index.ts';

export const TOXIC_TYPES = ['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data'] as const;
export type ToxicType = (typeof TOXIC_TYPES)[number];
export type ToxicStream = 'upstream' | 'downstream';

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
  /** Stops all data and closes the connection after `timeout` ms; 0 holds it open forever. */
  timeout: (o: { timeout: number } & ToxicCommon): ToxicFault => makeToxic('timeout', { timeout: o.timeout }, o),
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
      action.type === 'latency'
        ? `${a.latency}${a.jitter ? `±${a.jitter}` : ''}ms`
        : action.type === 'bandwidth'
          ? `${a.rate}KB/s`
          : action.type === 'slow_close'
            ? `${a.delay}ms`
            : action.type === 'timeout' || action.type === 'reset_peer'
              ? `${a.timeout}ms`
              : action.type === 'limit_data'
                ? `${a.bytes}B`
                : `${a.average_size}B/${a.delay}µs`;
    const share = action.toxicity < 1 ? ` @${Math.round(action.toxicity * 100)}% of connections` : '';
    return `${action.type} ${detail} ${action.stream}${share}`;
  }
  const m = action.mode;
  const share = m.rate < 1 ? ` @${Math.round(m.rate * 100)}%` : '';
  if (m.kind === 'http_error')
    return `http_error ${m.status}${m.retry_after_s !== undefined ? ` retry-after ${m.retry_after_s}s` : ''}${share}`;
  if (m.kind === 'stream_stall' || m.kind === 'stream_cut') return `${m.kind} after ${m.after_chunks} chunks${share}`;
  if (m.kind === 'quota') {
    const limits = [m.rpm !== undefined ? `${m.rpm} requests` : '', m.tpm !== undefined ? `${m.tpm} tokens` : ''].filter(Boolean);
    return `quota ${limits.join(' + ')} per ${m.window_ms ?? DEFAULT_QUOTA_WINDOW_MS}ms per key`;
  }
  return `${m.kind}${share}`;
}
