/**
 * Compiled execution: a query document that keeps coming back is compiled once by graphql-jit
 * into a plain JavaScript function, and runs as that from then on. Walking a page of jobs field by
 * field through the generic executor (a resolve-info object, an argument lookup and a promise check
 * per field) was the largest single cost of answering a page; through the compiled function a page
 * request takes about a third of the CPU (`npm run bench`, in-process row) and leaves far less
 * garbage.
 *
 * Compiling costs milliseconds (a large document tens of them), so only documents that have run
 * `after` times are compiled: a frontend's handful of operations are compiled at once, while a
 * stream of one-off documents never makes the gateway compile anything. Only queries are compiled;
 * mutations and subscriptions are rare and keep the generic executor.
 *
 * Answers are the same either way. graphql-jit's own errors are rebuilt as graphql-js errors on the
 * field nodes they point at (Yoga recomputes `locations` from those), and a request whose variables
 * cannot be coerced is handed to the generic executor, whose error messages clients already see.
 */
import {
  getOperationAST,
  GraphQLError,
  Kind,
  OperationTypeNode,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';

interface Operation {
  /** Executions so far, counted until the operation is compiled. */
  runs: number;
  /** The compiled form, or null when graphql-jit could not compile it (it then stays generic). */
  compiled?: CompiledQuery | null;
}

export interface CompiledExecutionOptions {
  /** Executions of an operation before it is compiled; 0 never compiles. */
  after: number;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Told of each execution that runs compiled: the fast path remembers it (sharing/fast-path.ts). */
  onCompiled?: (args: ExecutionArgs, compiled: CompiledQuery) => void;
}

export function useCompiledExecution({ after, logger, metrics, onCompiled }: CompiledExecutionOptions): Plugin {
  // Keyed by the parsed document, which Yoga's parser cache keeps alive while the query text is in
  // its cache: compiled functions are released with it.
  const operations = new WeakMap<DocumentNode, Map<string, Operation>>();

  function compiledFor(args: ExecutionArgs): CompiledQuery | null {
    const name = args.operationName ?? '';
    let byName = operations.get(args.document);
    if (!byName) {
      byName = new Map();
      operations.set(args.document, byName);
    }
    let operation = byName.get(name);
    if (!operation) {
      operation = { runs: 0 };
      byName.set(name, operation);
    }
    if (operation.compiled !== undefined) return operation.compiled;
    operation.runs += 1;
    if (operation.runs < after) return null;
    const compiled = compileQuery(args.schema, args.document, args.operationName ?? undefined, {
      // Errors carry no stack to the client; capturing one per field error is wasted work.
      disablingCapturingStackErrors: true,
    });
    if (isCompiledQuery(compiled)) {
      operation.compiled = compiled;
      metrics.compiledOperations.inc();
    } else {
      operation.compiled = null;
      logger.warn(
        { errors: compiled.errors?.map((e) => e.message) },
        'could not compile an operation; it runs uncompiled',
      );
    }
    return operation.compiled;
  }

  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (after === 0) return;
      const { document, operationName } = args as ExecutionArgs;
      if (getOperationAST(document, operationName)?.operation !== OperationTypeNode.QUERY) return;
      const compiled = compiledFor(args);
      if (!compiled) return;
      onCompiled?.(args, compiled);
      const generic = executeFn;
      setExecuteFn(async (executeArgs) => {
        const { rootValue, contextValue, variableValues } = executeArgs as ExecutionArgs;
        const result = await compiled.query(rootValue, contextValue, variableValues);
        // No `data` at all: the variables were refused before anything ran.
        if (!('data' in result)) return (await generic(executeArgs)) as ExecutionResult;
        return withGraphQLErrors(result, document);
      });
    },
  };
}

/** graphql-jit's errors as graphql-js errors on their field nodes, so Yoga reports their locations. */
export function withGraphQLErrors(result: ExecutionResult, document: DocumentNode): ExecutionResult {
  if (!result.errors?.length) return result;
  const fields = fieldsByLocation(document);
  const errors = result.errors.map(
    (error) =>
      new GraphQLError(error.message, {
        nodes: (error.locations ?? []).flatMap((at) => fields.get(`${at.line}:${at.column}`) ?? []),
        path: error.path,
        originalError: error.originalError,
        extensions: error.extensions,
      }),
  );
  return { ...result, errors };
}

const fieldIndexes = new WeakMap<DocumentNode, Map<string, FieldNode>>();

/** The document's field nodes by `line:column`, built once per document that had an error. */
function fieldsByLocation(document: DocumentNode): Map<string, FieldNode> {
  let fields = fieldIndexes.get(document);
  if (!fields) {
    const found = new Map<string, FieldNode>();
    visit(document, {
      [Kind.FIELD](node) {
        const token = node.loc?.startToken;
        if (token) found.set(`${token.line}:${token.column}`, node);
      },
    });
    fields = found;
    fieldIndexes.set(document, fields);
  }
  return fields;
}
