/**
 * What a shared execution hands the requests that share it, and what its leading request keeps
 * in its request state (request-state.ts) while it leads. Types only: the request state holds a
 * lead without depending on how sharing works (shared-execution.ts).
 */
import type { ExecutionResult, OperationTypeNode } from 'graphql';
import type { Lead } from './shared-work.js';

/** What every request sharing an execution gets. */
export interface SharedAnswer {
  /** Masked already: a follower skips the per-request masking. */
  result: ExecutionResult;
  /** The result as JSON, serialised on first use and then reused for every client. */
  json: () => string;
  /** That JSON in UTF-8, what Yoga's responses carry (shared-execution.ts says why). */
  body: () => Buffer;
  operationName: string | undefined;
  operationType: OperationTypeNode;
  /** Epoch milliseconds after which the upstream answers it was computed from are too old. */
  freshUntil: number;
}

/** A leading request's part in sharing, kept in its request state. */
export interface ExecutionLead {
  lead: Lead<SharedAnswer>;
  /** Until when the upstream answers used so far may be served (epoch ms). */
  freshUntil: number;
}
