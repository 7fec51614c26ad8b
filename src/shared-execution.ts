/**
 * Shared execution: identical queries in flight at the same moment run once. A dashboard open in
 * 200 tabs asks the same page 200 times; the upstream coalescing already sends LlamaCloud one
 * request, and this sends the answer through the resolvers and JSON.stringify once too.
 *
 * "Identical" is the same parsed document, operation name, variables and caller (JWT subject), so
 * no caller ever receives a result computed for someone else. Only queries are shared: mutations
 * have effects and subscriptions are streams. The shared execution is cancelled only when every
 * client waiting for it has gone, like a coalesced upstream call.
 */
import { getOperationAST, OperationTypeNode, type DocumentNode, type ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Coalescer } from './coalescer.js';
import type { GatewayContext } from './context.js';
import type { GatewayMetrics } from './metrics.js';
import type { RequestTracker } from './request-log.js';

type YogaContext = GatewayContext & { request: Request };

interface SerializableResult {
  stringify?: (result: unknown) => string;
}

export function useSharedExecution(tracker: RequestTracker, metrics: GatewayMetrics): Plugin<GatewayContext> {
  const executions = new Coalescer<unknown>({ cacheTtlMs: 0, onJoin: () => metrics.sharedExecutions.inc() });
  // Yoga's parser cache hands out one DocumentNode per query text, so its identity is the
  // document's; a number keeps the key short.
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextDocumentId = 0;

  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const { document, operationName, variableValues } = args as ExecutionArgs;
      if (getOperationAST(document, operationName)?.operation !== OperationTypeNode.QUERY) return;
      const context = args.contextValue as YogaContext;
      let documentId = documentIds.get(document);
      if (documentId === undefined) {
        documentId = nextDocumentId++;
        documentIds.set(document, documentId);
      }
      const key = JSON.stringify([documentId, operationName ?? null, variableValues ?? null, context.viewer.subject]);

      setExecuteFn((executeArgs) => {
        const { result, shared } = executions.run(key, context.request.signal, async (signal) => {
          // The upstream calls of a shared execution last while any of its clients waits.
          context.callOptions.signal = signal;
          return withSharedSerialization((await executeFn(executeArgs)) as unknown);
        });
        if (shared) tracker.state(context.request).sharedExecution = true;
        return result;
      });
    },
  };
}

/**
 * Serialises the result once for all its clients (Yoga calls `result.stringify` when present).
 * Only the result object itself is memoised: Yoga serialises a copy when it strips internal
 * error extensions, and a copy is serialised as it is.
 */
function withSharedSerialization<T>(result: T): T {
  if (typeof result !== 'object' || result === null || Symbol.asyncIterator in result) return result;
  let json: string | undefined;
  (result as SerializableResult).stringify = (value) =>
    value === result ? (json ??= JSON.stringify(value)) : JSON.stringify(value);
  return result;
}
