/** The dependencies the rag-service calls, as named in its error bodies. */
export type DependencyName = 'model' | 'retrieval' | 'inventory';

/** Why a dependency call failed; decides the HTTP status the service answers with. */
export type DependencyFailure =
  | 'timeout' // no answer within the knob's budget, or a stream stalled → 504
  | 'unavailable' // connection refused or reset, 429 or 5xx after retries → 503
  | 'bad_response'; // answered, but with something unusable (4xx, malformed JSON, missing fields, cut stream) → 502

const STATUS: Record<DependencyFailure, 502 | 503 | 504> = { timeout: 504, unavailable: 503, bad_response: 502 };

/** A dependency failed; `status` is what the service answers when FALLBACK_MODE=error. */
export class DependencyError extends Error {
  readonly code = 'RAG_DEPENDENCY_FAILED';
  readonly dependency: DependencyName;
  readonly failure: DependencyFailure;
  readonly status: 502 | 503 | 504;
  constructor(dependency: DependencyName, failure: DependencyFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.dependency = dependency;
    this.failure = failure;
    this.status = STATUS[failure];
  }
}

/** The client went away (or the server is shutting down); nobody is left to answer. */
export class RequestAbortedError extends Error {
  readonly code = 'RAG_REQUEST_ABORTED';
  constructor() {
    super('The client disconnected before the answer was ready.');
  }
}

/** A message that names the cause chain, for logs and error bodies (undici hides the useful part in `cause`). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    if (current instanceof Error) {
      if (current.message && !parts.includes(current.message)) parts.push(current.message);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(': ') || 'unknown error';
}
