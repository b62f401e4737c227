/**
 * Serves msw request handlers on a real `node:http` port through msw's `getResponse()`, and a fake's direct routes
 * (its hottest requests, see `direct-route.ts`) without msw.
 *
 * Streams response bodies chunk by chunk (each `ReadableStream` chunk is written and flushed as it comes, with
 * backpressure), bounds request bodies (413), answers unmatched routes with 404 and handler crashes with 500, all
 * in the provider error shape, and turns `HttpResponse.error()` into a dropped connection. It never lets a
 * request crash the process. (`@mswjs/http-middleware` crashes on `HttpResponse.error()`, hence this adapter.)
 * @see https://mswjs.io/docs/api/get-response
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RequestHandler, getResponse } from 'msw';
import type { DirectAnswer, DirectJson, DirectRequest, DirectRoute } from './direct-route.ts';
import type { FinishRequest, RequestHead } from './fake-runtime.ts';
import { providerErrorBody } from './provider-error.ts';
import { isConnectionResetRequest } from './sse-shaping.ts';

/** Default time for a request body to arrive in full: 10 s. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** Default request body limit: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface ServeHandlersOptions {
  /** Host to bind; default `127.0.0.1`. */
  host?: string;
  /** Port; default 0 (a free port). */
  port?: number;
  /** Request bodies larger than this get 413; default 1 MiB. */
  maxBodyBytes?: number;
  /** A request body that has not fully arrived after this long gets 408 and the connection is closed; default 10 s. */
  bodyTimeoutMs?: number;
  /** Called when a request arrives; the returned callback is called once with the status when it ends. */
  observe?: (request: RequestHead) => FinishRequest;
  /** Routes answered without msw (at most one per path); default none. */
  direct?: readonly DirectRoute[];
}

/** A running server. `close()` stops listening and destroys every open connection, held-open streams included. */
export interface ServedHandlers {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

const BODYLESS = new Set(['GET', 'HEAD']);

function sendError(res: http.ServerResponse, status: number, message: string, code: string, extra: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(providerErrorBody({ status, message, code }));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

/**
 * Reads the request body: at most `limit` bytes ('too_large' beyond), within `timeoutMs` ('timeout' when a client
 * sends part of a body and stops), 'gone' when the client disconnects mid-body. Never rejects.
 */
function readBody(req: http.IncomingMessage, limit: number, timeoutMs: number): Promise<Buffer | 'too_large' | 'timeout' | 'gone'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too_large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (value: Buffer | 'too_large' | 'timeout' | 'gone') => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onClose);
      if (value !== 'gone' && !(value instanceof Buffer)) req.pause(); // stop reading what no one will use
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) settle('too_large');
      else chunks.push(chunk);
    };
    const onEnd = () => settle(Buffer.concat(chunks));
    const onGone = () => settle('gone');
    const onClose = () => {
      if (!req.complete) settle('gone');
    };
    const timer = setTimeout(() => settle('timeout'), timeoutMs);
    req.on('data', onData).once('end', onEnd).once('error', onGone).once('close', onClose);
  });
}

function toHeaders(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  return headers;
}

async function pipeBody(body: ReadableStream<Uint8Array>, res: http.ServerResponse): Promise<void> {
  const reader = body.getReader();
  // When the client is gone, cancelling lets the body's producer stop its timers and held-open stalls. A cancel
  // that fails has no one left to report to, so its error is dropped on purpose.
  const cancel = () => {
    reader.cancel().catch((error: unknown) => void error);
  };
  if (res.destroyed) {
    cancel();
    return;
  }
  res.once('close', cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        cancel();
        return;
      }
      if (!res.write(value)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
  } catch (error) {
    if (!isConnectionResetRequest(error)) throw error;
    // stream_cut with close "reset": a TCP RST, not the body's end (sse-shaping.ts).
    if (res.socket) res.socket.resetAndDestroy();
    else res.destroy();
    return;
  } finally {
    res.off('close', cancel);
  }
  if (!res.destroyed) res.end();
}

/** Writes a `Response` from msw or a direct route (`HttpResponse.error()` drops the connection). */
async function writeResponse(response: Response, method: string, res: http.ServerResponse): Promise<void> {
  if (response.type === 'error') {
    res.destroy();
    return;
  }
  const outHeaders: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key === 'set-cookie') outHeaders[key] = response.headers.getSetCookie();
    else outHeaders[key] = value;
  });
  res.writeHead(response.status, response.statusText || undefined, outHeaders);
  if (!response.body || method === 'HEAD') {
    res.end();
    return;
  }
  res.flushHeaders();
  await pipeBody(response.body, res);
}

const byName = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * Writes a direct route's JSON answer with the status line and headers `HttpResponse.json()` gets through
 * `writeResponse` (status text `OK`, header names sorted as `Headers` iterates them), head and body in one write.
 */
function writeJson(answer: DirectJson, res: http.ServerResponse): void {
  const text = JSON.stringify(answer.body);
  const headers: Array<[string, string]> = [
    ['content-length', String(Buffer.byteLength(text))],
    ['content-type', 'application/json'],
  ];
  for (const name in answer.headers) headers.push([name, answer.headers[name]]);
  res.writeHead(200, 'OK', Object.fromEntries(headers.sort(byName)));
  res.end(text);
}

/** Decodes a body as fetch's `Request.text()` does (UTF-8, a leading byte order mark dropped). */
const utf8 = new TextDecoder();

