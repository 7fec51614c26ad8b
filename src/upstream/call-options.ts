/**
 * What a caller of the upstream client says about one call, whatever its route, and what it
 * hears back about each exchange made for it.
 */
import type { CancelSignal } from '../cancellation.js';
import type { ErrorCode } from '../errors.js';

/** What one upstream exchange did, for the request log. Contains no secrets. */
export interface UpstreamCall {
  route: string;
  method: string;
  /** The HTTP status, or null when no answer came. */
  status: number | null;
  durationMs: number;
  errorCode?: ErrorCode;
  /** True when this request joined an identical one in flight (or the cache) instead. */
  shared?: boolean;
}

export interface CallOptions {
  /** Aborts this caller's wait (a client that went away). */
  signal?: CancelSignal;
  /** Epoch milliseconds by which the whole call, retries included, must be over. */
  deadline?: number;
  /** Told about every upstream exchange made for this call. */
  onCall?: (call: UpstreamCall) => void;
  /**
   * Skip coalescing and the micro-cache: the answer must be newer than this call (reading a job
   * back after changing it).
   */
  fresh?: boolean;
  /**
   * With the micro-cache on, told for each answer until when (epoch milliseconds) it may be served
   * from the cache: what was computed from it may be served no longer than that either.
   */
  onAnswerExpiry?: (until: number) => void;
}

/** Without a request deadline (calls outside GraphQL), an hour is as good as none. */
const NO_DEADLINE_MS = 3_600_000;

/** The call's deadline in epoch milliseconds: its own, or an hour from now. */
export function deadlineOf(options: CallOptions): number {
  return options.deadline ?? Date.now() + NO_DEADLINE_MS;
}
