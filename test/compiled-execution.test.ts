import { describe, expect, it } from 'vitest';
import { sendJson, startFakeUpstream, wireJob, wireJobs, type FakeUpstream } from './support/fake-upstream.js';
import { metricValue, startGateway, type GraphQLResponse } from './support/gateway.js';

const PREFIX = '/api/v1/beta/batch-processing';
const COMPILED = 'gateway_graphql_compiled_operations_total';

/** A list of three jobs, one job by id, one unknown id (404), one failing id (500), and items. */
function serveLlamaCloud(upstream: FakeUpstream): void {
  upstream.respond((req, res) => {
    if (req.path === PREFIX) {
      sendJson(res, 200, { items: wireJobs(3, Number(req.query.offset ?? 0)), total_size: 3 });
    } else if (req.path === `${PREFIX}/bjb-0001`) {
      sendJson(res, 200, { job: wireJob({ id: 'bjb-0001', status: 'completed' }), progress_percentage: 100 });
    } else if (req.path === `${PREFIX}/bjb-0001/items`) {
      sendJson(res, 200, {
        items: [{ item_id: 'itm-1', item_name: 'a.pdf', status: 'failed', error_message: 'unreadable' }],
        total_size: 1,
      });
    } else if (req.path === `${PREFIX}/bjb-boom`) {
      sendJson(res, 500, { detail: 'boom' });
    } else {
      sendJson(res, 404, { detail: 'Not found' });
    }
  });
}

// Each request is sent to a gateway that never compiles and to one that compiles at once.
const REQUESTS: Array<{
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /**
   * The one known difference: when an error nulls the whole answer, graphql-jit still lets the
   * sibling fields' upstream calls finish (and waits for them), where the generic executor answers
   * at once. The answer is the same; the upstream sees one more call.
   */
  siblingCallsFinish?: boolean;
}> = [
  {
    name: 'a page with fragments, aliases, __typename, @skip/@include and cursors',
    query: `query Page($withItems: Boolean!, $offset: Int) {
      first: batchJobs(limit: 3, offset: $offset) {
        __typename totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { ...Job } }
        nodes @skip(if: $withItems) { id }
      }
      one: batchJob(id: "bjb-0001") {
        ...Job
        items(limit: 5) @include(if: $withItems) { totalCount nodes { id name status errorMessage startedAt } }
      }
    }
    fragment Job on BatchJob { __typename id jobType status totalItems processedItems progressPercentage createdAt completedAt }`,
    variables: { withItems: true, offset: 2 },
  },
  {
    name: 'partial data: an unknown id (null) next to a failing one (coded error with path and locations)',
    query:
      '{ known: batchJob(id: "bjb-0001") { id } unknown: batchJob(id: "bjb-nope") { id } failing: batchJob(id: "bjb-boom") { id status } }',
  },
  {
    name: 'a resolver argument refused (BAD_USER_INPUT, no upstream call)',
    query: '{ batchJobs(limit: 0) { totalCount } }',
  },
  {
    name: 'a non-null field whose resolver fails (the error nulls the whole query)',
    query: '{ batchJobs(limit: 2) { totalCount } broken: batchJobs(offset: -1) { totalCount } }',
    siblingCallsFinish: true,
  },
  {
    name: 'variables that cannot be coerced (400 BAD_REQUEST, as before compiling)',
    query: 'query ($l: Int) { batchJobs(limit: $l) { totalCount } }',
    variables: { l: 'abc' },
  },
  {
    name: 'federation entities with an unknown and a failing reference',
    query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on BatchJob { id status } } }',
    variables: {
      r: [
        { __typename: 'BatchJob', id: 'bjb-0001' },
        { __typename: 'BatchJob', id: 'bjb-nope' },
        { __typename: 'BatchJob', id: 'bjb-boom' },
      ],
    },
  },
];

