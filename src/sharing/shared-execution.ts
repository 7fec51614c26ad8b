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
 * A request joins as soon as its parameters are known (after authentication, rate limiting and
 * trusted documents, which each request passes on its own), so a follower skips parsing,
 * validation, the context and the execute hooks: a crowd costs little more than its HTTP
 * exchanges. Everything those steps decide is a function of what the key holds, and the first
 * request already passed them. Two requests that both get past that point before either executes
 * still share, at the execution.
 *
 * Once a request is known to get a shared result, an identical HTTP request skips Yoga altogether
 * and shares its response (response-sharing.ts); `onShared` tells it when.
 *
 * With the micro-cache on (UPSTREAM_CACHE_TTL_MS), a finished result is kept for as long as the
 * upstream answers it was computed from may be served, and identical requests get it at once.
 */
import type { Context } from '@opentelemetry/api';
import { traceContextOfServer } from '../observability/tracing.js';
import {
  getOperationAST,
  OperationTypeNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SharedWork } from './shared-work.js';
import type { GatewayContext } from '../graphql/context.js';
import { requestState } from '../request-state.js';

type YogaContext = GatewayContext & { request: Request };

interface SharedAnswer {
  /** Masked already: a follower that joined before executing skips the per-request masking. */
  result: ExecutionResult;
  /** The result as JSON, serialised on first use and then reused for every client. */
  json: () => string;
  operationName: string | undefined;
  operationType: OperationTypeNode;
  /** Epoch milliseconds after which the upstream answers it was computed from are too old. */
  freshUntil: number;
}

interface SerializableResult {
  stringify?: (result: unknown) => string;
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
  /**
   * Told when a request's answer is known to be a shared query's result: it joined an execution
   * in flight, or runs one others may join. Identical HTTP requests may share its response from
   * then on (response-sharing.ts).
   */
  onShared?: (request: Request) => void;
}

/** A request's part in sharing, from its parameters on. */
interface Share {
  key: string;
  /** Set while this request is the first with its key and has not executed yet. */
  settle?: (executing: boolean) => void;
}

// Kept on the request under a symbol, not in a WeakMap: see the request state in request-log.ts.
const SHARE = Symbol('share');
type Sharing = Request & { [SHARE]?: Share };

export function useSharedExecution({
  work,
  maskError,
  cacheTtlMs,
  onShared,
}: SharedExecutionOptions): Plugin<GatewayContext> {
  // With the micro-cache on, until when an answer may be served again (epoch ms; 0: never). Only
  // whole answers are kept: an error (an upstream failure, a bug) is never served again.
  const keptUntil = (answer: SharedAnswer): number =>
    cacheTtlMs > 0 && !answer.result.errors && !(Symbol.asyncIterator in answer.result) ? answer.freshUntil : 0;
  const keep = (answer: SharedAnswer) => {
    const until = keptUntil(answer);
    return until > Date.now() ? { until, bytes: answer.json().length } : null;
  };
  // The first request with a key, until it executes: identical requests that arrive meanwhile wait
  // to learn whether it runs a query they can share, or (a mutation, an invalid document, a
  // rejected operation) each must go its own way.
  const firsts = new Map<string, Promise<boolean>>();

  const follow = (
    request: Request,
    key: string,
    setResult: (result: ExecutionResult) => void,
    traced: Context | undefined,
  ) => {
    const joined = work.join<SharedAnswer>(key, request.signal, traced);
    if (!joined) return undefined;
    const state = requestState(request);
    state.sharedExecution = true;
    onShared?.(request);
    return joined.then((answer) => {
      state.keptUntil = keptUntil(answer);
      state.operationName = answer.operationName;
      state.operationType = answer.operationType;
      setResult(answer.result);
    });
  };
  const release = (share: Share | undefined, executing: boolean) => {
    share?.settle?.(executing);
    if (share) share.settle = undefined;
  };

  return {
    onParams({ params, request, setResult, context }) {
      if (typeof params.query !== 'string') return;
      const { query, operationName, variables, extensions } = params;
      // The JSON array ends unambiguously, so the query text can follow it as it is (cheaper than
      // escaping a long text into the JSON).
      const key =
        'execution ' +
        JSON.stringify([
          operationName ?? null,
          variables ?? null,
          extensions ?? null,
          requestState(request).viewer?.subject ?? null,
        ]) +
        query;
      const share: Share = { key };
      (request as Sharing)[SHARE] = share;
      // The joiner's own request span (tracing on): its join links from there to the work.
      const traced = traceContextOfServer(context);
      const joined = follow(request, key, setResult, traced);
      if (joined) return joined;
      const first = firsts.get(key);
      if (first) {
        return first.then((executing) => (executing ? follow(request, key, setResult, traced) : undefined));
      }
      firsts.set(
        key,
        new Promise<boolean>((resolve) => {
          share.settle = (executing) => {
            firsts.delete(key);
            resolve(executing);
          };
        }),
      );
    },

    onExecute({ args, executeFn, setExecuteFn }) {
      const context = args.contextValue as YogaContext;
      const share = (context.request as Sharing)[SHARE];
      const { document, operationName } = args as ExecutionArgs;
      const operation = getOperationAST(document, operationName);
      if (!share || operation?.operation !== OperationTypeNode.QUERY) {
        release(share, false);
        return;
      }

      setExecuteFn((executeArgs) => {
        const { result, shared } = work.run(
          share.key,
          context.request.signal,
          async (signal): Promise<SharedAnswer> => {
            // The upstream calls of a shared execution last while any of its clients waits.
            const state = requestState(context.request);
            state.upstreamSignal = signal;
            let freshUntil = Date.now() + cacheTtlMs;
            if (cacheTtlMs > 0) {
              state.onAnswerExpiry = (until) => {
                freshUntil = Math.min(freshUntil, until);
              };
            }
            const executed = (await executeFn(executeArgs)) as ExecutionResult;
            const masked = maskErrors(executed, maskError);
            return {
              result: masked,
              json: withSharedSerialization(masked),
              operationName: operation.name?.value,
              operationType: operation.operation,
              freshUntil,
            };
          },
          { keep },
        );
        // The execution is in flight now: whoever waited for this request joins it.
        release(share, true);
        onShared?.(context.request);
        if (shared) requestState(context.request).sharedExecution = true;
        return result.then((answer) => {
          requestState(context.request).keptUntil = keptUntil(answer);
          return answer.result;
        });
      });
    },

    // Whatever became of a first request that never executed (refused, invalid, not a query),
    // those waiting for it go their own way. Every GraphQL request ends in result processing, and
    // every HTTP request in a response.
    onResultProcess({ request }) {
      release((request as Sharing)[SHARE], false);
    },
    onResponse({ request }) {
      release((request as Sharing)[SHARE], false);
    },
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
 */
function withSharedSerialization(result: ExecutionResult): () => string {
  let json: string | undefined;
  const serialized = () => (json ??= JSON.stringify(result));
  if (!(Symbol.asyncIterator in result)) {
    (result as SerializableResult).stringify = (value) => (value === result ? serialized() : JSON.stringify(value));
  }
  return serialized;
}
