/**
 * How the gateway protects itself and LlamaCloud: retries with backoff for idempotent requests,
 * and what the circuit breaker (breaker.ts) counts as a failure. Retries are cockatiel's; this
 * module only says which failures count and how long to wait.
 */
import { DelegateBackoff, handleWhen, retry, TaskCancelledError } from 'cockatiel';
import { asAbortSignal, type CancelSignal } from '../cancellation.js';
import { CancelledError, GatewayError } from '../errors.js';
import type { Outcome } from './breaker.js';

/** Statuses worth retrying: the request did not happen, or the upstream asked us to come back. */
const RETRYABLE_STATUSES = new Set([408, 429, 502, 503, 504]);
/** Longest single backoff, whatever the attempt number. */
const MAX_BACKOFF_MS = 10_000;

/**
 * True for failures a repeated idempotent request may get past: LlamaCloud's `x-should-retry`
 * when it sent one (its SDKs obey it), else the status or a connection failure.
 */
export function isRetryable(error: unknown): error is GatewayError {
  if (!(error instanceof GatewayError) || error instanceof CancelledError) return false;
  if (error.shouldRetry !== undefined) return error.shouldRetry;
  const status = error.details.upstreamStatus;
  if (status !== undefined) return RETRYABLE_STATUSES.has(status);
  return error.connectionFailure === true;
}

/**
 * True for failures that say LlamaCloud is unwell: 5xx, 408, 429, no answer, a 2xx we cannot use.
 * Other 4xx answers are about the request, not the upstream's health, and cancellations are ours.
 */
export function countsAsUpstreamFailure(error: unknown): boolean {
  if (!(error instanceof GatewayError) || error instanceof CancelledError) return false;
  const status = error.details.upstreamStatus;
  if (status === undefined) return error.code === 'UPSTREAM_TIMEOUT' || error.connectionFailure === true;
  return status >= 500 || status === 408 || status === 429 || (status >= 200 && status < 300);
}

/**
 * What a failed call tells the circuit breaker: a cancellation nothing, another 4xx answer that
 * LlamaCloud is well (it answered), the failures above that it is not.
 */
export function breakerOutcome(error: unknown): Outcome {
  if (error instanceof CancelledError) return 'ignored';
  return countsAsUpstreamFailure(error) ? 'failure' : 'success';
}

export interface RetryOptions {
  maxRetries: number;
  baseDelayMs: number;
  /** Epoch milliseconds after which no retry may start. */
  deadline: number;
  signal?: CancelSignal;
  onRetry?: (error: GatewayError, delayMs: number) => void;
  /** Jitter source, replaceable for tests. */
  random?: () => number;
}

/**
 * Runs `attempt`, retrying retryable failures with exponential backoff and full jitter, or after
 * exactly the upstream's Retry-After when it sent one. A retry that could not start before the
 * deadline is not made: the last failure is thrown at once (for a 429, UPSTREAM_RATE_LIMITED with
 * `retryAfterSeconds`).
 */
export function withRetries<T>(options: RetryOptions, attempt: (retry: number) => Promise<T>): Promise<T> {
  if (options.maxRetries === 0) return attempt(0);
  // Nearly every call succeeds at once: the policy (a handful of objects and promise layers per
  // call) is built only after a first failure worth retrying, and the first attempt is not awaited
  // in a frame of its own (one suspended frame fewer per request in flight).
  return attempt(0).catch((error: unknown) => {
    if (!isRetryable(error)) throw error;
    return retryAfter(error, options, attempt);
  });
}

/**
 * The retry policy after a first failure worth retrying. Its first attempt throws that failure
 * again, so the policy decides on it exactly as if it had made the call.
 */
async function retryAfter<T>(
  firstFailure: GatewayError,
  options: RetryOptions,
  attempt: (retry: number) => Promise<T>,
): Promise<T> {
  const random = options.random ?? Math.random;
  let failures = 0;
  let nextDelay = 0;
  const policy = retry(
    handleWhen((error) => {
      if (!isRetryable(error)) return false;
      failures += 1;
      const exponential = Math.min(MAX_BACKOFF_MS, options.baseDelayMs * 2 ** (failures - 1));
      nextDelay = error.retryAfterMs ?? Math.round(random() * exponential);
      if (Date.now() + nextDelay >= options.deadline) return false;
      if (failures <= options.maxRetries) options.onRetry?.(error, nextDelay);
      return true;
    }),
    { maxAttempts: options.maxRetries, backoff: new DelegateBackoff(() => nextDelay) },
  );
  try {
    // cockatiel counts attempts from 0: the retry's number, for the upstream span.
    return await policy.execute(
      (context) => (context.attempt === 0 ? Promise.reject(firstFailure) : attempt(context.attempt)),
      asAbortSignal(options.signal),
    );
  } catch (error) {
    if (error instanceof TaskCancelledError) throw new CancelledError();
    throw error;
  }
}

/** The error a caller sees while the circuit is open. */
export function breakerOpenError(cooldownMs: number): GatewayError {
  return new GatewayError(
    'UPSTREAM_UNAVAILABLE',
    `LlamaCloud has been failing, so the gateway is not calling it for up to ${Math.ceil(cooldownMs / 1000)} s. Try again shortly.`,
  );
}
