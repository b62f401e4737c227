/**
 * The patched autocannon HTTP/1.1 client (one keep-alive connection, its request builder, response parser,
 * per-request timeout and reconnects), typed for harness/load. Only `opts.manual` clients are made: the
 * harness decides when every request goes out.
 *
 * Shapes: `createEngineClient({ url, timeout_ms })` returns an `EngineClient`; every request given to
 * `send()` ends in exactly one `'settled'` event (`SettledResponse`, `error` null on an HTTP answer).
 * @throws ShakedownError ENGINE_UNPATCHED (exit 3) when node_modules/autocannon lacks patches/autocannon+9.0.0.patch
 * @see ../../patches/autocannon+9.0.0.patch
 */
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { ShakedownError } from '../errors.ts';

export type EngineErrorKind = 'timeout' | 'reset' | 'refused' | 'closed';

/** The patched queue entry of one request, as the 'settled' event gives it. */
export interface SettledResponse {
  req: EngineRequest;
  bytes: number;
  body: string;
  /** The parser's header info: status and the flat `[name, value, ...]` header list. */
  headers: { statusCode?: number; headers?: string[] };
  startNs: bigint;
  firstByteNs: bigint | null;
  endNs: bigint;
  /** Per body chunk: [arrival (hrtime ns), body length after it]. */
  bodyChunks: Array<[bigint, number]>;
  error: EngineErrorKind | null;
}

export interface EngineRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface EngineClient extends EventEmitter {
  /** True while the client has no usable connection (waiting out a reconnect backoff). */
  readonly waiting: boolean;
  send(request: EngineRequest): void;
  destroy(): void;
  on(event: 'settled', listener: (response: SettledResponse) => void): this;
  on(event: string, listener: (...args: unknown[]) => void): this;
}

type ClientConstructor = new (opts: Record<string, unknown>) => EngineClient;

let cached: ClientConstructor | null = null;

/**
 * Most body bytes held per response: 1 MiB. What scoring reads (a JSON answer, an SSE stream's events for
 * time to first token and gaps) fits in it; the rest of a larger answer is counted in `bytes` and dropped, so a
 * 100 MB answer costs 1 MiB of harness memory, not 100 MB per request in flight (issue 15: 952 MB RSS at 3 req/s).
 */
export const BODY_READ_CAP_BYTES = 1024 * 1024;

interface QueuedRequest {
  body: string;
  bodyChunks: Array<[bigint, number]>;
  /** Body bytes held so far (this file's addition). */
  bodyBytes?: number;
  bodyCapped?: boolean;
}

/**
 * Replaces the queue's `addBody` (the patch's, which appends every chunk to `body`) with one that keeps at most
 * BODY_READ_CAP_BYTES of it; `bytes` (counted from the socket by `addByteCount`) still counts the whole answer.
 */
function capBodies(Queue: { prototype: Record<string, unknown> }): void {
  if (Queue.prototype.shakedownCapped) return;
  Queue.prototype.shakedownCapped = true;
  Queue.prototype.addBody = function (this: { peek(): QueuedRequest | undefined }, data: Buffer) {
    const req = this.peek();
    if (!req || req.bodyCapped) return;
    const room = BODY_READ_CAP_BYTES - (req.bodyBytes ?? 0);
    if (data.length > room) {
      req.bodyCapped = true;
      data = data.subarray(0, room);
    }
    req.bodyBytes = (req.bodyBytes ?? 0) + data.length;
    req.body += data.toString();
    req.bodyChunks.push([process.hrtime.bigint(), req.body.length]);
  };
}

function loadClient(): ClientConstructor {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const Client = require('autocannon/lib/httpClient.js') as ClientConstructor & { prototype: Record<string, unknown> };
  const Queue = require('autocannon/lib/pipelinedRequestsQueue.js') as new () => {
    insertRequest(req: unknown): void;
    peek(): Record<string, unknown>;
  };
  const queue = new Queue();
  queue.insertRequest({});
  if (
    typeof Client.prototype.send !== 'function' ||
    typeof Client.prototype._replaceConnection !== 'function' ||
    !Array.isArray(queue.peek().bodyChunks)
  ) {
    throw new ShakedownError(
      'ENGINE_UNPATCHED',
      'autocannon in node_modules is not patched, so it would miscount resets, closes and refusals: run scripts/setup.sh (it applies patches/autocannon+9.0.0.patch after npm ci).',
    );
  }
  capBodies(Queue as unknown as { prototype: Record<string, unknown> });
  cached = Client;
  return Client;
}

export function createEngineClient(options: { url: URL; timeout_ms: number }): EngineClient {
  const Client = loadClient();
  const { url } = options;
  return new Client({
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    host: url.host,
    port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
    timeout: options.timeout_ms / 1000,
    pipelining: 1,
    manual: true,
  });
}
