/**
 * The executable schema: the SDL files in schema/ (the single source of the API) with the resolvers.
 * Built as an Apollo Federation subgraph schema so it can be composed into a larger graph.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { BatchApi } from '../config/config.js';
import { resolversFor } from './resolvers/index.js';

// src/graphql/ and dist/graphql/ both sit two levels below the project root, which holds schema/.
const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

/** The SDL of every file in schema/, in name order, as one document. */
export function loadTypeDefs(): DocumentNode {
  const files = readdirSync(SCHEMA_DIR)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  return parse(files.map((name) => readFileSync(new URL(name, SCHEMA_DIR), 'utf8')).join('\n'));
}

/** The same SDL for both generations; v2 adds resolvers for what its lists do not carry. */
export function buildSchema(generation: BatchApi = 'v1'): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: loadTypeDefs(),
    // The generated Resolvers type is stricter than the subgraph helper's loose map.
    resolvers: resolversFor(generation) as unknown as GraphQLResolverMap<unknown>,
  });
}