async function answerOf(
  compileAfter: string,
  request: (typeof REQUESTS)[number],
): Promise<{ res: GraphQLResponse; upstream: string[]; compiled: number }> {
  await using upstream = await startFakeUpstream();
  serveLlamaCloud(upstream);
  await using gateway = await startGateway({
    upstreamUrl: upstream.url,
    env: { COMPILE_QUERIES_AFTER: compileAfter, UPSTREAM_MAX_RETRIES: '0' },
  });
  const res = await gateway.query(request.query, request.variables);
  return {
    res,
    upstream: upstream.requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)}`).sort(),
    compiled: metricValue(await gateway.metrics(), COMPILED),
  };
}

/** The 1-based column of `word` in a one-line query. */
const columnOf = (request: (typeof REQUESTS)[number] | undefined, word: string) =>
  (request?.query.indexOf(word) ?? -2) + 1;

describe('compiled execution (graphql-jit)', () => {
  it.each(REQUESTS)('answers exactly as the generic executor: $name', async (request) => {
    const generic = await answerOf('0', request);
    const compiled = await answerOf('1', request);

    expect(generic.compiled).toBe(0);
    expect(compiled.compiled).toBe(1);
    expect({ status: compiled.res.status, body: compiled.res.body }).toEqual({
      status: generic.res.status,
      body: generic.res.body,
    });
    if (request.siblingCallsFinish) {
      expect(generic.upstream).toEqual([]);
      expect(compiled.upstream).toEqual(['GET /api/v1/beta/batch-processing {"limit":"2","offset":"0"}']);
    } else {
      expect(compiled.upstream).toEqual(generic.upstream);
    }
    // The comparison is only worth something if the answers say something.
    expect(JSON.stringify(generic.res.body)).toMatch(/"(data|errors)"/);
  });

  it('keeps the exact answers the parity cases rely on', async () => {
    const [page, partial, refused, nulled, badVariables] = await Promise.all(
      REQUESTS.slice(0, 5).map((request) => answerOf('1', request)),
    );
    expect(page?.res.body.data.first.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([
      'bjb-0002',
      'bjb-0003',
      'bjb-0004',
    ]);
    expect(page?.res.body.data.one.items).toEqual({
      totalCount: 1,
      nodes: [{ id: 'itm-1', name: 'a.pdf', status: 'FAILED', errorMessage: 'unreadable', startedAt: null }],
    });
    expect(partial?.res.body).toEqual({
      data: { known: { id: 'bjb-0001' }, unknown: null, failing: null },
      errors: [
        {
          message: 'LlamaCloud is unavailable (HTTP 500). Try again shortly.',
          locations: [{ line: 1, column: columnOf(REQUESTS[1], 'failing') }],
          path: ['failing'],
          extensions: { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 500 },
        },
      ],
    });
    expect(refused?.res.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Argument "limit" was 0; give a whole number from 1 to 1000.',
          locations: [{ line: 1, column: 3 }],
          path: ['batchJobs'],
          extensions: { code: 'BAD_USER_INPUT', argument: 'limit' },
        },
      ],
    });
    expect(nulled?.res.body).toMatchObject({
      data: null,
      errors: [{ path: ['broken'], locations: [{ line: 1, column: columnOf(REQUESTS[3], 'broken') }] }],
    });
    expect(badVariables?.res.status).toBe(200);
    expect(badVariables?.res.body.errors[0]).toEqual({
      message: 'Variable "$l" got invalid value "abc"; Int cannot represent non-integer value: "abc"',
      locations: [{ line: 1, column: 8 }],
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('compiles an operation only once it has run COMPILE_QUERIES_AFTER times, then answers the same', async () => {
    await using upstream = await startFakeUpstream();
    serveLlamaCloud(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { COMPILE_QUERIES_AFTER: '3' } });
    const query = '{ batchJobs(limit: 3) { totalCount nodes { id status createdAt } } }';

    const compiledAfterEach: number[] = [];
    const bodies: unknown[] = [];
    for (let run = 0; run < 5; run += 1) {
      bodies.push((await gateway.query(query)).body);
      compiledAfterEach.push(metricValue(await gateway.metrics(), COMPILED));
    }
    expect(compiledAfterEach).toEqual([0, 0, 1, 1, 1]);
    expect(bodies.every((body) => JSON.stringify(body) === JSON.stringify(bodies[0]))).toBe(true);
    expect(bodies[0]).toEqual({
      data: {
        batchJobs: {
          totalCount: 3,
          nodes: wireJobs(3).map((job) => ({ id: job.id, status: 'RUNNING', createdAt: job.created_at })),
        },
      },
    });
  });

  it('never compiles mutations', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((req, res) =>
      req.method === 'POST'
        ? sendJson(res, 200, { job_id: 'bjb-0001', status: 'cancelled' })
        : sendJson(res, 200, { job: wireJob({ id: 'bjb-0001', status: 'cancelled' }), progress_percentage: 40 }),
    );
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('mutation { cancelBatchJob(id: "bjb-0001") { id status } }');

    expect(res.body).toEqual({ data: { cancelBatchJob: { id: 'bjb-0001', status: 'CANCELLED' } } });
    expect(metricValue(await gateway.metrics(), COMPILED)).toBe(0);
  });
});
