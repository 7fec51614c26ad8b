import { describe, expect, it } from 'vitest';
import { printedSubgraphSdl } from '../src/graphql/subgraph-sdl.js';
import { startDirectorySubgraph, DIRECTORY_SDL } from './support/directory-subgraph.js';
import { sendJson, startFakeUpstream, wireJob, type FakeUpstream } from './support/fake-upstream.js';
import { compose, startFederatedGateway } from './support/federated-gateway.js';
import { startGateway } from './support/gateway.js';

const PREFIX = '/api/v1/beta/batch-processing/';

/**
 * Serves `GET .../{id}` for the given jobs (progress = 10 × the job's index + 5), 404 for any other
 * id, and 500 for ids starting with `bjb-boom`; each answer takes `delayMs`, and the highest number
 * of requests in flight at once is recorded.
 */
function serveJobsById(upstream: FakeUpstream, ids: string[], delayMs = 0) {
  const stats = { inFlight: 0, maxInFlight: 0 };
  upstream.respond(async (req, res) => {
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    stats.inFlight -= 1;
    const id = decodeURIComponent(req.path.slice(PREFIX.length));
    if (id.startsWith('bjb-boom')) {
      sendJson(res, 500, { detail: 'Internal Server Error' });
      return;
    }
    const index = ids.indexOf(id);
    if (index === -1) {
      sendJson(res, 404, { detail: 'Batch job not found' });
      return;
    }
    sendJson(res, 200, {
      job: wireJob({ id, status: index % 2 === 0 ? 'running' : 'completed', total_items: 100, processed_items: index }),
      progress_percentage: index * 10 + 5,
    });
  });
  return stats;
}

describe('federation subgraph', () => {
  it('composes with another subgraph with no errors and no hints', () => {
    const composition = compose([
      { name: 'batch-jobs', url: new URL('http://batch-jobs/graphql'), sdl: printedSubgraphSdl() },
      { name: 'directories', url: new URL('http://directories/graphql'), sdl: DIRECTORY_SDL },
    ]);
    expect(composition.errors).toBeUndefined();
    expect((composition.hints ?? []).map((h) => h.toString())).toEqual([]);
  });

  it('serves its SDL with federation directives through _service', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('{ _service { sdl } }');

    const sdl: string = res.body.data._service.sdl;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable"])');
    expect(sdl).toMatch(/type BatchJob\s+@key\(fields: "id"\)\s+\{/);
    expect(sdl).toMatch(/type PageInfo\s+@shareable\s+\{/);
    expect(sdl).toContain('batchJob(');
    expect(upstream.requests).toHaveLength(0);
  });

  it('resolves references from another subgraph through a real federated gateway (upstream: by-id answers)', async () => {
    const ids = ['bjb-a', 'bjb-b', 'bjb-c', 'bjb-d'];
    await using upstream = await startFakeUpstream();
    const stats = serveJobsById(upstream, ids, 20);
    await using batchJobs = await startGateway({
      upstreamUrl: upstream.url,
      env: { UPSTREAM_MAX_CONCURRENCY: '2' },
    });
    await using directories = await startDirectorySubgraph([
      { id: 'dir-1', name: 'Invoices', jobIds: ['bjb-a', 'bjb-b', 'bjb-a'] },
      { id: 'dir-2', name: 'Contracts', jobIds: ['bjb-c', 'bjb-b', 'bjb-d'] },
    ]);
    await using federated = await startFederatedGateway([
      { name: 'batch-jobs', url: new URL('/graphql', batchJobs.url), sdl: printedSubgraphSdl() },
      { name: 'directories', url: directories.url, sdl: DIRECTORY_SDL },
    ]);

    const res = await federated.query(`{
      directories {
        id
        name
        batchJobs { id status progressPercentage totalItems processedItems }
      }
    }`);

    const job = (id: string, status: string, progressPercentage: number, processedItems: number) => ({
      id,
      status,
      progressPercentage,
      totalItems: 100,
      processedItems,
    });
    expect(res).toEqual({
      status: 200,
      body: {
        data: {
          directories: [
            {
              id: 'dir-1',
              name: 'Invoices',
              batchJobs: [
                job('bjb-a', 'RUNNING', 5, 0),
                job('bjb-b', 'COMPLETED', 15, 1),
                job('bjb-a', 'RUNNING', 5, 0),
              ],
            },
            {
              id: 'dir-2',
              name: 'Contracts',
              batchJobs: [
                job('bjb-c', 'RUNNING', 25, 2),
                job('bjb-b', 'COMPLETED', 15, 1),
                job('bjb-d', 'COMPLETED', 35, 3),
              ],
            },
          ],
        },
      },
    });
    // Six references, four distinct ids: four upstream calls, never more than two at once.
    expect(upstream.requests.map((r) => r.path).sort()).toEqual(ids.map((id) => `${PREFIX}${id}`));
    expect(stats.maxInFlight).toBe(2);
  });

  it('resolves 100 representations with duplicates, unknown ids and one failure as partial data (upstream: by-id answers, one 500)', async () => {
    const known = Array.from({ length: 8 }, (_, i) => `bjb-known-${i}`);
    await using upstream = await startFakeUpstream();
    const stats = serveJobsById(upstream, known, 5);
    await using gateway = await startGateway({ upstreamUrl: upstream.url });
    // 100 references: the 8 known ids over and over, 'bjb-unknown-N' every 10th, one failing id at 50.
    const representations = Array.from({ length: 100 }, (_, i) => {
      if (i === 50) return { __typename: 'BatchJob', id: 'bjb-boom' };
      if (i % 10 === 3) return { __typename: 'BatchJob', id: `bjb-unknown-${i % 20}` };
      return { __typename: 'BatchJob', id: known[i % known.length] ?? '' };
    });

    const res = await gateway.query(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on BatchJob { id status progressPercentage } } }',
      { r: representations },
    );

    const expected = representations.map((r) => {
      if (r.id === 'bjb-boom' || r.id.startsWith('bjb-unknown')) return null;
      const index = known.indexOf(r.id);
      return { id: r.id, status: index % 2 === 0 ? 'RUNNING' : 'COMPLETED', progressPercentage: index * 10 + 5 };
    });
    expect(res.body).toEqual({
      data: { _entities: expected },
      errors: [
        {
          message: 'LlamaCloud is unavailable (HTTP 500). Try again shortly.',
          locations: [{ line: 1, column: 24 }],
          path: ['_entities', 50],
          extensions: { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 500 },
        },
      ],
    });
    // 8 known + 2 unknown ('bjb-unknown-3', 'bjb-unknown-13') + 1 failing = 11 distinct ids, one call each.
    expect(upstream.requests).toHaveLength(11);
    expect(new Set(upstream.requests.map((r) => r.path)).size).toBe(11);
    expect(stats.maxInFlight).toBeLessThanOrEqual(8);
    expect(stats.maxInFlight).toBeGreaterThan(1);
  });
});

