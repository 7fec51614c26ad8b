/**
 * Shared execution: identical queries in flight at the same moment run once. A dashboard open in
 * 200 tabs asks the same page 200 times; the upstream coalescing already sends LlamaCloud one
 * request, and this sends the answer through the resolvers and JSON.stringify once too.
 *
 * "Identical" is the same query text, operation name, variables, extensions and caller (JWT
 * subject), so no caller ever receives a result computed for someone else. Only queries are
 * shared: mutations have effects and subscriptions are streams. The shared execution is cancelled
 * only when every client waiting for it has gone, like a coalesced upstream call.
 *
 * It all happens at Yoga's `onParams`, the point Hive Gateway's inbound deduplication uses: the
 * first request with a key leads it (shared-work.ts) as soon as its parameters are read, which is
 * after authentication, the rate limit and trusted documents, each passed by every request on
 * its own. An identical request arriving while the lead is in flight joins it there and skips
 * parsing, validation, the context and execution: a crowd costs little more than its HTTP
 * exchanges and their log lines. Everything those skipped steps decide is a function of what the
 * key holds, and the leader has just been through them. A leader that turns out not to run a
 * query (a mutation, an invalid document, a refused operation) abandons the lead, and those that
 * joined it run on their own. Each request still gets its own response from Yoga: its request
 * id, CORS answer, media type and security headers; the result's JSON is made once for all.
 *
 * With the micro-cache on (UPSTREAM_CACHE_TTL_MS), a finished result is kept for as long as the
 * upstream answers it was computed from may be served, and identical requests get it at once.
 *
 * What it decides for its request goes into the request state before the context is built: the
 * signal the request's upstream calls obey (the lead's, which aborts when every client sharing it
 * has gone) and who hears of the answers' freshness.
 */
import {
  getOperationAST,
  OperationTypeNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
  type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ExecutionLead, SharedAnswer } from './shared-answer.js';
import { AbandonedError, type Keep, type Lead, type SharedWork } from './shared-work.js';
import type { GatewayContext } from '../graphql/context.js';
import { traceContextOfServer } from '../observability/tracing.js';
import { clientGone, requestState } from '../request-state.js';

type YogaContext = GatewayContext & { request: Request };

interface SerializableResult {
  /** What Yoga's result processors call instead of JSON.stringify; see withSharedSerialization. */
  stringify?: (result: unknown) => string | Buffer;
}

export interface SharedExecutionOptions {
  /** The app's one place of shared work: executions in flight and kept results meet there. */
  work: SharedWork;
  /** The app's error masking, the same Yoga applies to every execution result. */
  maskError: (error: GraphQLError) => Error;
  /**
   * UPSTREAM_CACHE_TTL_MS: with the micro-cache on, a result is served for as long as the upstream
   * answers it was computed from are (never longer), so a crowd arriving just after an execution
   * is answered at once instead of executing again on cached data. 0 = off.
   */
  cacheTtlMs: number;
}

export function useSharedExecution({ work, maskError, cacheTtlMs }: SharedExecutionOptions): Plugin<GatewayContext> {
  const keep = keeping(cacheTtlMs);

  return {
    onParams({ params, request, setResult, context }) {
      if (typeof params.query !== 'string') return;
      const state = requestState(request);
      // The fast path executed this request already (fast-path.ts answers with its result).
      if (state.executed) return;
      const key = executionKey(params as GraphQLParamsWithQuery, state.viewer?.subject ?? null);
      // The joiner's own request span (tracing on): its join links from there to the work.
      const traced = traceContextOfServer(context);
      const gone = clientGone(request, context);
      const joined = work.join<SharedAnswer>(key, gone, traced);
      if (joined) {
        return joined.then(
          (answer) => {
            state.sharedExecution = true;
            state.operationName = answer.operationName;
            state.operationType = answer.operationType;
            setResult(answer.result);
          },
          (error: unknown) => {
            // The lead never executed: this request goes its own way, as if it had come alone.
            if (!(error instanceof AbandonedError)) throw error;
          },
        );
      }
      const lead = work.lead<SharedAnswer>(key, gone, traced);
      if (!lead) return;
      const { share, onAnswerExpiry } = executionLead(lead, cacheTtlMs);
      state.executionLead = share;
      // The upstream calls of a shared execution last while any of its clients waits.
      state.upstreamSignal = lead.signal;
      state.onAnswerExpiry = onAnswerExpiry;
    },

    onExecute({ args, executeFn, setExecuteFn }) {
      const context = args.contextValue as YogaContext;
      const state = requestState(context.request);
      const share = state.executionLead;
      if (!share) return;
      const { document, operationName } = args as ExecutionArgs;
      const operation = getOperationAST(document, operationName);
      if (operation?.operation !== OperationTypeNode.QUERY) {
        share.lead.abandon();
        return;
      }
      setExecuteFn(async (executeArgs) => {
        const run = async (): Promise<SharedAnswer> =>
          sharedAnswer((await executeFn(executeArgs)) as ExecutionResult, maskError, operation, share.freshUntil);
        const answer = await share.lead.settle(run(), keep);
        return answer.result;
      });
    },

    // Whatever became of a leader that never executed (refused, invalid, not a query), those
    // waiting for it go their own way. Every GraphQL request ends in result processing, and every
    // HTTP request in a response; abandoning a lead already settled changes nothing.
    onResultProcess({ request }) {
      requestState(request).executionLead?.lead.abandon();
    },
    onResponse({ request }) {
      requestState(request).executionLead?.lead.abandon();
    },
  };
}

