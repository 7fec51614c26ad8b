import { describe, expect, it } from 'vitest';
import { sendJson, startFakeUpstream, wireJob } from './support/fake-upstream.js';
import { metricValue, startGateway } from './support/gateway.js';

const PAGE = '{ batchJobs(limit: 3) { totalCount nodes { id status rawStatus jobType rawJobType } } }';
const UNKNOWN_METRIC = 'gateway_upstream_unknown_enum_values_total';

describe('values LlamaCloud adds that the gateway does not know yet', () => {
  it('keeps the page: such a job is UNKNOWN with the raw value, logged once per value and counted (upstream: paused, split)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((_req, res) =>
      sendJson(res, 200, {
        items: [
          wireJob({ id: 'bjb-1', status: 'paused' }),
          wireJob({ id: 'bjb-2', status: 'running', job_type: 'split' }),
          wireJob({ id: 'bjb-3', status: 'paused' }),
        ],
        total_size: 3,
      }),
    );
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const first = await gateway.query(PAGE);
    await gateway.query(PAGE.replace('limit: 3', 'limit: 4'));

    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      data: {
        batchJobs: {
          totalCount: 3,
          nodes: [
            { id: 'bjb-1', status: 'UNKNOWN', rawStatus: 'paused', jobType: 'PARSE', rawJobType: 'parse' },
            { id: 'bjb-2', status: 'RUNNING', rawStatus: 'running', jobType: 'UNKNOWN', rawJobType: 'split' },
            { id: 'bjb-3', status: 'UNKNOWN', rawStatus: 'paused', jobType: 'PARSE', rawJobType: 'parse' },
          ],
        },
      },
    });
    const warnings = gateway.logs.filter((line) => String(line.msg).startsWith('LlamaCloud sent a value'));
    expect(warnings.map((line) => [line.enum, line.value])).toEqual([
      ['BatchJobStatus', 'paused'],
      ['BatchJobType', 'split'],
    ]);
    const metrics = await gateway.metrics();
    expect(metricValue(metrics, UNKNOWN_METRIC, { enum: 'BatchJobStatus', value: 'paused' })).toBe(4);
    expect(metricValue(metrics, UNKNOWN_METRIC, { enum: 'BatchJobType', value: 'split' })).toBe(2);
  });

  it('serves an item with a new status as UNKNOWN too', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((req, res) =>
      req.path.endsWith('/items')
        ? sendJson(res, 200, {
            items: [{ item_id: 'itm-1', item_name: 'a.pdf', status: 'quarantined' }],
            total_size: 1,
          })
        : sendJson(res, 200, { job: wireJob({ id: 'bjb-1' }), progress_percentage: 10 }),
    );
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('{ batchJob(id: "bjb-1") { items { nodes { id status rawStatus } } } }');

    expect(res.body).toEqual({
      data: { batchJob: { items: { nodes: [{ id: 'itm-1', status: 'UNKNOWN', rawStatus: 'quarantined' }] } } },
    });
  });

  it.each([
    ['{ batchJobs(filter: { status: UNKNOWN }) { totalCount } }', 'filter.status'],
    ['{ batchJobs(filter: { jobType: UNKNOWN }) { totalCount } }', 'filter.jobType'],
  ])('refuses UNKNOWN as a filter (%s), with no upstream call', async (query, argument) => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(query);

    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message: `Argument "${argument}" was "UNKNOWN"; UNKNOWN stands for values newer than this gateway and cannot be filtered on; give a known value, or leave the field out.`,
          locations: [{ line: 1, column: 3 }],
          path: ['batchJobs'],
          extensions: { code: 'BAD_USER_INPUT', argument },
        },
      ],
    });
    expect(upstream.requests).toHaveLength(0);
  });
});
