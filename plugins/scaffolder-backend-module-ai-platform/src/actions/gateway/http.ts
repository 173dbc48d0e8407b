import { CustomErrorBase } from '@backstage/errors';

const TIMEOUT_MS = 30_000;
const MAX_DETAIL_LENGTH = 500;

/** A LiteLLM or Kubernetes API call failed; the message names the call. */
export class GatewayApiError extends CustomErrorBase {
  name = 'GatewayApiError' as const;
}

/** A JSON call with a bearer token. */
export interface JsonRequest {
  /** Names the call in errors, e.g. `LiteLLM POST /team/new`. */
  label: string;
  method: 'POST' | 'PUT';
  url: string;
  token: string;
  body: unknown;
  /** Values masked in error messages besides the token. */
  secrets?: string[];
}

/** The status and parsed body (the raw text when it is not JSON). */
export interface JsonResponse {
  status: number;
  statusText: string;
  body: unknown;
}

function redact(request: JsonRequest, text: string): string {
  return [request.token, ...(request.secrets ?? [])]
    .filter(secret => secret.length > 0)
    .reduce((result, secret) => result.split(secret).join('***'), text);
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The message of an error body: LiteLLM's `error.message` or `detail`
 * (a string, `{ error }` or FastAPI's list of `{ msg }`), or the `message` of
 * a Kubernetes `Status`.
 */
function errorDetail(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value.trim() || undefined;
  }
  if (Array.isArray(value)) {
    const details = value.map(errorDetail).filter(Boolean);
    return details.length ? details.join('; ') : undefined;
  }
  if (value && typeof value === 'object') {
    const { message, msg, error, detail } = value as Record<string, unknown>;
    return (
      errorDetail(message) ??
      errorDetail(msg) ??
      errorDetail(error) ??
      errorDetail(detail)
    );
  }
  return undefined;
}

/** Sends a JSON request; fails only when no response arrives. */
export async function sendJson(request: JsonRequest): Promise<JsonResponse> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: {
        Authorization: `Bearer ${request.token}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify(request.body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause = error instanceof Error ? error.cause ?? error : error;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new GatewayApiError(
      redact(request, `${request.label} failed: ${reason}`),
    );
  }
  return {
    status: response.status,
    statusText: response.statusText,
    body: parseBody(await response.text()),
  };
}

/** Throws a GatewayApiError with the status and error message unless 2xx. */
export function assertOk(request: JsonRequest, response: JsonResponse): void {
  if (response.status >= 200 && response.status < 300) {
    return;
  }
  const status = `${response.status} ${response.statusText}`.trim();
  // Masks before truncating, so no part of a secret is left.
  const detail = redact(request, errorDetail(response.body) ?? '').slice(
    0,
    MAX_DETAIL_LENGTH,
  );
  throw new GatewayApiError(
    `${request.label} failed with ${status}${detail ? `: ${detail}` : ''}`,
  );
}
