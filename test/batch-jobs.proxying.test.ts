import { describe, expect, it } from 'vitest';
import { startFakeUpstream, wireJobs } from './support/fake-upstream.js';
import { startGateway } from './support/gateway.js';

describe('batchJobs proxying', () => {
  it.each([
    ['directoryId: "dir-1"', { directory_id: 'dir-1' }],
    ['jobType: PARSE', { job_type: 'parse' }],
    ['jobType: EXTRACT', { job_type: 'extract' }],
    ['jobType: CLASSIFY', { job_type: 'classify' }],
    ['status: PENDING', { status: 'pending' }],
    ['status: RUNNING', { status: 'running' }],
    ['status: DISPATCHED', { status: 'dispatched' }],
    ['status: COMPLETED', { status: 'completed' }],
    ['status: FAILED', { status: 'failed' }],
    ['status: CANCELLED', { status: 'cancelled' }],
    ['projectId: "7f1c2a4e-0000-4000-8000-000000000001"', { project_id: '7f1c2a4e-0000-4000-8000-000000000001' }],
    ['organizationId: "org-9"', { organization_id: 'org-9' }],
  ])('sends filter { %s } as a snake_case query parameter (upstream: empty list)', async (filter, expected) => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(`{ batchJobs(filter: { ${filter} }) { totalCount } }`);

    expect(res.body).toEqual({ data: { batchJobs: { totalCount: 0 } } });
    expect(upstream.requests.map((r) => r.query)).toEqual([{ ...expected, limit: '20', offset: '0' }]);
  });

  it('sends every filter field together, and nothing for fields left null (upstream: empty list)', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    await gateway.query(`query ($f: BatchJobFilter) { batchJobs(filter: $f, limit: 50, offset: 100) { totalCount } }`, {
      f: { directoryId: 'd', jobType: 'CLASSIFY', status: 'FAILED', projectId: 'p', organizationId: 'o' },
    });
    await gateway.query(`query ($f: BatchJobFilter) { batchJobs(filter: $f) { totalCount } }`, {
      f: { directoryId: null, jobType: null, status: 'RUNNING' },
    });

    expect(upstream.requests.map((r) => r.query)).toEqual([
      {
        directory_id: 'd',
        job_type: 'classify',
        status: 'failed',
        project_id: 'p',
        organization_id: 'o',
        limit: '50',
        offset: '100',
      },
      { status: 'running', limit: '20', offset: '0' },
    ]);
  });

  it('url-encodes filter values it passes on (upstream: empty list)', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    await gateway.query('{ batchJobs(filter: { directoryId: "a&b=c d/é" }) { totalCount } }');

    expect(upstream.requests[0]?.query).toEqual({ directory_id: 'a&b=c d/é', limit: '20', offset: '0' });
  });

  it('makes one upstream call for aliases asking for the same page, one per distinct page (upstream: 3 jobs)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, { items: wireJobs(3), total_size: 3 });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(`{
      a: batchJobs(limit: 3) { totalCount nodes { id } }
      b: batchJobs(limit: 3, offset: 0) { edges { cursor } }
      c: batchJobs(limit: 3, filter: { status: RUNNING }) { totalCount }
      d: batchJobs(filter: { status: RUNNING }, limit: 3) { totalCount }
    }`);

    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.a.nodes).toEqual([{ id: 'bjb-0000' }, { id: 'bjb-0001' }, { id: 'bjb-0002' }]);
    expect(upstream.requests.map((r) => r.query)).toEqual([
      { limit: '3', offset: '0' },
      { status: 'running', limit: '3', offset: '0' },
    ]);
  });

  it('does not share results between two HTTP requests (upstream: 1 job)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, { items: wireJobs(1), total_size: 1 });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    await gateway.query('{ batchJobs { totalCount } }');
    await gateway.query('{ batchJobs { totalCount } }');

    expect(upstream.requests).toHaveLength(2);
  });

  it('keeps a path prefix of the base URL (upstream behind a proxy path)', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: new URL('/llama/', upstream.url) });

    await gateway.query('{ batchJobs { totalCount } }');

    expect(upstream.requests[0]?.path).toBe('/llama/api/v1/beta/batch-processing');
  });
});
