import { describe, expect, it } from 'vitest';
import { startFakeUpstream, wireJob } from './support/fake-upstream.js';
import { startGateway, TEST_API_KEY } from './support/gateway.js';

const ALL_FIELDS = `
  id jobType projectId status totalItems processedItems failedItems skippedItems
  directoryId errorMessage jobRecordId workflowId
  createdAt updatedAt startedAt completedAt effectiveAt progressPercentage`;

describe('batchJobs field mapping', () => {
  it('maps every upstream field to its camelCase field (upstream: one full job)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, { items: [wireJob()], next_page_token: null, total_size: 1 });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(`{ batchJobs { nodes { ${ALL_FIELDS} } } }`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        batchJobs: {
          nodes: [
            {
              id: 'bjb-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
              jobType: 'PARSE',
              projectId: 'proj-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
              status: 'RUNNING',
              totalItems: 10,
              processedItems: 4,
              failedItems: 1,
              skippedItems: 2,
              directoryId: 'dir-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
              errorMessage: 'last attempt: <b>"timeout"</b>',
              jobRecordId: 'job_record_id',
              workflowId: 'workflow_id',
              createdAt: '2019-12-27T18:11:19.117Z',
              updatedAt: '2019-12-27T18:12:19.117Z',
              startedAt: '2019-12-27T18:11:20.117Z',
              completedAt: '2019-12-27T18:13:19.117Z',
              effectiveAt: '2019-12-27T18:11:19.117Z',
              // From the list: computed, processed 4 of 10.
              progressPercentage: 40,
            },
          ],
        },
      },
    });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]).toMatchObject({
      method: 'GET',
      path: '/api/v1/beta/batch-processing',
      query: { limit: '20', offset: '0' },
    });
    expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
  });

  it('gives null for optional fields that are absent or null (upstream: only required fields)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, {
      items: [
        { id: 'bjb-min', job_type: 'extract', project_id: 'p1', status: 'pending', total_items: 0 },
        {
          id: 'bjb-nulls',
          job_type: 'classify',
          project_id: 'p1',
          status: 'dispatched',
          total_items: 3,
          processed_items: null,
          error_message: null,
          created_at: null,
        },
      ],
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(`{ batchJobs { totalCount nodes { ${ALL_FIELDS} } } }`);

    const nulls = {
      processedItems: null,
      failedItems: null,
      skippedItems: null,
      directoryId: null,
      errorMessage: null,
      jobRecordId: null,
      workflowId: null,
      createdAt: null,
      updatedAt: null,
      startedAt: null,
      completedAt: null,
      effectiveAt: null,
      progressPercentage: 0,
    };
    expect(res.body).toEqual({
      data: {
        batchJobs: {
          totalCount: null,
          nodes: [
            { id: 'bjb-min', jobType: 'EXTRACT', projectId: 'p1', status: 'PENDING', totalItems: 0, ...nulls },
            { id: 'bjb-nulls', jobType: 'CLASSIFY', projectId: 'p1', status: 'DISPATCHED', totalItems: 3, ...nulls },
          ],
        },
      },
    });
  });

  it('maps every job type and status value (upstream: one job per value)', async () => {
    const types = ['parse', 'extract', 'classify'];
    const statuses = ['pending', 'running', 'dispatched', 'completed', 'failed', 'cancelled'];
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, {
      items: statuses.map((status, i) => wireJob({ id: `bjb-${i}`, status, job_type: types[i % 3] })),
      total_size: 6,
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('{ batchJobs { nodes { id jobType status } } }');

    expect(res.body.data.batchJobs.nodes).toEqual([
      { id: 'bjb-0', jobType: 'PARSE', status: 'PENDING' },
      { id: 'bjb-1', jobType: 'EXTRACT', status: 'RUNNING' },
      { id: 'bjb-2', jobType: 'CLASSIFY', status: 'DISPATCHED' },
      { id: 'bjb-3', jobType: 'PARSE', status: 'COMPLETED' },
      { id: 'bjb-4', jobType: 'EXTRACT', status: 'FAILED' },
      { id: 'bjb-5', jobType: 'CLASSIFY', status: 'CANCELLED' },
    ]);
  });

  it('normalises every timestamp form to UTC milliseconds (upstream: +00:00, microseconds, naive, offsets)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, {
      items: [
        wireJob({
          created_at: '2024-03-01T10:00:00+00:00',
          updated_at: '2024-03-01T10:00:00.123456Z',
          started_at: '2024-03-01T10:00:00',
          completed_at: '2024-03-01T12:30:00+02:30',
          effective_at: '2024-03-01 10:00:00.5',
        }),
      ],
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(
      '{ batchJobs { nodes { createdAt updatedAt startedAt completedAt effectiveAt } } }',
    );

    expect(res.body.data.batchJobs.nodes).toEqual([
      {
        createdAt: '2024-03-01T10:00:00.000Z',
        updatedAt: '2024-03-01T10:00:00.123Z',
        startedAt: '2024-03-01T10:00:00.000Z',
        completedAt: '2024-03-01T10:00:00.000Z',
        effectiveAt: '2024-03-01T10:00:00.500Z',
      },
    ]);
  });
});
