import { describe, expect, it } from 'vitest';
import { startFakeUpstream } from '../support/fake-upstream.js';
import { startGateway, type GraphQLResponse, type TestGateway } from '../support/gateway.js';

const DEEP = 45_000;
/** 45,000 nested arrays, written out (JSON.stringify itself would overflow on such a value). */
const deepArray = `${'['.repeat(DEEP)}1${']'.repeat(DEEP)}`;
const post = (body: string) => (g: TestGateway) =>
  g.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
const NO_OPERATION =
  'Could not tell which operation to run: the document holds several operations (send operationName with the name of one), or none named as operationName says (send the name of an operation in the document).';

const mistakes: Array<{
  mistake: string;
  send: (g: TestGateway) => Promise<GraphQLResponse>;
  status: number;
  body: unknown;
}> = [
  {
    mistake: 'variables nested 45,000 deep',
    send: post(`{"query": "query ($x: Int) { __typename }", "variables": {"x": ${deepArray}}}`),
    status: 400,
    body: {
      errors: [
        {
          message:
            'The request\'s "variables" nest more than 32 levels deep. Send flatter values: no input of this API is nested that deeply.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    },
  },
  {
    mistake: 'extensions nested 45,000 deep',
    send: post(`{"query": "{ __typename }", "extensions": {"x": ${deepArray}}}`),
    status: 400,
    body: {
      errors: [
        {
          message:
            'The request\'s "extensions" nest more than 32 levels deep. Send flatter values: no input of this API is nested that deeply.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    },
  },
  {
    mistake: 'two unnamed operations and no operationName',
    send: (g) => g.query('query { __typename } query { __typename }'),
    status: 400,
    body: { errors: [{ message: NO_OPERATION, extensions: { code: 'BAD_REQUEST' } }] },
  },
  {
    mistake: 'two named operations and no operationName',
    send: (g) => g.query('query A { __typename } query B { __typename }'),
    status: 400,
    body: { errors: [{ message: NO_OPERATION, extensions: { code: 'BAD_REQUEST' } }] },
  },
  {
    mistake: 'an operationName the document does not hold',
    send: post(JSON.stringify({ query: 'query A { __typename }', operationName: 'B' })),
    status: 400,
    body: { errors: [{ message: NO_OPERATION, extensions: { code: 'BAD_REQUEST' } }] },
  },
  {
    mistake: '_entities with an unknown __typename',
    send: (g) =>
      g.query('query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }', {
        r: [{ __typename: 'Nope', id: '1' }],
      }),
    status: 200,
    body: {
      errors: [
        {
          message: 'Representation 0 has __typename "Nope"; this subgraph resolves only "BatchJob".',
          extensions: { code: 'BAD_USER_INPUT', argument: 'representations' },
        },
      ],
    },
  },
];

describe.each<{ mode: string; env: Record<string, string> }>([
  { mode: 'development', env: {} },
  { mode: 'production', env: { NODE_ENV: 'production', AUTH_MODE: 'none' } },
])('client mistakes are coded client errors, the same in $mode', ({ env }) => {
  it.each(mistakes)('$mistake', async ({ send, status, body }) => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env });

    const res = await send(gateway);

    expect(res.status).toBe(status);
    expect(res.body).toEqual(body);
    // Not a bug of the gateway's: nothing at error level, and it keeps serving.
    expect(gateway.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
    expect((await gateway.query('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    expect(upstream.requests).toHaveLength(0);
  });
});
