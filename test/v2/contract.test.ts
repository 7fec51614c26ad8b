/**
 * Batch API v2 (LLAMA_CLOUD_BATCH_API=v2) through the real app over HTTP, against a fake v2
 * LlamaCloud: field mapping, unknown values, cursor paging to the end, filters v2 cannot apply.
 */
import { describe, expect, it } from 'vitest';
import { batchesResponder, wireBatch, wireBatches, wireResults } from '../support/fake-batches.js';
import { sendJson, startFakeUpstream, wireJob } from '../support/fake-upstream.js';
import { metricValue, startGateway } from '../support/gateway.js';

const V2 = { LLAMA_CLOUD_BATCH_API: 'v2' };
const ALL_FIELDS = `id jobType rawJobType projectId status rawStatus totalItems processedItems failedItems skippedItems
  directoryId errorMessage jobRecordId workflowId createdAt updatedAt startedAt completedAt effectiveAt
  progressPercentage configurationId results { sourceDirectoryFileId job { id type } errorMessage }`;
const gets = (upstream: { requests: Array<{ method: string; path: string; query: Record<string, string> }> }) =>
  upstream.requests.filter((r) => r.method === 'GET').map((r) => [r.path, r.query]);

/** Every field of the batch `wireBatch()` makes, as GraphQL serves it, with `results`. */
const MAPPED = {
  id: 'bat-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  jobType: 'PARSE',
  rawJobType: 'parse_v2',
  projectId: 'proj-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  status: 'RUNNING',
  rawStatus: 'RUNNING',
  totalItems: 3,
  processedItems: null,
  failedItems: null,
  skippedItems: null,
  directoryId: 'dir-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  errorMessage: null,
  jobRecordId: null,
  workflowId: null,
  createdAt: '2026-11-27T18:11:19.117Z',
  updatedAt: '2026-11-27T18:12:19.117Z',
  startedAt: null,
  completedAt: null,
  effectiveAt: null,
  progressPercentage: null,
  configurationId: 'cfg-PARSE_AGENTIC',
  results: [
    { sourceDirectoryFileId: 'dfl-0000', job: null, errorMessage: 'Unsupported file type: .exe' },
    { sourceDirectoryFileId: 'dfl-0001', job: { id: 'pjb-1', type: 'parse' }, errorMessage: null },
    { sourceDirectoryFileId: 'dfl-0002', job: { id: 'pjb-2', type: 'parse' }, errorMessage: null },
  ],
};

