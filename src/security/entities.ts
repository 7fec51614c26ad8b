/**
 * Checks a router's `_entities` call before it runs: at most MAX_ENTITY_REPRESENTATIONS
 * representations, each a `{ __typename: "BatchJob", id }` this subgraph can resolve. Without it,
 * one request of 2,200 representations makes 2,200 upstream calls, and a bad representation nulls
 * the whole list as an INTERNAL_SERVER_ERROR. Duplicates cost one call: the per-request loader
 * fetches each id once.
 */
import { valueFromASTUntyped, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { GatewayError } from '../errors.js';
import { rootFields } from './root-fields.js';

/** The entity types of this subgraph (types with `@key`). */
const ENTITY_TYPES: ReadonlySet<string> = new Set(['BatchJob']);

type Variables = Readonly<Record<string, unknown>> | null | undefined;

export function useEntityChecks(maxRepresentations: number): Plugin {
  // Whether a document asks for `_entities` at all, once per parsed document (Yoga keeps those):
  // nearly none does, and this runs on every request.
  const asksForEntities = new WeakMap<DocumentNode, boolean>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const { document, operationName, variableValues } = args as {
        document: DocumentNode;
        operationName?: string | null;
        variableValues?: Variables;
      };
      let asks = asksForEntities.get(document);
      if (asks === undefined) {
        asks = rootFields(document, undefined).some((field) => field.name.value === '_entities');
        asksForEntities.set(document, asks);
      }
      if (!asks) return;
      const problem = entitiesProblem(document, operationName, variableValues, maxRepresentations);
      if (problem) setResultAndStopExecution({ errors: [problem] });
    },
  };
}

function entitiesProblem(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
  max: number,
): GatewayError | null {
  for (const field of rootFields(document, operationName)) {
    if (field.name.value !== '_entities') continue;
    const argument = field.arguments?.find((a) => a.name.value === 'representations');
    const problem = representationsProblem(argument ? valueFromASTUntyped(argument.value, variables) : [], max);
    if (problem) return problem;
  }
  return null;
}

function representationsProblem(value: unknown, max: number): GatewayError | null {
  const representations = Array.isArray(value) ? value : [value];
  const invalid = (message: string) => new GatewayError('BAD_USER_INPUT', message, { argument: 'representations' });
  if (representations.length > max) {
    return invalid(
      `_entities got ${representations.length} representations; at most ${max} are resolved in one request (MAX_ENTITY_REPRESENTATIONS). Send them in smaller batches.`,
    );
  }
  for (const [index, representation] of representations.entries()) {
    const { __typename: typename, id } = (representation ?? {}) as { __typename?: unknown; id?: unknown };
    if (typeof typename !== 'string' || !ENTITY_TYPES.has(typename)) {
      return invalid(
        `Representation ${index} has __typename ${JSON.stringify(typeof typename === 'string' ? typename.slice(0, 64) : (typename ?? null))}; this subgraph resolves only ${[...ENTITY_TYPES].map((t) => `"${t}"`).join(', ')}.`,
      );
    }
    if (typeof id !== 'string' || id === '') {
      return invalid(
        `Representation ${index} (${typename}) has no "id"; send the key field "id" as a non-empty string.`,
      );
    }
  }
  return null;
}
