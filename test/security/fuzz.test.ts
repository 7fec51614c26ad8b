import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/demo/jobs.js';
import { buildSchema } from '../../src/graphql/schema.js';
import { sendJson, startFakeUpstream, wireJob, wireJobs } from '../support/fake-upstream.js';
import { startGateway, TEST_API_KEY } from '../support/gateway.js';

const ODD_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u202e\u{1F600}',
  '"; DROP TABLE',
  '<script>',
  'x'.repeat(300),
  '../..',
  '\\',
];
const ODD_NUMBERS = [-1, 0, 1, 20, 999, 1000, 1001, 2147483647, -2147483648];

function generator(seed: number) {
  // Seeded: the same 1000 operations on every run, so a failure can be replayed.
  const rand = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const schema = buildSchema();
  const query = schema.getQueryType() as GraphQLObjectType;

  const literal = (type: GraphQLInputType, depth: number): string => {
    const named = getNamedType(type);
    if (rand() < 0.08) return pick(['null', '"wrong"', '3.5', 'true', '[1]', '{}']);
    if (isEnumType(named)) return rand() < 0.9 ? pick(named.getValues()).name : 'NOT_A_VALUE';
    if (isInputObjectType(named)) {
      if (depth > 2) return '{}';
      const fields = Object.values(named.getFields()).filter(() => rand() < 0.5);
      return `{ ${fields.map((f) => `${f.name}: ${literal(f.type, depth + 1)}`).join(', ')} }`;
    }
    if (isScalarType(named) && named.name === 'Int') return String(pick(ODD_NUMBERS));
    if (isScalarType(named) && named.name === 'Boolean') return pick(['true', 'false']);
    return JSON.stringify(rand() < 0.7 ? `bjb-${Math.floor(rand() * 50)}` : pick(ODD_STRINGS));
  };

  const selection = (type: GraphQLObjectType, depth: number): string => {
    const fields = Object.values(type.getFields()) as Array<GraphQLField<unknown, unknown>>;
    const chosen = fields.filter(() => rand() < 0.4);
    if (chosen.length === 0 && fields[0]) chosen.push(fields[0]);
    const parts = chosen.map((field) => {
      const alias = rand() < 0.1 ? `a${Math.floor(rand() * 1000)}: ` : '';
      const args = field.args.filter((a) => a.type.toString().endsWith('!') || rand() < 0.5);
      const argText = args.length ? `(${args.map((a) => `${a.name}: ${literal(a.type, 0)}`).join(', ')})` : '';
      const named = getNamedType(field.type);
      const sub = isObjectType(named) ? (depth > 4 ? ' { __typename }' : ` { ${selection(named, depth + 1)} }`) : '';
      return `${alias}${field.name}${argText}${sub}`;
    });
    if (rand() < 0.05) parts.push('notAField');
    if (rand() < 0.05) parts.push('__typename @skip(if: true)');
    return parts.join(' ');
  };

  const corrupt = (text: string): string => {
    const i = Math.floor(rand() * text.length);
    switch (Math.floor(rand() * 4)) {
      case 0:
        return text.slice(0, i);
      case 1:
        return `${text.slice(0, i)}${pick(['{', '}', '(', '$', '"', '...', '@', '\u0000', '#'])}${text.slice(i)}`;
      case 2:
        return text.slice(0, i) + text.slice(i + 1 + Math.floor(rand() * 5));
      default:
        return text.replaceAll('{', '{ ...on Query { __typename } ');
    }
  };

  return (): { body: string } => {
    // _entities is the router's: its representations are covered by the federation tests.
    const fields = Object.values(query.getFields()).filter((f) => f.name !== '_entities');
    const root = {
      getFields: () => Object.fromEntries(fields.map((f) => [f.name, f])),
    } as unknown as GraphQLObjectType;
    const document = `query Fuzz { ${selection(root, 0)} }`;
    const kind = rand();
    if (kind < 0.6) return { body: JSON.stringify({ query: document }) };
    if (kind < 0.85) return { body: JSON.stringify({ query: corrupt(document) }) };
    if (kind < 0.95) {
      return {
        body: JSON.stringify({
          query: 'query ($l: Int, $f: BatchJobFilter) { batchJobs(limit: $l, filter: $f) { totalCount } }',
          variables: {
            l: pick([...ODD_NUMBERS, 'x', null, 1.5]),
            f: pick([null, {}, { status: 'NOPE' }, { jobType: 'PARSE' }, 'str']),
          },
        }),
      };
    }
    return { body: corrupt(JSON.stringify({ query: document })) };
  };
}

describe('fuzzing the GraphQL endpoint with generated operations', () => {
  it('answers 1 000 random valid and invalid operations with no 5xx, no crash, no hang and no key (upstream: well-behaved)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((req, res) =>
      req.path.endsWith('/batch-processing')
        ? sendJson(res, 200, { items: wireJobs(Math.min(3, Number(req.query.limit ?? 3))), total_size: 3 })
        : sendJson(res, 200, { job: wireJob(), progress_percentage: 50 }),
    );
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { RATE_LIMIT_PER_MINUTE: '0' } });
    const next = generator(20261129);
    const statuses = new Map<number, number>();
    const codes = new Map<string, number>();

    for (let batch = 0; batch < 100; batch += 1) {
      const results = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const { body } = next();
          const res = await gateway.fetch('/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          return { res, body };
        }),
      );
      for (const { res, body } of results) {
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        for (const error of (res.body as { errors?: Array<{ extensions?: { code?: string } }> }).errors ?? []) {
          const code = error.extensions?.code ?? 'none';
          codes.set(code, (codes.get(code) ?? 0) + 1);
          if (code === 'INTERNAL_SERVER_ERROR') throw new Error(`masked internal error for ${body}`);
        }
        expect(res.status, body).toBeLessThan(500);
        expect(res.text).not.toContain(TEST_API_KEY);
      }
    }

    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(1000);
    // The corpus exercises both success and several kinds of rejection.
    expect(statuses.get(200)).toBeGreaterThan(100);
    expect(codes.get('GRAPHQL_VALIDATION_FAILED')).toBeGreaterThan(10);
    expect(codes.get('GRAPHQL_PARSE_FAILED')).toBeGreaterThan(10);
    expect(codes.get('BAD_USER_INPUT')).toBeGreaterThan(10);
    expect(gateway.logs.filter((l) => l.msg === 'unexpected error')).toEqual([]);
    expect((await gateway.fetch('/health')).status).toBe(200);
  });
});
