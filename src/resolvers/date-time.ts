import { GraphQLScalarType, Kind } from 'graphql';
import { GatewayError } from '../errors.js';
import { normalizeDateTime } from '../upstream/wire.js';

function parse(value: unknown): string {
  const normalized = typeof value === 'string' ? normalizeDateTime(value) : null;
  if (normalized === null) {
    throw new GatewayError(
      'BAD_USER_INPUT',
      `DateTime must be an ISO 8601 string such as "2026-01-31T09:30:00Z"; got ${JSON.stringify(value)}.`,
    );
  }
  return normalized;
}

/** ISO 8601 date-times, always serialised as UTC with millisecond precision. */
export const DateTime = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    // Upstream values were normalised when the body was validated; this only re-checks.
    const normalized = typeof value === 'string' ? normalizeDateTime(value) : null;
    if (normalized === null) throw new TypeError(`DateTime cannot represent ${JSON.stringify(value)}`);
    return normalized;
  },
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) return parse(undefined);
    return parse(ast.value);
  },
});
