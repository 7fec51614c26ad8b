/**
 * The cost of an operation, counted before it runs: one per field, and everything under a list
 * field counts as many times as the list can hold (its `limit`, or the number of entity
 * representations). So `batchJobs(limit: 1000) { nodes { id status } }` costs 1 + 1000 × 3.
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';

/** Fields whose children repeat per item, and the argument that says how many items. */
// `max` is what the field's own validation allows: a larger limit is refused by the resolver with a
// BAD_USER_INPUT error that says what to change, so the cost does not count past it.
const LIST_FIELDS: Readonly<Record<string, { argument: string; fallback: number; max: number }>> = {
  batchJobs: { argument: 'limit', fallback: 20, max: 1000 },
  items: { argument: 'limit', fallback: 20, max: 1000 },
  _entities: { argument: 'representations', fallback: 1, max: Number.MAX_SAFE_INTEGER },
};

export function operationCost(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operation = document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 0;

  const count = (selectionSet: SelectionSetNode, multiplier: number, visiting: Set<string>): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += multiplier;
        if (!selection.selectionSet) continue;
        const list = LIST_FIELDS[selection.name.value];
        const argument = list && selection.arguments?.find((a) => a.name.value === list.argument);
        const size = list ? Math.min(list.max, sizeOf(argument?.value, variables, list.fallback)) : 1;
        cost += count(selection.selectionSet, multiplier * size, visiting);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        cost += count(selection.selectionSet, multiplier, visiting);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A cycle is a validation error already; counting stops at one.
        if (!fragment || visiting.has(name)) continue;
        visiting.add(name);
        cost += count(fragment.selectionSet, multiplier, visiting);
        visiting.delete(name);
      }
      if (cost > Number.MAX_SAFE_INTEGER / 2) return cost;
    }
    return cost;
  };
  return count(operation.selectionSet, 1, new Set());
}

function sizeOf(
  value: ValueNode | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  fallback: number,
): number {
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
