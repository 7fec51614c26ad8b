/**
 * Bounds on the JSON a client sends beside the query: `variables` and `extensions` nested deeper
 * than any input of this schema are refused before anything walks them. Every later step that
 * walks them recursively (the sharing key's JSON.stringify, variable coercion) would otherwise
 * overflow the stack on 45,000 nested arrays and answer INTERNAL_SERVER_ERROR.
 */
import type { Plugin } from 'graphql-yoga';
import { GatewayError } from '../errors.js';

/** Deeper than any input here (an entity representation is 3 levels) with room for extensions. */
export const MAX_JSON_DEPTH = 32;

export function useRequestShape(): Plugin {
  return {
    onParams({ params }) {
      for (const part of ['variables', 'extensions'] as const) {
        if (depthOver(params[part], MAX_JSON_DEPTH)) {
          throw new GatewayError(
            'BAD_REQUEST',
            `The request's "${part}" nest more than ${MAX_JSON_DEPTH} levels deep. Send flatter values: no input of this API is nested that deeply.`,
            { http: { status: 400 } },
          );
        }
      }
    },
  };
}

/** True when `value` nests objects or arrays more than `max` levels deep. Iterative: no recursion. */
export function depthOver(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const pending: Array<[unknown, number]> = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (depth > max) return true;
    const children = Array.isArray(node) ? node : Object.values(node as Record<string, unknown>);
    for (const child of children) if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
  }
  return false;
}
