import type { ServerResponse } from 'node:http';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { gate, sendJson, startFakeUpstream, until, wireJob, type FakeUpstream } from './support/fake-upstream.js';
import { metricValue, startGateway, type TestGateway } from './support/gateway.js';
import { startRedis } from './support/redis.js';

const CREATE = `mutation ($input: CreateBatchJobInput!, $key: String) {
  createBatchJob(input: $input, idempotencyKey: $key) { id status jobType directoryId }
}`;
const INPUT = { jobType: 'PARSE', directoryId: 'dir-1', parametersJson: '{"parse_mode":"fast"}' };
const CREATED = { id: 'bjb-new', status: 'PENDING', jobType: 'PARSE', directoryId: 'dir-1' };

/** LlamaCloud's create: answers each POST with a new pending job. */
function creates(upstream: FakeUpstream): void {
  upstream.respond((req, res) =>
    sendJson(res, 200, wireJob({ id: 'bjb-new', status: 'pending', job_type: 'parse', directory_id: 'dir-1' })),
  );
}

const posts = (upstream: FakeUpstream) => upstream.requests.filter((r) => r.method === 'POST');
const create = (gateway: TestGateway, variables: Record<string, unknown>, headers?: Record<string, string>) =>
  gateway.query(CREATE, variables, headers);

