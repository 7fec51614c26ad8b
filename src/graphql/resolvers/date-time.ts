import { GraphQLScalarType, Kind } from 'graphql';
import { GatewayError } from '../../errors.js';
import { isCanonicalDateTime, normalizeDateTime } from '../../upstream/date-time.js';

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
    if (typeof value !== 'string') throw new TypeError(`DateTime cannot represent ${JSON.stringify(value)}`);
    // Upstream values were validated and normalised with the body: the cheap check is enough for
    // those (a page of jobs serialises a hundred of them); anything else is normalised here.
    if (isCanonicalDateTime(value)) return value;
    const normalized = normalizeDateTime(value);
    if (normalized === null) throw new TypeError(`DateTime cannot represent ${JSON.stringify(value)}`);
    return normalized;
  },
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) return parse(undefined);
    return parse(ast.value);
  },
});