describe('batch API v2: one job', () => {
  it('maps every field of GET /api/v2/batches/{id}?expand=results, and says V2 (upstream: a running batch)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(batchesResponder([wireBatch()]));
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: V2 });

    const res = await gateway.query(`query ($id: ID!) { batchApiGeneration batchJob(id: $id) { ${ALL_FIELDS} } }`, {
      id: MAPPED.id,
    });

    expect(res.body).toEqual({ data: { batchApiGeneration: 'V2', batchJob: MAPPED } });
    expect(gets(upstream)).toEqual([[`/api/v2/batches/${MAPPED.id}`, { expand: 'results' }]]);
    expect(upstream.requests[0]?.headers.authorization).toMatch(/^Bearer llx-test-/);
  });

  it('is null for an unknown id, and null results while LlamaCloud lists none (upstream: 404, then results null)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(batchesResponder([wireBatch({ status: 'PENDING', results: null })]));
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: V2 });

    const res = await gateway.query(
      '{ missing: batchJob(id: "bat-nope") { id } pending: batchJob(id: "bat-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee") { status totalItems results { sourceDirectoryFileId } } }',
    );

    expect(res.body).toEqual({ data: { missing: null, pending: { status: 'PENDING', totalItems: 0, results: null } } });
  });

  it('serves THROTTLED, and a status or type it does not know as UNKNOWN with the raw text, keeping the page (upstream: new values)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(
      batchesResponder([
        wireBatch({ id: 'bat-1', status: 'THROTTLED' }),
        wireBatch({ id: 'bat-2', status: 'PAUSED', config: { job: { configuration_id: 'cfg-1', type: 'split_v2' } } }),
        wireBatch({
          id: 'bat-3',
          status: 'COMPLETED',
          config: { job: { configuration_id: 'cfg-2', type: 'extract_v2' } },
        }),
      ]),
    );
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: V2 });

    const res = await gateway.query('{ batchJobs { nodes { id status rawStatus jobType rawJobType } } }');

    expect(res.body).toEqual({
      data: {
        batchJobs: {
          nodes: [
            { id: 'bat-1', status: 'THROTTLED', rawStatus: 'THROTTLED', jobType: 'PARSE', rawJobType: 'parse_v2' },
            { id: 'bat-2', status: 'UNKNOWN', rawStatus: 'PAUSED', jobType: 'UNKNOWN', rawJobType: 'split_v2' },
            { id: 'bat-3', status: 'COMPLETED', rawStatus: 'COMPLETED', jobType: 'EXTRACT', rawJobType: 'extract_v2' },
          ],
        },
      },
    });
    const metrics = await gateway.metrics();
    expect(
      metricValue(metrics, 'gateway_upstream_unknown_enum_values_total', { enum: 'BatchJobStatus', value: 'PAUSED' }),
    ).toBe(1);
    expect(
      metricValue(metrics, 'gateway_upstream_unknown_enum_values_total', { enum: 'BatchJobType', value: 'split_v2' }),
    ).toBe(1);
    expect(gateway.logs.filter((l) => l.value === 'PAUSED')).toHaveLength(1);
  });

  it('reads a listed job by id, once, for its totalItems and results; not at all without them (upstream: two batches)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(
      batchesResponder([wireBatch({ id: 'bat-1' }), wireBatch({ id: 'bat-2', results: wireResults(5) })]),
    );
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: V2 });

    const plain = await gateway.query('{ batchJobs { nodes { id status } } }');
    expect(plain.body).toEqual({
      data: {
        batchJobs: {
          nodes: [
            { id: 'bat-1', status: 'RUNNING' },
            { id: 'bat-2', status: 'RUNNING' },
          ],
        },
      },
    });
    expect(gets(upstream)).toEqual([['/api/v2/batches', { page_size: '20' }]]);

    upstream.requests.length = 0;
    const counted = await gateway.query('{ batchJobs { nodes { id totalItems results { sourceDirectoryFileId } } } }');
    const nodes = (
      counted.body as { data: { batchJobs: { nodes: Array<{ totalItems: number; results: unknown[] }> } } }
    ).data.batchJobs.nodes;
    expect(nodes.map((n) => [n.totalItems, n.results.length])).toEqual([
      [3, 3],
      [5, 5],
    ]);
    expect(gets(upstream)).toEqual([
      ['/api/v2/batches', { page_size: '20' }],
      ['/api/v2/batches/bat-1', { expand: 'results' }],
      ['/api/v2/batches/bat-2', { expand: 'results' }],
    ]);
  });

  it('refuses items, which v2 does not have, naming results instead (no upstream call for them)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(batchesResponder([wireBatch()]));
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: V2 });

    const res = await gateway.query(`{ batchJob(id: "${MAPPED.id}") { id items { totalCount } } }`);

    expect(res.body).toEqual({
      data: { batchJob: null },
      errors: [
        {
          message:
            "LlamaCloud's batch API v2 (which this gateway calls) has no items: select `results` instead (one per file, with the parse or extract job it became).",
          locations: [{ line: 1, column: 65 }],
          path: ['batchJob', 'items'],
          extensions: { code: 'BAD_USER_INPUT', argument: 'items' },
        },
      ],
    });
    expect(upstream.requests.map((r) => r.path)).toEqual([`/api/v2/batches/${MAPPED.id}`]);
  });

  it('v1 says V1 and has null v2 fields (upstream: a v1 job)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((_req, res) => sendJson(res, 200, { job: wireJob(), progress_percentage: 40 }));
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(
      '{ batchApiGeneration batchJob(id: "bjb-1") { configurationId results { sourceDirectoryFileId } } }',
    );

    expect(res.body).toEqual({
      data: { batchApiGeneration: 'V1', batchJob: { configurationId: null, results: null } },
    });
  });
});

