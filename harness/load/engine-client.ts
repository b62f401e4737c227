/**
 * The load engine's HTTP/1.1 client: autocannon 9.0.0's client (keep-alive connection, request builder,
 * response parser) extended at run time with what measurement needs; nothing in node_modules is patched.
 * Only manual clients are made: the harness decides when every request goes out (`send()`), one in flight.
 *
 * What the subclass changes, against stock 9.0.0 (each proven by a test in test/load/, see docs/measurement.md):
 *   1. A socket error, a close or a request timeout with a request in flight ends it as one 'settled' response
 *      with its own end time and an error kind (reset | refused | closed | timeout), and clears the queue, so
 *      later responses are never matched to stale start times (stock reconnected and kept its queue).
 *   2. A server that closes without answering is an error (stock counted nothing).
 *   3. A connection that never answered is replaced after a backoff from 10 ms to 1 s, not in a tight loop; a
 *      manual client whose idle connection closed reconnects on its next send().
 *   4. Each request carries monotonic nanosecond stamps (startNs, firstByteNs, endNs) and every body chunk's
 *      arrival (`bodyChunks`), so streamed responses yield time to first token and inter-token gaps.
 *   5. Nothing is sent on connect or after a response (stock sends the next request at once).
 *   6. Its own request timeout (a refreshed Node timer) instead of retimer, which passed negative delays to
 *      setTimeout (a TimeoutNegativeWarning on Node 24) and reconnected idle connections.
 *
 * Shapes: `createEngineClient({ url, timeout_ms })` returns an `EngineClient`; every request given to
 * `send()` ends in exactly one `'settled'` event (`SettledResponse`, `error` null on an HTTP answer).
 * @throws ShakedownError ENGINE_VERSION (exit 3) when the installed autocannon is not the version this file was checked against
 */
import { createRequire } from 'node:module';
import net from 'node:net';
import type { EventEmitter } from 'node:events';
import { ShakedownError } from '../errors.ts';

/** The autocannon release whose lib/httpClient.js and lib/pipelinedRequestsQueue.js this subclass was read against. */
export const AUTOCANNON_VERSION = '9.0.0';

export type EngineErrorKind = 'timeout' | 'reset' | 'refused' | 'closed';

/** One request's queue entry, as the 'settled' event gives it. */
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

