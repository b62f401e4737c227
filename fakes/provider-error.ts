/**
 * Provider-shaped (OpenAI-style) error responses: `{"error":{"message","type","param","code"}}`.
 *
 * Every fake and the control API answer errors in this one shape so SDKs parse them as API errors.
 * @see https://platform.openai.com/docs/guides/error-codes
 */
import { HttpResponse } from 'msw';

/** The body of every error a fake returns. */
export interface ProviderErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Fields of one error; `type` defaults from the status, `param` and `code` to null. */
export interface ProviderErrorInit {
  status: number;
  message: string;
  type?: string;
  param?: string | null;
  code?: string | null;
  headers?: Record<string, string>;
}

/** The provider's `type` for a status: 400-404 `invalid_request_error`, 429 `requests`, 5xx `server_error`. */
export function errorTypeForStatus(status: number): string {
  if (status === 401) return 'invalid_request_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** Builds the JSON body of a provider error. */
export function providerErrorBody(init: ProviderErrorInit): ProviderErrorBody {
  return {
    error: {
      message: init.message,
      type: init.type ?? errorTypeForStatus(init.status),
      param: init.param ?? null,
      code: init.code ?? null,
    },
  };
}

/** Builds a provider-shaped error response (JSON, `content-type: application/json`). */
export function providerError(init: ProviderErrorInit): Response {
  return HttpResponse.json(providerErrorBody(init), { status: init.status, headers: init.headers });
}

/** The 400 a fake returns when the request body is not valid JSON. */
export function invalidJsonError(): Response {
  return providerError({
    status: 400,
    message: 'We could not parse the JSON body of your request. The API expects a JSON payload, but what was sent was not valid JSON.',
    code: 'invalid_json',
  });
}

/** The 400 for a field that is missing or has the wrong type; `param` names the field. */
export function invalidParamError(param: string, message: string): Response {
  return providerError({ status: 400, message, param, code: 'invalid_value' });
}

/**
 * Reads a request body as a JSON object, or returns the provider-shaped 400 to send instead
 * (body unreadable or not JSON: `invalid_json`; JSON but not an object: `invalid_value`).
 */
export async function readJsonObject(request: Request): Promise<Record<string, unknown> | Response> {
  let text: string;
  try {
    text = await request.text();
  } catch (error) {
    return providerError({ status: 400, message: `Could not read the request body: ${String(error)}`, code: 'invalid_body' });
  }
  return parseJsonObject(text);
}

/** Parses a request body (text) as a JSON object, or returns the provider-shaped 400 of {@link readJsonObject}. */
export function parseJsonObject(text: string): Record<string, unknown> | Response {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return error instanceof SyntaxError
      ? invalidJsonError()
      : providerError({ status: 400, message: `Could not read the request body: ${String(error)}`, code: 'invalid_body' });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return invalidParamError('body', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}