describe('batchJob(id)', () => {
  it("returns the job with LlamaCloud's own progress (upstream: status answer)", async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, { job: wireJob({ processed_items: 1 }), progress_percentage: 42.5 });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(
      '{ batchJob(id: "bjb-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee") { id status progressPercentage } }',
    );

    expect(res.body).toEqual({
      data: {
        batchJob: { id: 'bjb-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', status: 'RUNNING', progressPercentage: 42.5 },
      },
    });
    expect(upstream.requests.map((r) => [r.method, r.path, r.query])).toEqual([
      ['GET', '/api/v1/beta/batch-processing/bjb-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', {}],
    ]);
  });

  it('url-encodes the id into the path (upstream: 404)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(404, { detail: 'Batch job not found' });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('query ($id: ID!) { batchJob(id: $id) { id } }', { id: '../a b/c?d#e' });

    expect(res.body).toEqual({ data: { batchJob: null } });
    expect(upstream.requests[0]?.path).toBe('/api/v1/beta/batch-processing/..%2Fa%20b%2Fc%3Fd%23e');
  });

  it('gives null for an id LlamaCloud does not know (upstream: 404)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(404, { detail: 'Batch job not found' });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('{ batchJob(id: "bjb-missing") { id } }');

    expect(res.body).toEqual({ data: { batchJob: null } });
  });

  it.each([
    [401, { code: 'UPSTREAM_UNAUTHORIZED', upstreamStatus: 401 }],
    [422, { code: 'UPSTREAM_REJECTED', upstreamStatus: 422 }],
    [500, { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 500 }],
  ])('gives the coded error for any other failure (upstream: %i)', async (status, extensions) => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(status, { detail: 'nope' });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('{ batchJob(id: "bjb-1") { id } }');

    expect(res.body.data).toEqual({ batchJob: null });
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions).toEqual(extensions);
    expect(res.body.errors[0].path).toEqual(['batchJob']);
  });

  it('rejects an empty id with BAD_USER_INPUT and no upstream call', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('{ batchJob(id: "") { id } }');

    expect(res.body.errors[0]).toMatchObject({
      message: 'Argument "id" was ""; give the id of a batch job, such as "bjb-…".',
      extensions: { code: 'BAD_USER_INPUT', argument: 'id' },
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it('reuses a job from a list in the same operation instead of fetching it again (upstream: list only)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((req, res) => {
      if (req.path === '/api/v1/beta/batch-processing') {
        sendJson(res, 200, {
          items: [
            wireJob({ id: 'bjb-1', total_items: 3, processed_items: 1 }),
            wireJob({ id: 'bjb-2', total_items: 0 }),
          ],
          total_size: 2,
        });
      } else sendJson(res, 500, { detail: 'by-id should not be called' });
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(`{
      one: batchJob(id: "bjb-1") { id progressPercentage }
      list: batchJobs { nodes { id progressPercentage } }
      two: batchJob(id: "bjb-2") { id progressPercentage }
      entities: _entities(representations: [{ __typename: "BatchJob", id: "bjb-1" }]) { ... on BatchJob { id } }
    }`);

    expect(res.body).toEqual({
      data: {
        one: { id: 'bjb-1', progressPercentage: 33.33 },
        list: {
          nodes: [
            { id: 'bjb-1', progressPercentage: 33.33 },
            { id: 'bjb-2', progressPercentage: 0 },
          ],
        },
        two: { id: 'bjb-2', progressPercentage: 0 },
        entities: [{ id: 'bjb-1' }],
      },
    });
    expect(upstream.requests.map((r) => r.path)).toEqual(['/api/v1/beta/batch-processing']);
  });
});