interface GraphQLParamsWithQuery {
  query: string;
  operationName?: string | null;
  variables?: unknown;
  extensions?: unknown;
}

/**
 * The key of an execution identical requests share: the same query text, operation name,
 * variables, extensions and caller. The JSON array ends unambiguously, so the query text can
 * follow it as it is (cheaper than escaping a long text into the JSON).
 */
export function executionKey(params: GraphQLParamsWithQuery, subject: string | null): string {
  const { query, operationName, variables, extensions } = params;
  return 'execution ' + JSON.stringify([operationName ?? null, variables ?? null, extensions ?? null, subject]) + query;
}

/**
 * A lead's part in sharing, and with the micro-cache on who hears of the freshness of the
 * upstream answers its execution uses: the result is fresh only as long as the stalest of them.
 */
export function executionLead(
  lead: Lead<SharedAnswer>,
  cacheTtlMs: number,
): { share: ExecutionLead; onAnswerExpiry: ((until: number) => void) | undefined } {
  const share: ExecutionLead = { lead, freshUntil: Date.now() + cacheTtlMs };
  const onAnswerExpiry =
    cacheTtlMs > 0 ? (until: number) => (share.freshUntil = Math.min(share.freshUntil, until)) : undefined;
  return { share, onAnswerExpiry };
}

/**
 * With the micro-cache on, an answer is kept while the upstream answers it was computed from may
 * be served. Only whole answers: an error (an upstream failure, a bug) is never served again.
 */
export function keeping(cacheTtlMs: number): (answer: SharedAnswer) => Keep | null {
  return (answer) =>
    cacheTtlMs > 0 && !answer.result.errors && answer.freshUntil > Date.now()
      ? { until: answer.freshUntil, bytes: answer.json().length }
      : null;
}

/** A lead's execution as every request sharing it gets it: masked, and serialised once for all. */
export function sharedAnswer(
  executed: ExecutionResult,
  maskError: (error: GraphQLError) => Error,
  operation: OperationDefinitionNode,
  freshUntil: number,
): SharedAnswer {
  const masked = maskErrors(executed, maskError);
  return {
    result: masked,
    ...withSharedSerialization(masked),
    operationName: operation.name?.value,
    operationType: operation.operation,
    freshUntil,
  };
}

/** As Yoga masks each execution result; masking a masked result again changes nothing. */
function maskErrors(result: ExecutionResult, maskError: (error: GraphQLError) => Error): ExecutionResult {
  // Yoga's masking turns a GraphQLError into a GraphQLError (itself, or one without the cause).
  return result.errors ? { ...result, errors: result.errors.map(maskError) as GraphQLError[] } : result;
}

/**
 * Serialises the result once for all its clients (Yoga calls `result.stringify` when present),
 * and returns that one serialisation. Only the result object itself is memoised: Yoga serialises
 * a copy when it strips internal error extensions, and a copy is serialised as it is.
 *
 * The serialisation is UTF-8 bytes, not a string: Yoga hands what `stringify` returns to the
 * Response as its body. A string body (JSON.stringify's, which V8 builds as a tree of parts) is
 * copied flat twice on the heap on its way out: once to count its bytes for content-length, and
 * again when Node writes it behind the status line and headers (about 23 KB of young garbage for
 * a page of 20 jobs). Bytes are counted by their length and written as they are. Yoga's streaming
 * processors (SSE, multipart) put the body into text and read the bytes back as UTF-8, which gives
 * the same JSON. The fast path (fast-path.ts) writes the text itself: Node then sends it in one
 * write with the head, encoding it as it goes, which costs less than making the bytes first.
 */
function withSharedSerialization(result: ExecutionResult): Pick<SharedAnswer, 'json' | 'body'> {
  let text: string | undefined;
  let bytes: Buffer | undefined;
  const json = () => (text ??= JSON.stringify(result));
  const body = () => (bytes ??= Buffer.from(json()));
  (result as SerializableResult).stringify = (value) => (value === result ? body() : JSON.stringify(value));
  return { json, body };
}