/** Throws ENGINE_VERSION (exit 3) unless `version` is the autocannon release the subclass was checked against. */
export function assertEngineVersion(version: string): void {
  if (version !== AUTOCANNON_VERSION) {
    throw new ShakedownError(
      'ENGINE_VERSION',
      `autocannon ${version} is installed, but the load engine (harness/load/engine-client.ts) extends autocannon ${AUTOCANNON_VERSION}'s client and was checked against that version only: run npm ci (package-lock.json pins ${AUTOCANNON_VERSION}).`,
    );
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- autocannon's client is untyped CommonJS */
function loadClient(): ClientConstructor {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  assertEngineVersion((require('autocannon/package.json') as { version: string }).version);
  const clientPath = require.resolve('autocannon/lib/httpClient.js');
  const Client = require(clientPath) as new (opts: Record<string, unknown>) => any;
  const Queue = require('autocannon/lib/pipelinedRequestsQueue.js') as new () => any;
  const { HTTPParser } = createRequire(clientPath)('http-parser-js') as { HTTPParser: any };

  class TimedQueue extends Queue {
    insertRequest(req: unknown) {
      super.insertRequest(req);
      Object.assign(this.pendingRequests.at(-1), {
        startNs: process.hrtime.bigint(),
        firstByteNs: null,
        endNs: null,
        error: null,
        bodyChunks: [],
      });
    }
    addByteCount(count: number) {
      const entry = this.peek();
      if (entry && entry.firstByteNs === null) entry.firstByteNs = process.hrtime.bigint();
      super.addByteCount(count);
    }
    addBody(data: Buffer) {
      super.addBody(data);
      const entry = this.peek();
      if (entry) entry.bodyChunks.push([process.hrtime.bigint(), entry.body.length]);
    }
    terminateRequest() {
      const entry = super.terminateRequest();
      if (entry) entry.endNs = process.hrtime.bigint();
      return entry;
    }
  }

  // The stock constructor connects before this constructor's body runs (it calls this._connect()); the
  // overridden _connect sends nothing, so the queue and timer can be swapped right after super().
  class ManualClient extends Client {
    [key: string]: any;
    constructor(opts: Record<string, unknown>) {
      super({ ...opts, pipelining: 1 });
      this.timeoutTicker.clear();
      this.pipelinedRequests = new TimedQueue();
      this.backoffMs = 0;
      this.reconnectTimer = null;
      // armed from each send (refresh); firing with nothing in flight does nothing (a cleared Node timer cannot be refreshed)
      const timer = setTimeout(() => this.onTimeout(), this.timeout);
      this.timeoutTicker = {
        reschedule: () => timer.refresh(),
        clear: () => clearTimeout(timer),
      };
      this.parser[HTTPParser.kOnMessageComplete] = () => this.onMessageComplete();
    }

    onTimeout() {
      if (this.destroyed || this.waiting || this.pipelinedRequests.size() === 0) return;
      this.replaceConnection('timeout');
      this.emit('timeout');
    }

    onMessageComplete() {
      const entry = this.pipelinedRequests.terminateRequest();
      if (!entry) return;
      this.connAnswered = true;
      this.backoffMs = 0;
      this.emit('settled', entry);
    }

    _connect() {
      const conn = net.connect(this.opts.port, this.opts.hostname);
      this.conn = conn;
      this.waiting = false;
      this.idleClosed = false;
      this.connAnswered = false;
      let connected = false;
      conn.on('connect', () => (connected = true));
      conn.on('error', (error: Error) => {
        this.emit('connError', error);
        this.replaceConnection(connected ? 'reset' : 'refused');
      });
      conn.on('data', (chunk: Buffer) => {
        this.pipelinedRequests.addByteCount(chunk.length);
        this.parser.execute(chunk);
      });
      conn.on('end', () => {
        if (this.pipelinedRequests.size() > 0) {
          this.emit('connError', Object.assign(new Error('connection closed before the response ended'), { code: 'ECLOSED' }));
        }
        this.replaceConnection('closed');
      });
      // requests handed to send() while there was no connection go out now, and start now
      for (const pending of this.pipelinedRequests?.toArray() ?? []) {
        pending.startNs = process.hrtime.bigint();
        conn.write(pending.req.requestBuffer);
        this.timeoutTicker.reschedule();
      }
    }

    /** Drops the connection; the request in flight ends as one failed 'settled' response of this kind. */
    replaceConnection(kind: EngineErrorKind) {
      const pending = this.pipelinedRequests.toArray();
      this._destroyConnection();
      this.waiting = true;
      const endNs = process.hrtime.bigint();
      for (const entry of pending) {
        entry.endNs = endNs;
        entry.error = kind;
        this.emit('settled', entry); // listeners may send() again: queued until _connect
      }
      if (this.destroyed) return;
      if (this.pipelinedRequests.size() === 0) {
        this.idleClosed = true; // nothing to send: no reconnect loop against a server that closes idle sockets
        return;
      }
      if (kind === 'timeout' || this.connAnswered) return this._connect();
      this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 10), 1000);
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        if (!this.destroyed) this._connect();
      }, this.backoffMs);
    }

    send(request: EngineRequest) {
      this.requestIterator.setRequest(request);
      this.pipelinedRequests.insertRequest(this.requestIterator.currentRequest);
      this.timeoutTicker.reschedule();
      if (!this.waiting) this.conn.write(this.requestIterator.currentRequest.requestBuffer);
      else if (this.idleClosed) this._connect(); // writes the queue
      this.reqsMade++;
    }

    _destroyConnection() {
      super._destroyConnection();
      this.parser.reinitialize(HTTPParser.RESPONSE); // a new connection starts a new response
    }

    destroy() {
      clearTimeout(this.reconnectTimer);
      super.destroy();
    }
  }
  cached = ManualClient as unknown as ClientConstructor;
  return cached;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export function createEngineClient(options: { url: URL; timeout_ms: number }): EngineClient {
  const Client = loadClient();
  const { url } = options;
  return new Client({
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    host: url.host,
    port: Number(url.port) || 80,
    timeout: options.timeout_ms / 1000,
  });
}
