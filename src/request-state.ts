/**
 * The one owner of a request's state: what the stages learn about a request as it passes
 * (who calls, what it runs, which upstream calls it made, how its answer was shared), read at
 * the end by the request log. Every stage reads and writes it through `requestState`; nothing
 * else keeps per-request state.
 *
 * The state is a property of the request under a symbol of this module. A WeakMap from request
 * to state would do the same, but V8 processes a WeakMap's table of short-lived keys at every
 * young-generation collection; with the other per-request maps it cost up to a fifth of the
 * gateway's CPU under load (measured with an A/B of two builds).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionResult } from 'graphql';
import { Cancellation, type CancelSignal } from './cancellation.js';
import type { ExecutionLead } from './sharing/shared-answer.js';
import type { UpstreamCall } from './upstream/call-options.js';

/** Who is calling. `subject` is null when authentication is off. */
export interface Viewer {
  subject: string | null;
  /** Scopes and roles from the token (`scope`, `scp`, `roles`), for authorization checks. */
  grants: ReadonlySet<string>;
}

export const ANONYMOUS: Viewer = { subject: null, grants: new Set() };

export interface RequestState {
  requestId: string;
  /** Set once the caller is authenticated (before parsing). */
  viewer?: Viewer;
  started: number;
  path?: string;
  operationName?: string;
  operationType?: string;
  /** True when an identical query executing (or kept) answered this request. */
  sharedExecution?: boolean;
  /** Set by shared execution while this request leads an execution identical ones may join. */
  executionLead?: ExecutionLead;
  /** The `extensions.code` of every error in the GraphQL result sent. */
  errorCodes?: string[];
  upstream: UpstreamCall[];
  /**
   * Set by shared execution before the context is built: the signal this request's upstream calls
   * obey instead of its own (its lead's, which aborts when every client sharing it has gone).
   */
  upstreamSignal?: CancelSignal;
  /** Set by shared execution with the micro-cache on: told until when each upstream answer used may be served. */
  onAnswerExpiry?: (until: number) => void;
  /** Made on first use by `clientGone`. */
  clientGone?: CancelSignal;
  /**
   * Set by the fast path (sharing/fast-path.ts) when it hands a request on to Yoga after taking
   * the caller's rate limit: the seconds the caller must wait (0: allowed). The caller checks then
   * refuse or pass by it instead of taking the limit a second time.
   */
  rateLimitWait?: number;
  /**
   * Set by the fast path when it executed the request but leaves the answer to Yoga (the result
   * holds errors, or the client left): Yoga answers with this result instead of executing again.
   */
  executed?: ExecutionResult;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * A request's state as it starts, from the `x-request-id` it sent: that id when it is a sensible
 * one, otherwise a fresh one.
 */
export function newRequestState(givenId: string | null): RequestState {
  return {
    requestId: givenId && REQUEST_ID.test(givenId) ? givenId : randomUUID(),
    started: performance.now(),
    upstream: [],
  };
}

const STATE = Symbol('request state');
type Tracked = Request & { [STATE]?: RequestState };

/** The state of a request, created on first use (whichever stage touches it first). */
export function requestState(request: Request): RequestState {
  return ((request as Tracked)[STATE] ??= newRequestState(request.headers.get('x-request-id')));
}

const HANDED_OVER = Symbol('request state handed over');
type HandedOver = IncomingMessage & { [HANDED_OVER]?: RequestState };

/** Gives Yoga a request the fast path began (sharing/fast-path.ts) with what the fast path learnt. */
export function handOver(req: IncomingMessage, state: RequestState): void {
  (req as HandedOver)[HANDED_OVER] = state;
}

/**
 * Makes the state the fast path handed over (if any) this Fetch request's state: the request
 * keeps its id, start time and caller. Called by Yoga's first hook, before any stage reads it.
 */
export function adoptHandedOver(request: Request, serverContext: unknown): void {
  const state = (serverContext as { req?: HandedOver } | undefined)?.req?.[HANDED_OVER];
  if (state) (request as Tracked)[STATE] = state;
}

/**
 * A signal that aborts when the client goes away before its response is sent. From the Node
 * response when there is one: two listeners on it cost far less than the Fetch request's signal,
 * which whatwg-node serves through a Proxy that every property read of the signal's EventTarget
 * goes through. Without one (a request given to `yoga.fetch`), the request's own signal.
 */
export function clientGone(request: Request, serverContext: unknown): CancelSignal {
  const state = requestState(request);
  if (state.clientGone) return state.clientGone;
  const res = (serverContext as { res?: ServerResponse } | undefined)?.res;
  if (!res?.once) return (state.clientGone = request.signal);
  return (state.clientGone = responseGone(res));
}

/** A signal that aborts when `res` closes (or fails) before it has been sent whole. */
export function responseGone(res: ServerResponse): CancelSignal {
  const gone = new Cancellation();
  // As whatwg-node decides for the request's signal: closed (or failed) before it finished.
  const onClose = () => {
    if (!res.writableFinished) gone.abort();
  };
  res.once('close', onClose);
  res.once('error', onClose);
  if (res.destroyed) onClose();
  return gone;
}
