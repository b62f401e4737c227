/**
 * The HTTP surface: GET /health, POST /ask (JSON or SSE), the FALLBACK_MODE policy, and the client's
 * disconnect aborting every downstream call of its request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FallbackMode } from './config.ts';
import type { CallContext } from './downstream.ts';
import { DependencyError, RequestAbortedError, describeError, type DependencyName } from './errors.ts';
import { extractCitations, type Answer, type RagPipeline } from './rag-pipeline.ts';

/** The fixed answer of FALLBACK_MODE=canned and FALLBACK_MODE=silent. */
export const CANNED_ANSWER = "Sorry, I can't look that up right now. Please try again in a few minutes or contact Northwind support.";

/** Request headers copied onto every downstream call. */
export const FORWARDED_HEADERS = ['traceparent', 'tracestate', 'x-shakedown-sample-id'] as const;

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_QUESTION_CHARS = 4000;

interface ErrorBody {
  error: { message: string; dependency: DependencyName | null };
}

class BadRequestError extends Error {
  readonly status: 400 | 413;
  constructor(status: 400 | 413, message: string) {
    super(message);
    this.status = status;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...extraHeaders,
  });
  res.end(payload);
}

const errorBody = (message: string, dependency: DependencyName | null): ErrorBody => ({ error: { message, dependency } });

async function readQuestion(req: IncomingMessage): Promise<{ question: string; stream: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new BadRequestError(413, `request body exceeds ${MAX_BODY_BYTES} bytes`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof BadRequestError) throw error;
    throw new RequestAbortedError(); // the client went away mid-body
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequestError(400, 'request body must be JSON: {"question": string, "stream"?: boolean}');
  }
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const { question, stream } = record;
  if (typeof question !== 'string' || question.trim() === '') {
    throw new BadRequestError(400, 'question must be a non-empty string');
  }
  if (question.length > MAX_QUESTION_CHARS) {
    throw new BadRequestError(400, `question must be at most ${MAX_QUESTION_CHARS} characters`);
  }
  if (stream !== undefined && typeof stream !== 'boolean') throw new BadRequestError(400, 'stream must be a boolean');
  return { question: question.trim(), stream: stream === true };
}

/** One SSE writer that sends its headers with the first event. */
function createSseWriter(res: ServerResponse) {
  return {
    get started() {
      return res.headersSent;
    },
    event(data: unknown) {
      if (res.destroyed || res.writableEnded) return;
      if (!res.headersSent) {
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
      }
      res.write(`data: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      if (!res.destroyed && !res.writableEnded) res.end();
    },
  };
}

export interface HandlerOptions {
  fallbackMode: FallbackMode;
  /** Aborted when the server shuts down: in-flight downstream calls stop. */
  shutdownSignal: AbortSignal;
  log: (line: string) => void;
}

export function createRequestHandler(pipeline: RagPipeline, options: HandlerOptions) {
  // canned says it fell back; silent (a careless twin) hides it; empty (a careless twin) swallows the error into
  // a 200 with no answer at all.
  const fallbackAnswer = (): Answer => ({
    answer: options.fallbackMode === 'empty' ? '' : CANNED_ANSWER,
    citations: [],
    sources: [],
    fallback: options.fallbackMode === 'canned',
    cached: false,
  });

  async function ask(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const disconnected = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) disconnected.abort();
    });
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const ctx: CallContext = { headers, signal: AbortSignal.any([disconnected.signal, options.shutdownSignal]) };

    const { question, stream } = await readQuestion(req);
    if (!stream) {
      try {
        sendJson(res, 200, pipeline.cached(question) ?? (await pipeline.ask(question, ctx)));
      } catch (error) {
        if (!(error instanceof DependencyError)) throw error;
        if (options.fallbackMode === 'error') sendJson(res, error.status, errorBody(error.message, error.dependency));
        else sendJson(res, 200, fallbackAnswer());
      }
      return;
    }

    const sse = createSseWriter(res);
    const done = (answer: Answer) => {
      sse.event({ done: true, citations: answer.citations, sources: answer.sources, fallback: answer.fallback, cached: answer.cached });
      sse.end();
    };
    const hit = pipeline.cached(question);
    if (hit) {
      sse.event({ delta: hit.answer });
      done(hit);
      return;
    }
    let partial = '';
    let sources: string[] = [];
    try {
      const answer = await pipeline.askStream(question, ctx, {
        onSources: (ids) => (sources = ids),
        onDelta: (delta) => {
          partial += delta;
          sse.event({ delta });
        },
      });
      done(answer);
    } catch (error) {
      if (!(error instanceof DependencyError)) throw error;
      if (!sse.started) {
        // Nothing sent yet: the same policy as a plain answer, with the canned text streamed.
        if (options.fallbackMode === 'error') {
          sendJson(res, error.status, errorBody(error.message, error.dependency));
        } else {
          const answer = fallbackAnswer();
          if (answer.answer !== '') sse.event({ delta: answer.answer });
          done(answer);
        }
      } else if (options.fallbackMode === 'silent' || options.fallbackMode === 'empty') {
        // The careless twins end a broken stream as if it were complete.
        const citations = extractCitations(partial, new Set(sources));
        done({ answer: partial, citations, sources: [...new Set(sources)], fallback: false, cached: false });
      } else {
        sse.event(errorBody(error.message, error.dependency));
        sse.end();
      }
    }
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return sendJson(res, 405, errorBody('use GET /health', null), { allow: 'GET, HEAD' });
      return sendJson(res, 200, { ok: true });
    }
    if (path !== '/ask') return sendJson(res, 404, errorBody(`no route ${req.method} ${path}`, null));
    if (req.method !== 'POST') return sendJson(res, 405, errorBody('use POST /ask', null), { allow: 'POST' });
    ask(req, res).catch((error: unknown) => {
      if (error instanceof RequestAbortedError) {
        res.destroy(); // the client is gone (or the server is closing): nobody to answer
        return;
      }
      if (error instanceof BadRequestError) return sendJson(res, error.status, errorBody(error.message, null));
      options.log(`rag-service: internal error on POST /ask: ${describeError(error)}`);
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, errorBody('internal error', null));
    });
  };
}
