/**
 * The closed set of error codes a client can see in `errors[].extensions.code`.
 *
 * Every error the gateway means to show is a `GatewayError`; anything else is masked by Yoga as
 * "Unexpected error." with code INTERNAL_SERVER_ERROR. Messages are written for the frontend
 * developer who reads them: they say what happened and what to change, and quote the bad value.
 * No message or extension ever carries the upstream API key.
 */
import { GraphQLError } from 'graphql';

export const ERROR_CODES = [
  /** An argument is out of range or malformed; the message names it. */
  'BAD_USER_INPUT',
  /** LlamaCloud refused the gateway's own credentials (401/403). */
  'UPSTREAM_UNAUTHORIZED',
  /** LlamaCloud is rate limiting the gateway (429). */
  'UPSTREAM_RATE_LIMITED',
  /** LlamaCloud rejected the request (other 4xx); its `detail` text is passed on. */
  'UPSTREAM_REJECTED',
  /** No such batch job (LlamaCloud answered 404 for it), wherever an error is the answer. */
  'NOT_FOUND',
  /** LlamaCloud failed (5xx) or could not be reached. */
  'UPSTREAM_UNAVAILABLE',
  /** LlamaCloud did not answer in time. */
  'UPSTREAM_TIMEOUT',
  /** LlamaCloud answered 2xx with something that is not the documented shape. */
  'UPSTREAM_BAD_RESPONSE',
  /** No valid credentials (AUTH_MODE=jwt): missing, expired, wrong audience or issuer, bad signature. */
  'UNAUTHENTICATED',
  /** Authenticated, but not allowed: another tenant's project, or a missing scope. */
  'FORBIDDEN',
  /** This client sent too many requests; wait `retryAfterSeconds`. */
  'RATE_LIMITED',
  /** The operation would cost more than MAX_COST (lists count as many times as their limit). */
  'COST_LIMIT_EXCEEDED',
  /** Not a GraphQL request the server can read (Yoga: body, method or content type). */
  'BAD_REQUEST',
  /** The request body is larger than MAX_BODY_BYTES. */
  'PAYLOAD_TOO_LARGE',
  /** This gateway is stopping (a deploy): subscribe again, and another replica carries on. */
  'SHUTTING_DOWN',
  /** A bug in the gateway; details are in its logs, never in the response. */
  'INTERNAL_SERVER_ERROR',
  // Codes Yoga sets itself, listed so the set is complete.
  /** The document is not valid GraphQL (also: over MAX_TOKENS). */
  'GRAPHQL_PARSE_FAILED',
  /** The document does not validate against the schema (also: over MAX_DEPTH, MAX_ALIASES, MAX_DIRECTIVES). */
  'GRAPHQL_VALIDATION_FAILED',
  /** A persisted-operation hash the manifest does not hold. */
  'PERSISTED_QUERY_NOT_FOUND',
  /** Only persisted operations may run (ALLOW_ARBITRARY_OPERATIONS=false). */
  'PERSISTED_QUERY_ONLY',
] as const;

export const KNOWN_ERROR_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Extensions beyond `code` that a GatewayError may carry. All are safe to show to a browser. */
export interface GatewayErrorDetails {
  /** HTTP status and headers for errors raised before execution (Yoga applies and strips these). */
  http?: { status: number; headers?: Record<string, string> };
  /** The HTTP status LlamaCloud answered with, when there was one. */
  upstreamStatus?: number;
  /** Seconds the upstream asked us to wait, when it said. */
  retryAfterSeconds?: number;
  /** The argument a BAD_USER_INPUT error is about. */
  argument?: string;
}

export class GatewayError extends GraphQLError {
  readonly code: ErrorCode;
  readonly details: GatewayErrorDetails;
  /** How long the upstream asked us to wait (Retry-After), for the retry policy. Never serialised. */
  retryAfterMs?: number;
  /** Set on failures to connect or to keep a connection: safe to retry for idempotent requests. */
  connectionFailure?: boolean;
  /** Set when the gateway itself refused the call (too many upstream requests waiting already). */
  overloaded?: boolean;
  /** LlamaCloud's `x-should-retry` answer, when it sent one: it overrides the status rules. */
  shouldRetry?: boolean;

  constructor(code: ErrorCode, message: string, details: GatewayErrorDetails = {}, cause?: unknown) {
    super(message, { extensions: { code, ...details } });
    this.name = 'GatewayError';
    this.code = code;
    this.details = details;
    // Kept for logs only: GraphQLError does not serialise `cause`.
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, enumerable: false });
  }
}

/** A GraphQL response body with one coded error, for answers given before GraphQL runs. */
export function errorResponseBody(message: string, code: ErrorCode): string {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}

/** True for a GraphQL error raised on purpose (ours, or graphql-js's own validation errors). */
export function isOriginalGraphQLError(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null ? true : isOriginalGraphQLError(error.originalError);
}

/**
 * The caller went away (client disconnect) before the upstream answered. Nobody reads this error;
 * it exists so retries and the circuit breaker can tell a cancellation from an upstream failure.
 */
export class CancelledError extends GatewayError {
  constructor() {
    super('UPSTREAM_UNAVAILABLE', 'The request was cancelled before LlamaCloud answered.');
    this.name = 'CancelledError';
  }
}

/** The one answer to "no such job", for the fields whose answer cannot be null. */
export function jobNotFound(id: string): GatewayError {
  return new GatewayError(
    'NOT_FOUND',
    `There is no batch job ${JSON.stringify(id)} (LlamaCloud knows none by that id). Check the id, or the project this gateway is pinned to.`,
    { upstreamStatus: 404 },
  );
}

/** The last event of every live stream when the gateway stops: it is no end of the job. */
export function shuttingDown(): GatewayError {
  return new GatewayError(
    'SHUTTING_DOWN',
    'This gateway is shutting down (a restart or a deploy); the job goes on. Subscribe again in a moment to keep watching it.',
  );
}

/** A BAD_USER_INPUT error about one argument, quoting the value given. */
export function badUserInput(argument: string, value: unknown, expectation: string): GatewayError {
  return new GatewayError('BAD_USER_INPUT', `Argument "${argument}" was ${JSON.stringify(value)}; ${expectation}.`, {
    argument,
  });
}

/** A thrown value as an Error: itself when it is one (promises and DataLoader want Errors). */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