describe('batch API v2: paging by cursor', () => {
  const PAGE =
    'query ($after: String, $limit: Int) { batchJobs(limit: $limit, after: $after) { pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } } } }';
  interface Page {
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
    edges: Array<{ cursor: string; node: { id: string } }>;
  }

  it('walks every batch to the end by endCursor, one upstream page per page, with its token (upstream: 45 batches)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(batchesResponder(wireBatches(45)));
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: V2 });

    const seen: string[] = [];
    const flags: Array<[boolean, boolean]> = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i += 1) {
      const res = await gateway.query(PAGE, { after, limit: 20 });
      const page = (res.body as { data: { batchJobs: Page } }).data.batchJobs;
      seen.push(...page.edges.map((e) => e.node.id));
      flags.push([page.pageInfo.hasNextPage, page.pageInfo.hasPreviousPage]);
      after = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }

    expect(seen).toEqual(wireBatches(45).map((b) => b.id));
    expect(flags).toEqual([
      [true, false],
      [true, true],
      [false, true],
    ]);
    expect(gets(upstream)).toEqual([
      ['/api/v2/batches', { page_size: '20' }],
      ['/api/v2/batches', { page_size: '20', page_token: 'tok-20' }],
      ['/api/v2/batches', { page_size: '20', page_token: 'tok-40' }],
    ]);
  });

  it('resumes after any edge of a page, not only the last (upstream: 45 batches)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(batchesResponder(wireBatches(45)));
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: V2 });

    const first = (await gateway.query(PAGE, { limit: 10 })).body as { data: { batchJobs: Page } };
    const fourth = first.data.batchJobs.edges[3]?.cursor;
    const res = await gateway.query(PAGE, { after: fourth, limit: 10 });
    const page = (res.body as { data: { batchJobs: Page } }).data.batchJobs;

    expect(page.edges.map((e) => e.node.id)).toEqual(wireBatches(10, 4).map((b) => b.id));
    expect(page.pageInfo.hasNextPage).toBe(true);
    // The same upstream page again, long enough to skip what came before the cursor.
    expect(gets(upstream).at(-1)).toEqual(['/api/v2/batches', { page_size: '14' }]);
    // Its end moves on to the next token.
    const next = await gateway.query(PAGE, { after: page.pageInfo.endCursor, limit: 10 });
    expect((next.body as { data: { batchJobs: Page } }).data.batchJobs.edges[0]?.node.id).toBe('bat-0014');
    expect(gets(upstream).at(-1)).toEqual(['/api/v2/batches', { page_size: '10', page_token: 'tok-14' }]);
  });

  it.each([
    [
      'an offset above 0',
      { offset: 20 },
      'offset',
      'Argument "offset" was 20; LlamaCloud\'s batch API v2 pages by cursor only: pass pageInfo.endCursor of the page before as "after" instead.',
    ],
    [
      'a v1 cursor',
      { after: Buffer.from('offset:19').toString('base64url') },
      'after',
      `Argument "after" was "${Buffer.from('offset:19').toString('base64url')}"; give a cursor from an earlier page (an edge's cursor or pageInfo.endCursor).`,
    ],
    [
      'a made-up cursor',
      { after: 'not a cursor' },
      'after',
      'Argument "after" was "not a cursor"; give a cursor from an earlier page (an edge\'s cursor or pageInfo.endCursor).',
    ],
  ])('refuses %s with BAD_USER_INPUT, before any upstream call', async (_name, variables, argument, message) => {
    await using upstream = await startFakeUpstream();
    upstream.respond(batchesResponder(wireBatches(5)));
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: V2 });

    const res = await gateway.query(
      'query ($offset: Int, $after: String) { batchJobs(offset: $offset, after: $after) { nodes { id } } }',
      variables,
    );

    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message,
          locations: [{ line: 1, column: 40 }],
          path: ['batchJobs'],
          extensions: { code: 'BAD_USER_INPUT', argument },
        },
      ],
    });
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('batch API v2: filters', () => {
  const LIST = 'query ($filter: BatchJobFilter) { batchJobs(filter: $filter, limit: 5) { nodes { id } } }';

  it('sends the filters v2 has under its names (upstream: any page)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(batchesResponder([]));
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: V2 });

    const res = await gateway.query(LIST, {
      filter: {
        status: 'THROTTLED',
        directoryId: 'dir-1',
        projectId: 'proj-1',
        organizationId: 'org-1',
        createdAtOnOrAfter: '2026-11-01T00:00:00+01:00',
        createdAtOnOrBefore: '2026-11-30T23:59:59.999Z',
      },
    });

    expect(res.body).toEqual({ data: { batchJobs: { nodes: [] } } });
    expect(gets(upstream)).toEqual([
      [
        '/api/v2/batches',
        {
          status: 'THROTTLED',
          source_directory_id: 'dir-1',
          created_at_on_or_after: '2026-10-31T23:00:00.000Z',
          created_at_on_or_before: '2026-11-30T23:59:59.999Z',
          project_id: 'proj-1',
          organization_id: 'org-1',
          page_size: '5',
        },
      ],
    ]);
  });

  it.each([
    ['v2', 'jobType', { jobType: 'PARSE' }, 'filter.jobType', '"PARSE"', 'leave filter.jobType out'],
    [
      'v2',
      'DISPATCHED',
      { status: 'DISPATCHED' },
      'filter.status',
      '"DISPATCHED"',
      'v2 has no such status; give another or leave it out',
    ],
    [
      'v1',
      'createdAtOnOrAfter',
      { createdAtOnOrAfter: '2026-11-01T00:00:00.000Z' },
      'filter.createdAtOnOrAfter',
      '"2026-11-01T00:00:00.000Z"',
      'leave filter.createdAtOnOrAfter out',
    ],
    ['v1', 'THROTTLED', { status: 'THROTTLED' }, 'filter.status', '"THROTTLED"', 'leave it out (v1 never sends it)'],
  ])(
    'under %s, refuses a filter that generation cannot apply (%s), naming it, with no upstream call',
    async (generation, _name, filter, argument, quoted, instead) => {
      await using upstream = await startFakeUpstream();
      await using gateway = await startGateway({
        upstreamUrl: upstream.url,
        env: { LLAMA_CLOUD_BATCH_API: generation },
      });

      const res = await gateway.query(LIST, { filter });

      expect(res.body.errors).toEqual([
        {
          message: `Argument "${argument}" was ${quoted}; LlamaCloud's batch API ${generation} (which this gateway calls) cannot filter by it, and the gateway does not filter pages itself (that would break paging); ${instead}.`,
          locations: [{ line: 1, column: 35 }],
          path: ['batchJobs'],
          extensions: { code: 'BAD_USER_INPUT', argument },
        },
      ]);
      expect(upstream.requests).toHaveLength(0);
    },
  );

  it('refuses a created-at range that ends before it starts', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: V2 });

    const res = await gateway.query(LIST, {
      filter: { createdAtOnOrAfter: '2026-11-30T00:00:00.000Z', createdAtOnOrBefore: '2026-11-01T00:00:00.000Z' },
    });

    expect(res.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'filter.createdAtOnOrAfter' });
    expect(res.body.errors[0].message).toBe(
      'Argument "filter.createdAtOnOrAfter" was "2026-11-30T00:00:00.000Z"; give a time no later than createdAtOnOrBefore (2026-11-01T00:00:00.000Z).',
    );
    expect(upstream.requests).toHaveLength(0);
  });
});
