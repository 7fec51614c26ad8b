/**
 * What a schema change breaks for clients already written against the released API, by
 * graphql-inspector's rules: a removed or renamed field, type or argument, a new required
 * argument, a changed type. Additions (fields, types, optional arguments, enum values) pass:
 * graphql-inspector calls a new enum value "dangerous", not breaking.
 */
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema as fromSdl, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from './schema.js';

/** The released API, committed: what `npm run schema:diff` compares the current schema with. */
export const RELEASED_SDL = new URL('../../schema/released/api.graphql', import.meta.url);

/** The SDL of the API as this code serves it (federation's own types included). */
export function currentSdl(): string {
  return printSchema(buildSchema());
}

/** Messages of the breaking changes from `before` to `after`; empty when clients are safe. */
export async function breakingChanges(
  before: string | GraphQLSchema,
  after: string | GraphQLSchema,
): Promise<string[]> {
  const schema = (s: string | GraphQLSchema) => (typeof s === 'string' ? fromSdl(s) : s);
  const changes = await diff(schema(before), schema(after));
  return changes
    .filter((change) => change.criticality.level === CriticalityLevel.Breaking)
    .map((change) => change.message);
}
