/**
 * The cost of an operation, counted before it runs: one per field, and everything under a list
 * field counts as many times as the list can hold (its `limit`, or the number of entity
 * representations). A field that makes upstream calls adds UPSTREAM_CALL_COST per call it can
 * make. So `batchJobs(limit: 1000) { nodes { id status } }` costs 1 + 50 + 1000 × 3.
 *
 * The walk is linear in the document: a fragment's cost is counted once (cost scales linearly
 * with the multiplier of the place it is spread in), and counting stops as soon as the total
 * passes the limit. Without both, three levels of 240 spreads make 240³ visits.
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { GatewayError } from '../errors.js';

/** What one upstream call weighs against plain fields: a page or job fetch, not a property read. */
export const UPSTREAM_CALL_COST = 50;

interface ListField {
  argument: string;
  fallback: number;
  /** What the field's own validation allows: a larger size is refused anyway, so it is not counted. */
  max: number;
  /** Upstream calls the field makes per item of its list (entities), or once (a page). */
  calls: 'once' | 'perDistinctItem';
}

/** Fields whose children repeat per item, and the argument that says how many items. */
const LIST_FIELDS: Readonly<Record<string, ListField>> = {
  batchJobs: { argument: 'limit', fallback: 20, max: 1000, calls: 'once' },
  items: { argument: 'limit', fallback: 20, max: 1000, calls: 'once' },
  _entities: { argument: 'representations', fallback: 1, max: Number.MAX_SAFE_INTEGER, calls: 'perDistinctItem' },
};
/** Other fields that make one upstream call each time they resolve. */
const CALLING_FIELDS: ReadonlySet<string> = new Set(['batchJob', 'cancelBatchJob', 'batchJobUpdated']);
/**
 * Under batch API v2, a job from a list is read again by id for these (v2 lists carry no results,
 * which is where the file count comes from): each costs a call per job.
 */
export const V2_CALLING_FIELDS: ReadonlySet<string> = new Set([...CALLING_FIELDS, 'results', 'totalItems']);

type Variables = Readonly<Record<string, unknown>> | null | undefined;

/**
 * The operation's cost, or the first partial total over `limit` (the walk stops there, so a
 * result above `limit` is a lower bound; 0 when the document holds no such operation), and
 * whether it depended on a variable (a list size given as one).
 */
function operationCost(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
  limit: number,
  callingFields: ReadonlySet<string>,
): { cost: number; byVariables: boolean } {
  let byVariables = false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operation = document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return { cost: 0, byVariables };

  // A fragment's cost at multiplier 1; a spread adds it times its own multiplier. A fragment still
  // being counted (a cycle, which validation refuses anyway) counts 0.
  const fragmentCosts = new Map<string, number>();
  const fragmentCost = (name: string): number => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment) return 0;
    fragmentCosts.set(name, 0);
    const cost = count(fragment.selectionSet, 1);
    fragmentCosts.set(name, cost);
    return cost;
  };

  const count = (selectionSet: SelectionSetNode, multiplier: number): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += multiplier;
        const name = selection.name.value;
        const list = LIST_FIELDS[name];
        if (list) {
          const argument = selection.arguments?.find((a) => a.name.value === list.argument)?.value;
          if (argument?.kind === Kind.VARIABLE) byVariables = true;
          const size = Math.min(list.max, sizeOf(argument, variables, list.fallback));
          const calls = list.calls === 'once' ? 1 : distinctItems(argument, variables, size);
          cost += multiplier * calls * UPSTREAM_CALL_COST;
          if (selection.selectionSet && cost <= limit) cost += count(selection.selectionSet, multiplier * size);
        } else {
          if (callingFields.has(name)) cost += multiplier * UPSTREAM_CALL_COST;
          if (selection.selectionSet && cost <= limit) cost += count(selection.selectionSet, multiplier);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        cost += count(selection.selectionSet, multiplier);
      } else {
        cost += multiplier * fragmentCost(selection.name.value);
      }
      if (cost > limit) return cost;
    }
    return cost;
  };
  return { cost: count(operation.selectionSet, 1), byVariables };
}

