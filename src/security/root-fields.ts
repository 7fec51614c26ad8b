/**
 * The root fields a document may run, for checks on fields that only exist at the root
 * (`_entities`, `_service`). Iterative, and each fragment is read once however often it is spread.
 */
import { Kind, type DocumentNode, type FieldNode, type SelectionSetNode } from 'graphql';

/**
 * The root fields of the operation named `operationName`, or of every operation when it is not
 * given (a document of several would not run then anyway: more is the safe side for a check).
 */
export function rootFields(document: DocumentNode, operationName: string | null | undefined): FieldNode[] {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const pending: SelectionSetNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && definition.name?.value !== operationName) continue;
    pending.push(definition.selectionSet);
  }
  const fields: FieldNode[] = [];
  const seen = new Set<string>();
  for (let set = pending.pop(); set; set = pending.pop()) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) pending.push(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) pending.push(fragment.selectionSet);
      }
    }
  }
  return fields;
}
