/**
 * Batch API v2's create and cancel, and its webhooks, through the real app over HTTP against a
 * fake v2 LlamaCloud; and the fields of one generation refused under the other.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { batchesResponder, wireBatch } from '../support/fake-batches.js';
import { sendJson, startFakeUpstream, wireJob } from '../support/fake-upstream.js';
import { metricValue, startGateway } from '../support/gateway.js';
import { startRedis } from '../support/redis.js';
import { subscribe } from '../support/sse.js';

const V2 = { LLAMA_CLOUD_BATCH_API: 'v2' };
const CREATE = `mutation ($input: CreateBatchJobInput!, $key: String) {
  createBatchJob(input: $input, idempotencyKey: $key) { id status jobType rawJobType directoryId configurationId }
}`;
const SIGNING_SECRET = 'whsec-inline-0123456789-never-shown';
const INPUT = {
  jobType: 'EXTRACT',
  directoryId: 'dir-1',
  configurationId: 'cfg-invoices',
  webhookConfigurationIds: ['whc-1'],
  webhooks: [
    {
      url: 'https://hooks.example.com/llamacloud',
      events: ['batch.success', 'batch.error'],
      headers: [{ name: 'X-Receiver-Token', value: 'receiver-token-1' }],
      outputFormat: 'JSON',
      signingSecret: SIGNING_SECRET,
    },
  ],
};
const NEW_BATCH = wireBatch({
  id: 'bat-new',
  status: 'PENDING',
  source_directory_id: 'dir-1',
  config: { job: { configuration_id: 'cfg-invoices', type: 'extract_v2' } },
});
const CREATED = {
  id: 'bat-new',
  status: 'PENDING',
  jobType: 'EXTRACT',
  rawJobType: 'extract_v2',
  directoryId: 'dir-1',
  configurationId: 'cfg-invoices',
};
const posts = (upstream: { requests: Array<{ method: string; path: string; body: string }> }) =>
  upstream.requests.filter((r) => r.method === 'POST');

describe('batch API v2: createBatchJob', () => {
  it('POSTs the typed input as v2 body once, and answers a retry with the same key without a second POST', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((_req, res) => sendJson(res, 200, NEW_BATCH));
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: V2 });

    const first = await gateway.query(CREATE, { input: INPUT, key: 'order-7' });
    const retry = await gateway.query(CREATE, { input: INPUT, key: 'order-7' });

    expect(first.body).toEqual({ data: { createBatchJob: CREATED } });
    expect(retry.body).toEqual(first.body);
    expect(posts(upstream).map((r): unknown[] => [r.path, JSON.parse(r.body)])).toEqual([
      [
        '/api/v2/batches',
        {
          source_directory_id: 'dir-1',
          config: { job: { type: 'extract_v2', configuration_id: 'cfg-invoices' } },
          webhook_configuration_ids: ['whc-1'],
          webhook_configurations: [
            {
              webhook_url: 'https://hooks.example.com/llamacloud',
              webhook_events: ['batch.success', 'batch.error'],
              webhook_headers: { 'X-Receiver-Token': 'receiver-token-1' },
              webhook_output_format: 'json',
              webhook_signing_secret: SIGNING_SECRET,
            },
          ],
        },
      ],
    ]);
    // The inline secret goes to LlamaCloud and nowhere else.
    expect(gateway.transcript.join('\n')).not.toContain(SIGNING_SECRET);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'CLASSIFY',
      { jobType: 'CLASSIFY' },
      'input.jobType',
      `Argument "input.jobType" was "CLASSIFY"; give PARSE or EXTRACT (LlamaCloud's batch API v2 creates no other kind).`,
    ],
    [
      'no configuration',
      { configurationId: undefined },
      'input.configurationId',
      `Argument "input.configurationId" was null; give a saved configuration id or a preset such as "cfg-PARSE_AGENTIC" (v2 needs one).`,
    ],
    [
      'no directory',
      { directoryId: undefined },
      'input.directoryId',
      `Argument "input.directoryId" was null; give the source directory's id (v2 needs one).`,
    ],
    [
      'itemIds (v1 only)',
      { itemIds: ['itm-1'] },
      'input.itemIds',
      `Argument "input.itemIds" was "given"; it belongs to LlamaCloud's batch API v1, and this gateway calls v2; leave it out.`,
    ],
    [
      'parametersJson (v1 only)',
      { parametersJson: '{}' },
      'input.parametersJson',
      `Argument "input.parametersJson" was "given"; it belongs to LlamaCloud's batch API v1, and this gateway calls v2; leave it out.`,
    ],
    [
      'a plain-http webhook',
      { webhooks: [{ url: 'http://hooks.example.com/x' }] },
      'input.webhooks.0.url',
      `Argument "input.webhooks.0.url" was "http://hooks.example.com/x"; give an https:// URL of at most 2048 characters.`,
    ],
    [
      'an empty event list',
      { webhooks: [{ url: 'https://h.example.com', events: [] }] },
      'input.webhooks.0.events',
      `Argument "input.webhooks.0.events" was "0 events"; give 1 to 50 events (such as "batch.success"), or leave it out for all.`,
    ],
    [
      'a short signing secret',
      { webhooks: [{ url: 'https://h.example.com', signingSecret: 'short-secret' }] },
      'input.webhooks.0.signingSecret',
      `Argument "input.webhooks.0.signingSecret" was "12 characters"; give 16 to 256 characters.`,
    ],
    [
      'a header with a line break',
      { webhooks: [{ url: 'https://h.example.com', headers: [{ name: 'X-A', value: 'a\r\nb' }] }] },
      'input.webhooks.0.headers.0.value',
      `Argument "input.webhooks.0.headers.0.value" was "…"; give at most 1024 characters without line breaks.`,
    ],
  ])('refuses %s before any upstream call', async (_name, change, argument, message) => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: V2 });

    const res = await gateway.query(CREATE, { input: { ...INPUT, ...change } });

    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message,
          locations: [{ line: 2, column: 3 }],
          path: ['createBatchJob'],
          extensions: { code: 'BAD_USER_INPUT', argument },
        },
      ],
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it('under v1, refuses the v2-only fields by name', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(CREATE, {
      input: { jobType: 'PARSE', directoryId: 'dir-1', configurationId: 'cfg-1' },
    });

    expect(res.body.errors[0]).toMatchObject({
      message: `Argument "input.configurationId" was "given"; it belongs to LlamaCloud's batch API v2, and this gateway calls v1; leave it out.`,
      extensions: { code: 'BAD_USER_INPUT', argument: 'input.configurationId' },
    });
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('batch API v2: cancelBatchJob', () => {
  it('POSTs the cancel without a body and returns the batch as v2 answers it, still RUNNING (asynchronous); the stream later ends CANCELLED', async () => {
    await using upstream = await startFakeUpstream();
    const batch = wireBatch({ id: 'bat-live' });
    upstream.respond(batchesResponder([batch]));
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { ...V2, LIVE_POLL_INTERVAL_MS: '50' },
    });
    const sub = await subscribe(gateway.url, 'subscription { batchJobUpdated(id: "bat-live") { id status } }');
    expect((await sub.next()).data).toEqual({ data: { batchJobUpdated: { id: 'bat-live', status: 'RUNNING' } } });

    const res = await gateway.query(
      'mutation { cancelBatchJob(id: "bat-live", reason: "wrong directory") { id status totalItems } }',
    );

    expect(res.body).toEqual({ data: { cancelBatchJob: { id: 'bat-live', status: 'RUNNING', totalItems: 3 } } });
    expect(posts(upstream).map((r) => [r.path, r.body])).toEqual([['/api/v2/batches/bat-live/cancel', '']]);

    batch.status = 'CANCELLED';
    expect((await sub.next(3000)).data).toEqual({ data: { batchJobUpdated: { id: 'bat-live', status: 'CANCELLED' } } });
    expect((await sub.next(3000)).event).toBe('complete');
    sub.close();
  });

  it('says NOT_FOUND for an unknown batch and UPSTREAM_REJECTED with the reason for a finished one', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((req, res) =>
      req.path.includes('bat-done')
        ? sendJson(res, 409, { detail: 'Batch bat-done is already COMPLETED' })
        : sendJson(res, 404, { detail: 'Batch not found' }),
    );
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: V2 });

    const res = await gateway.query('mutation { a: cancelBatchJob(id: "bat-nope") { id } }');
    const done = await gateway.query('mutation { b: cancelBatchJob(id: "bat-done") { id } }');

    expect(res.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(done.body.errors[0]).toMatchObject({
      extensions: { code: 'UPSTREAM_REJECTED', upstreamStatus: 409 },
      message: expect.stringContaining('Batch bat-done is already COMPLETED'),
    });
  });
});

describe('batch API v2: signed webhooks', () => {
  const SECRET = 'whsec-v2-test-secret-for-webhooks';
  const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

  it('a batch event reaches subscribers on two replicas, read fresh with its results (REDIS_URL)', async () => {
    await using upstream = await startFakeUpstream();
    const batch = wireBatch({ id: 'bat-live' });
    upstream.respond(batchesResponder([batch]));
    await using redis = await startRedis();
    const env = {
      ...V2,
      LLAMA_CLOUD_WEBHOOK_SECRET: SECRET,
      LIVE_POLL_INTERVAL_WITH_WEBHOOKS_MS: '60000',
      REDIS_URL: redis.url,
    };
    await using receiver = await startGateway({ upstreamUrl: upstream.url, env });
    await using other = await startGateway({ upstreamUrl: upstream.url, env });
    for (const gateway of [receiver, other])
      await gateway.waitForMetrics((m) => metricValue(m, 'gateway_redis_up') === 1);
    const LIVE = 'subscription { batchJobUpdated(id: "bat-live") { id status } }';
    const here = await subscribe(receiver.url, LIVE);
    const there = await subscribe(other.url, LIVE);
    for (const sub of [here, there]) await sub.next();

    batch.status = 'COMPLETED';
    const body = JSON.stringify({ event: 'batch.success', batch_id: 'bat-live', status: 'COMPLETED' });
    const sent = performance.now();
    const res = await receiver.fetch('/webhooks/llamacloud', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'lc-signature': sign(body) },
      body,
    });

    expect(res.status).toBe(202);
    for (const sub of [here, there]) {
      expect((await sub.next(3000)).data).toEqual({
        data: { batchJobUpdated: { id: 'bat-live', status: 'COMPLETED' } },
      });
    }
    expect(performance.now() - sent).toBeLessThan(3000);
    expect(upstream.requests.filter((r) => r.method === 'GET').at(-1)).toMatchObject({
      path: '/api/v2/batches/bat-live',
      query: { expand: 'results' },
    });
    for (const gateway of [receiver, other]) expect(gateway.transcript.join('\n')).not.toContain(SECRET);
    here.close();
    there.close();
  });
});

describe('LLAMA_CLOUD_BATCH_API', () => {
  it('v1 stays the default; v1 calls stay on /api/v1/beta/batch-processing (upstream: a v1 page)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((_req, res) => sendJson(res, 200, { items: [wireJob()], total_size: 1 }));
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('{ batchJobs(limit: 1) { nodes { id status } } }');

    expect(res.body).toEqual({
      data: { batchJobs: { nodes: [{ id: 'bjb-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', status: 'RUNNING' }] } },
    });
    expect(upstream.requests.map((r) => r.path)).toEqual(['/api/v1/beta/batch-processing']);
  });
});
