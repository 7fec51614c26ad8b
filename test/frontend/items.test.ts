import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/graphql/pagination.js';
import { sendJson, startFakeUpstream, wireJob, wireJobs } from '../support/fake-upstream.js';
import { startGateway } from '../support/gateway.js';

const item = (i: number, status = 'completed') => ({
  item_id: `itm-${i}`,
  item_name: `file-${i}.pdf`,
  status,
  error_message: status === 'failed' ? 'unreadable' : null,
  skip_reason: status === 'skipped' ? 'duplicate' : undefined,
  started_at: '2026-01-01T00:00:00+00:00',
  completed_at: status === 'pending' ? null : '2026-01-01T00:01:00Z',
});

describe('BatchJob.items', () => {
  it('proxies the items endpoint with status, limit and offset, and maps every field (upstream: job, then items)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((req, res) => {
      if (req.path.endsWith('/items')) {
        sendJson(res, 200, {
          items: ['completed', 'failed', 'skipped', 'pending', 'processing', 'cancelled'].map((s, i) =>
            item(i + 10, s),
          ),
          total_size: 16,
        });
      } else sendJson(res, 200, { job: wireJob({ id: 'bjb-1' }), progress_percentage: 1 });
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(`{ batchJob(id: "bjb-1") { items(status: FAILED, limit: 6, offset: 10) {
      totalCount pageInfo { hasNextPage hasPreviousPage }
      edges { cursor node { id name status errorMessage skipReason startedAt completedAt effectiveAt } } } } }`);

    const statuses = ['COMPLETED', 'FAILED', 'SKIPPED', 'PENDING', 'PROCESSING', 'CANCELLED'];
    expect(res.body).toEqual({
      data: {
        batchJob: {
          items: {
            totalCount: 16,
            pageInfo: { hasNextPage: false, hasPreviousPage: true },
            edges: statuses.map((status, i) => ({
              cursor: encodeCursor(10 + i),
              node: {
                id: `itm-${10 + i}`,
                name: `file-${10 + i}.pdf`,
                status,
                errorMessage: status === 'FAILED' ? 'unreadable' : null,
                skipReason: status === 'SKIPPED' ? 'duplicate' : null,
                startedAt: '2026-01-01T00:00:00.000Z',
                completedAt: status === 'PENDING' ? null : '2026-01-01T00:01:00.000Z',
                effectiveAt: null,
              },
            })),
          },
        },
      },
    });
    expect(upstream.requests.map((r) => [r.path, r.query])).toEqual([
      ['/api/v1/beta/batch-processing/bjb-1', {}],
      ['/api/v1/beta/batch-processing/bjb-1/items', { status: 'failed', limit: '6', offset: '10' }],
    ]);
  });

  it('treats an answer without items as an empty page (upstream: {})', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((req, res) =>
      req.path.endsWith('/items')
        ? sendJson(res, 200, {})
        : sendJson(res, 200, { job: wireJob({ id: 'bjb-1' }), progress_percentage: 1 }),
    );
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(
      '{ batchJob(id: "bjb-1") { items { totalCount nodes { id } pageInfo { hasNextPage startCursor } } } }',
    );

    expect(res.body).toEqual({
      data: {
        batchJob: { items: { totalCount: null, nodes: [], pageInfo: { hasNextPage: false, startCursor: null } } },
      },
    });
  });

  it('validates limit before calling the upstream', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((_req, res) => sendJson(res, 200, { job: wireJob({ id: 'bjb-1' }), progress_percentage: 1 }));
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('{ batchJob(id: "bjb-1") { id items(limit: 0) { totalCount } } }');

    expect(res.body.errors[0]).toMatchObject({
      message: 'Argument "limit" was 0; give a whole number from 1 to 1000.',
      path: ['batchJob', 'items'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'limit' },
    });
    expect(upstream.requests.filter((r) => r.path.endsWith('/items'))).toHaveLength(0);
  });
});

describe('batchJobs(after:)', () => {
  it('pages with the cursor of an earlier page (upstream: 25 jobs)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((req, res) => {
      const offset = Number(req.query.offset);
      sendJson(res, 200, {
        items: wireJobs(Math.max(0, Math.min(Number(req.query.limit), 25 - offset)), offset),
        total_size: 25,
      });
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const first = await gateway.query('{ batchJobs(limit: 10) { pageInfo { endCursor } } }');
    const endCursor: string = first.body.data.batchJobs.pageInfo.endCursor;
    const second = await gateway.query(
      'query ($after: String) { batchJobs(limit: 10, after: $after) { nodes { id } pageInfo { hasPreviousPage } } }',
      {
        after: endCursor,
      },
    );

    expect(second.body.data.batchJobs.nodes[0]).toEqual({ id: 'bjb-0010' });
    expect(second.body.data.batchJobs.pageInfo).toEqual({ hasPreviousPage: true });
    expect(upstream.requests.map((r) => r.query.offset)).toEqual(['0', '10']);
  });

  it('accepts an explicit offset of 0 beside the cursor, as clients that always send offset do (upstream: a page)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, { items: wireJobs(2, 4), total_size: 25 });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(
      'query ($after: String, $offset: Int) { batchJobs(limit: 2, after: $after, offset: $offset) { nodes { id } } }',
      { after: encodeCursor(3), offset: 0 },
    );

    expect(res.body).toEqual({ data: { batchJobs: { nodes: [{ id: 'bjb-0004' }, { id: 'bjb-0005' }] } } });
    expect(upstream.requests.map((r) => r.query.offset)).toEqual(['4']);
  });

  it.each([
    [
      'after and offset together',
      `batchJobs(after: "${encodeCursor(3)}", offset: 5)`,
      'Give either "after" (a cursor) or an "offset" other than 0, not both (got offset 5).',
    ],
    [
      'a cursor this API did not make',
      'batchJobs(after: "not-a-cursor")',
      'Argument "after" was "not-a-cursor"; give a cursor from an earlier page (an edge\'s cursor or pageInfo.endCursor).',
    ],
  ])('refuses %s with BAD_USER_INPUT and no upstream call', async (_name, field, message) => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(`{ ${field} { totalCount } }`);

    expect(res.body.errors[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT', argument: 'after' } });
    expect(upstream.requests).toHaveLength(0);
  });
});
