/**
 * Turns what LlamaCloud (or the network) did into the gateway's coded errors. The one place that
 * knows how upstream statuses, FastAPI error bodies and undici's failures map to error codes.
 */
import { GatewayError } from '../errors.js';
import { retryAfterMs } from './retry-after.js';

type Headers = Record<string, string | string[] | undefined>;

const MAX_DETAIL_CHARS = 500;

/**
 * The human text of a FastAPI error body: `{ "detail": "text" }`, or for validation errors
 * `{ "detail": [{ "loc": [...], "msg": "..." }] }`. Null when the body is anything else (an HTML page
 * from a proxy, nothing at all).
 */
export function describeUpstreamDetail(bodyText: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || !('detail' in parsed)) return null;
  const { detail } = parsed;
  let text: string | null = null;
  if (typeof detail === 'string') text = detail;
  else if (Array.isArray(detail)) {
    const parts = detail.map((entry: unknown) => {
      if (typeof entry !== 'object' || entry === null) return String(entry);
      const { loc, msg } = entry as { loc?: unknown; msg?: unknown };
      const where = Array.isArray(loc) ? loc.map(String).join('.') : '';
      const what = typeof msg === 'string' ? msg : JSON.stringify(entry);
      return where ? `${where}: ${what}` : what;
    });
    text = parts.join('; ');
  } else if (detail !== null && detail !== undefined) text = JSON.stringify(detail);
  if (!text) return null;
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text;
}

/**
 * The error for a non-2xx answer. `bodyText` is the (already consumed) response body; `scrub`
 * cleans the upstream text quoted to the client, after decoding.
 */
export function errorFromStatus(
  status: number,
  headers: Headers,
  bodyText: string,
  scrub: (text: string) => string = (text) => text,
): GatewayError {
  const error = errorForStatus(status, headers, bodyText, scrub);
  const waitMs = retryAfterMs(headers);
  if (waitMs !== null) error.retryAfterMs = waitMs;
  // LlamaCloud's SDKs obey `x-should-retry` over their own status rules: so does the retry policy.
  const shouldRetry = headers['x-should-retry'];
  if (shouldRetry === 'true' || shouldRetry === 'false') error.shouldRetry = shouldRetry === 'true';
  return error;
}

function errorForStatus(
  status: number,
  headers: Headers,
  bodyText: string,
  scrub: (text: string) => string,
): GatewayError {
  const upstreamStatus = status;
  if (status === 401 || status === 403) {
    return new GatewayError(
      'UPSTREAM_UNAUTHORIZED',
      `LlamaCloud refused the gateway's credentials (HTTP ${status}). This is a gateway configuration problem, not something the client can fix: its operator must check the API key, its region and the project it belongs to.`,
      { upstreamStatus },
    );
  }
  if (status === 429) {
    const waitMs = retryAfterMs(headers);
    const retryAfterSeconds = waitMs === null ? undefined : Math.ceil(waitMs / 1000);
    return new GatewayError(
      'UPSTREAM_RATE_LIMITED',
      retryAfterSeconds === undefined
        ? 'LlamaCloud is rate limiting the gateway (HTTP 429). Wait a little before retrying.'
        : `LlamaCloud is rate limiting the gateway (HTTP 429). Retry after ${retryAfterSeconds} seconds.`,
      retryAfterSeconds === undefined ? { upstreamStatus } : { upstreamStatus, retryAfterSeconds },
    );
  }
  if (status >= 400 && status < 500) {
    const described = describeUpstreamDetail(bodyText);
    const detail = described === null ? null : scrub(described);
    return new GatewayError(
      'UPSTREAM_REJECTED',
      detail === null
        ? `LlamaCloud rejected the request (HTTP ${status}).`
        : `LlamaCloud rejected the request (HTTP ${status}): ${detail}`,
      { upstreamStatus },
    );
  }
  return new GatewayError('UPSTREAM_UNAVAILABLE', `LlamaCloud is unavailable (HTTP ${status}). Try again shortly.`, {
    upstreamStatus,
  });
}

/**
 * The error for a request that got no HTTP answer. `timedOut` says the gateway's own deadline
 * fired; undici's header/body timeouts are recognised by their stable codes.
 */
export function errorFromException(error: unknown, timeoutMs: number, timedOut: boolean): GatewayError {
  if (error instanceof GatewayError) return error;
  const code = upstreamErrorCode(error);
  if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new GatewayError(
      'UPSTREAM_TIMEOUT',
      `LlamaCloud did not answer within ${timeoutMs} ms. Try again, or ask for less (a smaller limit).`,
      {},
      error,
    );
  }
  const reason = code ? ` (${code})` : '';
  const failure = new GatewayError(
    'UPSTREAM_UNAVAILABLE',
    `The gateway could not get an answer from LlamaCloud${reason}. Try again shortly.`,
    {},
    error,
  );
  failure.connectionFailure = true;
  return failure;
}

/** A 2xx answer the gateway cannot use. `problem` says what was wrong, without echoing the body. */
export function badResponse(problem: string, upstreamStatus: number): GatewayError {
  return new GatewayError(
    'UPSTREAM_BAD_RESPONSE',
    `LlamaCloud answered with a body the gateway cannot use (${problem}). This is not something the client can fix; retrying may help if it was a glitch.`,
    { upstreamStatus },
  );
}

/** The stable `code` of a network or undici error, or of its cause. */
export function upstreamErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === 'string') return code;
  return cause === undefined ? undefined : upstreamErrorCode(cause);
}