describe('createBatchJob', () => {
  it('creates a job over a directory with one POST of the typed input (upstream: 200)', async () => {
    await using upstream = await startFakeUpstream();
    creates(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await create(gateway, { input: INPUT });

    expect(res.body).toEqual({ data: { createBatchJob: CREATED } });
    expect(posts(upstream).map((r): unknown[] => [r.path, JSON.parse(r.body)])).toEqual([
      [
        '/api/v1/beta/batch-processing',
        { job_config: { parse_mode: 'fast', job_type: 'parse' }, directory_id: 'dir-1' },
      ],
    ]);
  });

  it('answers a retry with the same idempotency key from the first result, with one POST, even at once (upstream: held, then 200)', async () => {
    await using upstream = await startFakeUpstream();
    const held = gate();
    upstream.respond(async (_req, res: ServerResponse) => {
      await held.opened;
      sendJson(res, 200, wireJob({ id: 'bjb-new', status: 'pending', job_type: 'parse', directory_id: 'dir-1' }));
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const first = create(gateway, { input: INPUT, key: 'order-42' });
    await until(() => posts(upstream).length === 1);
    const concurrent = create(gateway, { input: INPUT, key: 'order-42' });
    held.open();
    const later = await create(gateway, { input: INPUT, key: 'order-42' });

    for (const res of [await first, await concurrent, later])
      expect(res.body).toEqual({ data: { createBatchJob: CREATED } });
    expect(posts(upstream)).toHaveLength(1);
    // Another key is another job.
    await create(gateway, { input: INPUT, key: 'order-43' });
    expect(posts(upstream)).toHaveLength(2);
  });

  it('refuses a used idempotency key with a different input, without a POST', async () => {
    await using upstream = await startFakeUpstream();
    creates(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url });
    await create(gateway, { input: INPUT, key: 'order-7' });

    const res = await create(gateway, { input: { ...INPUT, directoryId: 'dir-2' }, key: 'order-7' });

    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message:
          'Argument "idempotencyKey" was "order-7"; it was used for a different input in the last 24 hours; use a new key for a new job.',
        extensions: { code: 'BAD_USER_INPUT', argument: 'idempotencyKey' },
      }),
    ]);
    expect(posts(upstream)).toHaveLength(1);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'an EXTRACT job (v1 has none)',
      { jobType: 'EXTRACT', directoryId: 'd' },
      'input.jobType',
      'give PARSE or CLASSIFY',
    ],
    [
      'a directory and items',
      { jobType: 'PARSE', directoryId: 'd', itemIds: ['i'] },
      'input',
      'give either directoryId or itemIds',
    ],
    ['neither', { jobType: 'PARSE' }, 'input', 'give either directoryId or itemIds'],
    ['no items', { jobType: 'PARSE', itemIds: [] }, 'input.itemIds', 'give from 1 to 1000 item ids'],
    [
      '1001 items',
      { jobType: 'CLASSIFY', itemIds: Array.from({ length: 1001 }, (_, i) => `i${i}`) },
      'input.itemIds',
      'give from 1 to 1000 item ids',
    ],
    ['an empty item id', { jobType: 'PARSE', itemIds: ['i', ' '] }, 'input.itemIds.1', 'give a non-empty id'],
    [
      'parameters that are not JSON',
      { jobType: 'PARSE', directoryId: 'd', parametersJson: '{nope' },
      'input.parametersJson',
      'give a JSON object',
    ],
    [
      'parameters that are an array',
      { jobType: 'PARSE', directoryId: 'd', parametersJson: '[1]' },
      'input.parametersJson',
      'give a JSON object',
    ],
  ])('refuses %s before any upstream call', async (_, input, argument, advice) => {
    await using upstream = await startFakeUpstream();
    creates(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await create(gateway, { input });

    expect(res.body.data).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    expect(res.body.errors[0].message).toContain(advice);
    expect(upstream.requests).toHaveLength(0);
  });

  it('never retries the POST, and a failed create gives its key back for the retry (upstream: 503, then 200)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((req, res) =>
      posts(upstream).length === 1
        ? sendJson(res, 503, { detail: 'busy' })
        : sendJson(res, 200, wireJob({ id: 'bjb-new', status: 'pending', job_type: 'parse', directory_id: 'dir-1' })),
    );
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const failed = await create(gateway, { input: INPUT, key: 'order-9' });
    expect(failed.body.errors[0].extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503 });
    expect(posts(upstream)).toHaveLength(1);

    const retried = await create(gateway, { input: INPUT, key: 'order-9' });
    expect(retried.body).toEqual({ data: { createBatchJob: CREATED } });
    expect(posts(upstream)).toHaveLength(2);
  });

  it("needs the create scope under AUTH_MODE=jwt, and keeps each caller's keys apart", async () => {
    await using upstream = await startFakeUpstream();
    creates(upstream);
    const secret = 'create-test-secret-of-at-least-32-chars';
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { AUTH_MODE: 'jwt', JWT_SECRET: secret },
    });
    const token = (subject: string, scope: string) =>
      new SignJWT({ scope })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(subject)
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(secret));
    const as = async (subject: string, scope: string) => ({ authorization: `Bearer ${await token(subject, scope)}` });

    const refused = await create(gateway, { input: INPUT, key: 'k' }, await as('ann', 'batch-jobs:cancel'));
    expect(refused.body.errors[0]).toMatchObject({
      message: 'Creating a job needs the "batch-jobs:create" scope or role in your token; ask for a token that has it.',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(upstream.requests).toHaveLength(0);

    await create(gateway, { input: INPUT, key: 'k' }, await as('ann', 'batch-jobs:create'));
    await create(gateway, { input: INPUT, key: 'k' }, await as('ann', 'batch-jobs:create'));
    await create(gateway, { input: INPUT, key: 'k' }, await as('bob', 'batch-jobs:create'));
    expect(posts(upstream)).toHaveLength(2);
  });

  it('keeps keys in Redis, so a retry on another replica creates nothing (REDIS_URL; upstream: 200)', async () => {
    await using upstream = await startFakeUpstream();
    creates(upstream);
    await using redis = await startRedis();
    await using one = await startGateway({ upstreamUrl: upstream.url, env: { REDIS_URL: redis.url } });
    await using two = await startGateway({ upstreamUrl: upstream.url, env: { REDIS_URL: redis.url } });
    for (const gateway of [one, two]) await gateway.waitForMetrics((m) => metricValue(m, 'gateway_redis_up') === 1);

    const first = await create(one, { input: INPUT, key: 'fleet-1' });
    const retried = await create(two, { input: INPUT, key: 'fleet-1' });

    expect(first.body).toEqual({ data: { createBatchJob: CREATED } });
    expect(retried.body).toEqual(first.body);
    expect(posts(upstream)).toHaveLength(1);
    expect(one.transcript.join('\n')).not.toContain(redis.password);
  });
});