async function answerDirect(
  answer: DirectAnswer,
  request: DirectRequest,
  options: ServeHandlersOptions,
  res: http.ServerResponse,
): Promise<void> {
  const finish = options.observe?.(request);
  res.once('close', () => finish?.(res.headersSent ? res.statusCode : 0));
  let reply: DirectJson | Response;
  try {
    reply = await answer(request);
  } catch (error) {
    sendError(
      res,
      500,
      `The fake failed while handling ${request.method} ${new URL(request.url).pathname}: ${(error as Error).message}`,
      'fake_error',
    );
    return;
  }
  if (reply instanceof Response) await writeResponse(reply, request.method, res);
  else writeJson(reply, res);
}

async function handle(
  handlers: RequestHandler[],
  routes: ReadonlyMap<string, DirectRoute>,
  baseUrl: string,
  options: ServeHandlersOptions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const aborter = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) aborter.abort();
  });
  // Only a request target spelled exactly as a direct route's path goes direct: URL parsing would leave it as it is.
  const route = routes.get(req.url ?? '');
  const direct = route !== undefined && route.method === method ? route : null;
  let url: URL | null = null;
  let headers: Headers;
  try {
    if (direct === null) {
      const parsed = new URL(req.url ?? '/', baseUrl);
      url = new URL(parsed.pathname + parsed.search, baseUrl);
    }
    headers = toHeaders(req);
  } catch (error) {
    sendError(res, 400, `Invalid request: ${(error as Error).message}`, 'invalid_request');
    return;
  }
  const bodyless = BODYLESS.has(method);
  const body = bodyless ? null : await readBody(req, limit, options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS);
  if (body === 'gone') {
    res.destroy(); // the client disconnected mid-body: no one to answer
    return;
  }
  if (body === 'timeout') {
    sendError(res, 408, `Request body not received within ${options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS} ms.`, 'request_timeout', {
      connection: 'close',
    });
    return;
  }
  if (direct !== null && body instanceof Buffer) {
    const answer = direct.claim(utf8.decode(body));
    if (answer !== null) {
      await answerDirect(answer, { method, url: baseUrl + direct.path, headers, signal: aborter.signal }, options, res);
      return;
    }
  }
  url ??= new URL(req.url ?? '/', baseUrl);
  let request: Request;
  try {
    request = new Request(url, {
      method,
      headers,
      body: body === 'too_large' || body === null ? null : new Uint8Array(body),
      signal: aborter.signal,
    });
  } catch (error) {
    // e.g. CONNECT/TRACE, which the fetch Request refuses
    sendError(res, 405, `Method not allowed: ${method} (${(error as Error).message})`, 'method_not_allowed');
    return;
  }
  const finish = options.observe?.(request);
  res.once('close', () => finish?.(res.headersSent ? res.statusCode : 0));
  if (body === 'too_large') {
    sendError(res, 413, `Request body too large: the limit is ${limit} bytes.`, 'request_too_large', { connection: 'close' });
    return;
  }
  let response: Response | undefined;
  try {
    response = await getResponse(handlers, request, { baseUrl, quiet: true });
  } catch (error) {
    sendError(res, 500, `The fake failed while handling ${method} ${url.pathname}: ${(error as Error).message}`, 'fake_error');
    return;
  }
  if (!response) {
    sendError(res, 404, `Invalid URL (${method} ${url.pathname})`, 'unknown_url');
    return;
  }
  await writeResponse(response, method, res);
}

/** Starts a `node:http` server answering with `handlers` (relative handler paths resolve against the server's own URL). */
export async function serveHandlers(handlers: RequestHandler[], options: ServeHandlersOptions = {}): Promise<ServedHandlers> {
  const host = options.host ?? '127.0.0.1';
  // Headers must arrive within 10 s and a whole request within the body timeout plus 5 s (Node's own defaults are
  // 60 s and 5 min): a client that trickles bytes cannot hold a connection for long.
  const server = http.createServer({
    noDelay: true,
    keepAliveTimeout: 5_000,
    headersTimeout: 10_000,
    requestTimeout: Math.max(10_000, (options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS) + 5_000),
  });
  let baseUrl = '';
  const routes = new Map<string, DirectRoute>();
  for (const route of options.direct ?? []) {
    if (routes.has(route.path)) throw new Error(`Two direct routes for ${route.path}: give each path one route.`);
    routes.set(route.path, route);
  }
  server.on('request', (req, res) => {
    handle(handlers, routes, baseUrl, options, req, res).catch((error: unknown) => {
      sendError(res, 500, `The fake failed: ${(error as Error)?.message ?? String(error)}`, 'fake_error');
    });
  });
  server.on('clientError', (error, socket) => {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (socket.writable && !code.startsWith('ECONN')) {
      // Bytes that are not HTTP, headers too large or too slow: still an answer in the provider's error shape.
      const [status, reason, message] =
        code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'ERR_HTTP_HEADERS_TIMEOUT'
          ? [408, 'Request Timeout', 'The request did not arrive in time.']
          : code === 'HPE_HEADER_OVERFLOW'
            ? [431, 'Request Header Fields Too Large', 'Request headers too large.']
            : [400, 'Bad Request', `Malformed HTTP request (${code || 'parse error'}).`];
      const body = JSON.stringify(providerErrorBody({ status, message, code: status === 400 ? 'invalid_request' : 'request_timeout' }));
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    } else {
      socket.destroy();
    }
  });
  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: baseUrl,
    port,
    server,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