function sizeOf(value: ValueNode | undefined, variables: Variables, fallback: number): number {
  if (!value) return fallback;
  if (value.kind === Kind.INT) return Math.max(1, Number(value.value));
  if (value.kind === Kind.LIST) return Math.max(1, value.values.length);
  if (value.kind === Kind.VARIABLE) {
    const given = variables?.[value.name.value];
    if (typeof given === 'number' && Number.isFinite(given)) return Math.max(1, given);
    if (Array.isArray(given)) return Math.max(1, given.length);
  }
  return fallback;
}

/** Distinct entity representations given as a variable (what routers send); else the list's size. */
function distinctItems(value: ValueNode | undefined, variables: Variables, size: number): number {
  if (value?.kind !== Kind.VARIABLE) return size;
  const given = variables?.[value.name.value];
  if (!Array.isArray(given)) return size;
  return Math.max(1, new Set(given.map(representationKey)).size);
}

/** `__typename` and `id` of one representation: what makes two of them the same lookup. */
/**
 * True when an operation's cost depends on its variables (a list size given as one), so that it
 * must be counted on every request; false when it is the same whatever they hold.
 */
export function costDependsOnVariables(document: DocumentNode, operationName: string | null | undefined): boolean {
  return operationCost(document, operationName, undefined, Number.POSITIVE_INFINITY, CALLING_FIELDS).byVariables;
}

export function representationKey(representation: unknown): string {
  if (typeof representation !== 'object' || representation === null) return String(representation);
  const { __typename: typename, id } = representation as { __typename?: unknown; id?: unknown };
  return `${String(typename)}:${String(id)}`;
}

/**
 * Rejects operations whose limit-aware cost is over MAX_COST. It runs before validation, so a
 * document too costly to run is refused without the validation rules walking it either.
 *
 * Yoga keeps each document's validation result and hands it to every later request with the same
 * text. So a refusal goes into that result only when it holds whatever the variables: a cost that
 * depends on them (a `limit: $n`) is counted on every request and refused by throwing, which no
 * cache keeps (in the validation result it would refuse the next request's `$n: 1`, and a kept
 * empty result would let a later `$n: 1000` through).
 */
export function useCostLimit(maxCost: number, callingFields: ReadonlySet<string> = CALLING_FIELDS): Plugin {
  // What a document costs when no variable changes it, by operation name: counted once. Keyed by
  // the parsed document, as Yoga's own validation cache is (the same object for the same text).
  const fixed = new WeakMap<DocumentNode, Map<string, number>>();
  return {
    onValidate({ params, context, setResult }) {
      const request = (context as { params?: { operationName?: string | null; variables?: Variables } }).params;
      const document = params.documentAST as DocumentNode;
      const name = request?.operationName ?? '';
      const known = fixed.get(document)?.get(name);
      if (known !== undefined) {
        if (known > maxCost) setResult([overCost(known, maxCost)]);
        return;
      }
      const { cost, byVariables } = operationCost(
        document,
        request?.operationName,
        request?.variables,
        maxCost,
        callingFields,
      );
      if (!byVariables) {
        const byName = fixed.get(document) ?? new Map<string, number>();
        // A document names a bounded number of operations (its token limit bounds it).
        byName.set(name, cost);
        fixed.set(document, byName);
      }
      if (cost <= maxCost) return;
      if (byVariables) throw overCost(cost, maxCost);
      setResult([overCost(cost, maxCost)]);
    },
  };
}

function overCost(cost: number, maxCost: number): GatewayError {
  return new GatewayError(
    'COST_LIMIT_EXCEEDED',
    `This operation would cost at least ${cost}, over the limit of ${maxCost}. Ask for fewer fields, smaller limits, fewer aliases or fewer entities.`,
  );
}
