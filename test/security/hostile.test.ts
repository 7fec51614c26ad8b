import { describe, expect, it } from 'vitest';
import { startFakeUpstream } from '../support/fake-upstream.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

const json = { 'content-type': 'application/json' };
const jobsField = (alias: string) => `${alias}: batchJobs(limit: 1) { totalCount }`;

interface Hostile {
  name: string;
  send: (gateway: TestGateway) => Promise<{ status: number; body: unknown }>;
  status: number;
  code: string;
  message: string | RegExp;
}

const post =
  (body: string, headers: Record<string, string> = json) =>
  (g: TestGateway) =>
    g.fetch('/graphql', { method: 'POST', headers, body });
const query = (text: string, variables?: Record<string, unknown>) => (g: TestGateway) => g.query(text, variables);

const corpus: Hostile[] = [
  {
    name: 'malformed JSON',
    send: post('{"query": '),
    status: 400,
    code: 'BAD_REQUEST',
    message: 'POST body sent invalid JSON.',
  },
  { name: 'an empty body', send: post(''), status: 400, code: 'BAD_REQUEST', message: 'POST body sent invalid JSON.' },
  {
    name: 'a text/plain body',
    send: post('{ __typename }', { 'content-type': 'text/plain' }),
    status: 415,
    code: 'BAD_REQUEST',
    message: 'Send the request body as application/json (got "text/plain").',
  },
  {
    name: 'a cross-site form post (no CSRF header)',
    send: post('query=%7B__typename%7D', { 'content-type': 'application/x-www-form-urlencoded' }),
    status: 403,
    code: 'BAD_REQUEST',
    message:
      'Send the "x-graphql-yoga-csrf" header (any value) with requests a browser makes without a CORS preflight (GraphQL over GET, form posts), or POST the query as application/json. An EventSource passes without it from this gateway\'s own origin or an allowed CORS origin.',
  },
  {
    name: 'an XML body',
    send: post('<query>{ __typename }</query>', { 'content-type': 'application/xml', 'x-graphql-yoga-csrf': '1' }),
    status: 415,
    code: 'BAD_REQUEST',
    message: 'Send the request body as application/json (got "application/xml").',
  },
  {
    name: 'a batched request',
    send: post(JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }])),
    status: 400,
    code: 'BAD_REQUEST',
    message: 'Batching is not supported.',
  },
  {
    name: 'a 10 MB body',
    send: post(JSON.stringify({ query: `{ __typename } # ${'x'.repeat(10 * 1024 * 1024)}` })),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The request body is larger than 100000 bytes. Send a smaller request (or a trusted operation id).',
  },
  {
    name: 'a query 100 levels deep',
    send: query(`{ batchJobs { ${'... on BatchJobConnection { '.repeat(100)}totalCount${' }'.repeat(100)} } }`),
    status: 200,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: 'Query depth limit of 10 exceeded, found 102. Select less deeply nested fields.',
  },
  {
    name: '16 aliases',
    send: query(`{ ${Array.from({ length: 16 }, (_, i) => jobsField(`a${i}`)).join(' ')} }`),
    status: 200,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: 'Aliases limit of 15 exceeded, found 16. Use fewer aliases in one operation.',
  },
  {
    name: '10 000 aliases',
    send: query(`{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: /larger than 100000 bytes/,
  },
  {
    name: '2 500 tokens in a small body',
    send: query(`{ ${Array.from({ length: 2500 }, () => '__typename').join(' ')} }`),
    status: 200,
    code: 'GRAPHQL_PARSE_FAILED',
    message: 'Token limit of 2000 exceeded. Send a shorter document.',
  },
  {
    name: 'a fragment cycle',
    send: query('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }'),
    status: 200,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: 'Cannot spread fragment "A" within itself via "B".',
  },
  {
    name: '1 000 directives',
    send: query(`{ __typename ${'@skip(if: false) '.repeat(1000)}}`),
    status: 200,
    code: 'GRAPHQL_PARSE_FAILED',
    message: 'Token limit of 2000 exceeded. Send a shorter document.',
  },
  {
    name: '30 directives',
    send: query(`{ __typename ${'@skip(if: false) '.repeat(30)}}`),
    status: 200,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: 'Directives limit of 20 exceeded, found 30. Use fewer directives.',
  },
  {
    name: 'a limit beyond 32 bits',
    send: query('{ batchJobs(limit: 99999999999) { totalCount } }'),
    status: 200,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: 'Int cannot represent non 32-bit signed integer value: 99999999999',
  },
  {
    name: 'a limit over 1000',
    send: query('{ batchJobs(limit: 2147483647) { totalCount } }'),
    status: 200,
    code: 'BAD_USER_INPUT',
    message: 'Argument "limit" was 2147483647; give a whole number from 1 to 1000.',
  },
  {
    name: 'a non-integer offset',
    send: query('{ batchJobs(offset: "ten") { totalCount } }'),
    status: 200,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: 'Int cannot represent non-integer value: "ten"',
  },
  {
    name: 'a variable of the wrong type',
    send: query('query ($l: Int) { batchJobs(limit: $l) { totalCount } }', { l: 'abc' }),
    status: 200,
    code: 'BAD_USER_INPUT',
    message: 'Variable "$l" got invalid value "abc"; Int cannot represent non-integer value: "abc"',
  },
  {
    name: 'an operation too expensive for MAX_COST',
    send: query(
      `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: batchJobs(limit: 1000) { nodes { id status jobType totalItems processedItems failedItems skippedItems createdAt } }`).join(' ')} }`,
    ),
    status: 200,
    code: 'COST_LIMIT_EXCEEDED',
    message:
      'This operation would cost at least 54306, over the limit of 50000. Ask for fewer fields, smaller limits, fewer aliases or fewer entities.',
  },
  {
    name: 'a mutation over GET',
    send: (g) =>
      g.fetch(`/graphql?query=${encodeURIComponent('mutation { __typename }')}`, {
        headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' },
      }),
    status: 405,
    code: 'BAD_REQUEST',
    message: 'Can only perform a mutation operation from a POST request.',
  },
  {
    name: 'GraphQL over GET without the CSRF header',
    send: (g) =>
      g.fetch(`/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json' } }),
    status: 403,
    code: 'BAD_REQUEST',
    message:
      'Send the "x-graphql-yoga-csrf" header (any value) with requests a browser makes without a CORS preflight (GraphQL over GET, form posts), or POST the query as application/json. An EventSource passes without it from this gateway\'s own origin or an allowed CORS origin.',
  },
  {
    name: 'no query at all',
    send: post('{}'),
    status: 200,
    code: 'BAD_REQUEST',
    message: 'Must provide query string.',
  },
];

describe('hostile and broken requests get a clear 4xx or coded error, and the server keeps serving', () => {
  it.each(corpus)('$name', async ({ send, status, code, message }) => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await send(gateway);

    expect(res.status).toBe(status);
    const errors = (res.body as { errors: Array<{ message: string; extensions: { code: string } }> }).errors;
    expect(errors[0]?.extensions.code).toBe(code);
    if (typeof message === 'string') expect(errors[0]?.message).toBe(message);
    else expect(errors[0]?.message).toMatch(message);
    expect(upstream.requests).toHaveLength(0);
    expect((await gateway.query('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('passes null bytes and odd Unicode in strings through to the upstream intact (upstream: empty list)', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });
    const odd = 'a\u0000b\u202e\u{1F600}\uFEFF"\\<script>';

    const res = await gateway.query('query ($d: ID) { batchJobs(filter: { directoryId: $d }) { totalCount } }', {
      d: odd,
    });

    expect(res.body).toEqual({ data: { batchJobs: { totalCount: 0 } } });
    expect(upstream.requests[0]?.query.directory_id).toBe(odd);
  });
});
