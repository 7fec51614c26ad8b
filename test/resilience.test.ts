import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { parseConfig } from '../src/config/config.js';
import { createLogger } from '../src/observability/logger.js';
import { GatewayMetrics, MAX_OPERATION_NAMES, OTHER_OPERATIONS } from '../src/observability/metrics.js';
import { LlamaCloudClient } from '../src/upstream/client.js';
import {
  faulty,
  gate,
  sendJson,
  startFakeUpstream,
  until,
  wireJobs,
  type FakeUpstream,
} from './support/fake-upstream.js';
import { metricValue, startGateway, TEST_API_KEY, type TestGateway } from './support/gateway.js';

const QUERY = '{ batchJobs(limit: 2) { totalCount } }';
const OK_BODY = { items: wireJobs(2), total_size: 2 };
const OK = { data: { batchJobs: { totalCount: 2 } } };
// Short, fixed retry delays so tests are fast; the deadline stays generous unless a test says.
const FAST = { UPSTREAM_RETRY_BASE_DELAY_MS: '10' };

function errorBody(message: string, extensions: Record<string, unknown>) {
  return { data: null, errors: [{ message, locations: [{ line: 1, column: 3 }], path: ['batchJobs'], extensions }] };
}

/** A client that sends QUERY, then disconnects when told; `leave` resolves with its fetch error. */
function queryThenLeave(gateway: TestGateway) {
  const controller = new AbortController();
  const settled = gateway
    .fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
      signal: controller.signal,
    })
    .catch((error: unknown) => error);
  return {
    leave: () => {
      controller.abort();
      return settled;
    },
  };
}

/** Holds every upstream request until `open()`, then answers it with `status` and `body`. */
function holdThenAnswer(upstream: FakeUpstream, status = 200, body: unknown = OK_BODY) {
  const held = gate();
  upstream.respond(async (_req, res) => {
    await held.opened;
    sendJson(res, status, body);
  });
  return held;
}

/** Answers with each responder in turn, then repeats the last one. */
function sequence(...steps: Array<(res: ServerResponse) => void>) {
  let i = 0;
  return (_req: unknown, res: ServerResponse) => {
    const step = steps[Math.min(i, steps.length - 1)];
    i += 1;
    step?.(res);
  };
}

describe('retries (idempotent GETs)', () => {
  it('retries a connection reset and answers once (upstream: reset, then 200)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(
      sequence(
        (res) => res.socket?.destroy(),
        (res) => sendJson(res, 200, OK_BODY),
      ),
    );
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: FAST });

    const res = await gateway.query(QUERY);

    expect(res.body).toEqual(OK);
    expect(upstream.requests).toHaveLength(2);
  });

  it('retries a 503 and answers once (upstream: 503, then 200)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(
      sequence(
        (res) => sendJson(res, 503, { detail: 'busy' }),
        (res) => sendJson(res, 200, OK_BODY),
      ),
    );
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: FAST });

    const res = await gateway.query(QUERY);

    expect(res.body).toEqual(OK);
    expect(upstream.requests).toHaveLength(2);
    expect(
      metricValue(await gateway.metrics(), 'gateway_upstream_retries_total', { route: 'listBatchJobs', reason: '503' }),
    ).toBe(1);
  });

  it('obeys x-should-retry over the status, as LlamaCloud\'s SDKs do (upstream: 500 "true", then 200; 503 "false")', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(
      sequence(
        (res) => sendJson(res, 500, { detail: 'try again' }, { 'x-should-retry': 'true' }),
        (res) => sendJson(res, 200, OK_BODY),
        (res) => sendJson(res, 503, { detail: 'do not' }, { 'x-should-retry': 'false' }),
      ),
    );
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: FAST });

    const retried = await gateway.query(QUERY);
    const refused = await gateway.query('{ batchJobs(limit: 3) { totalCount } }');

    expect(retried.body).toEqual(OK);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503 });
    expect(upstream.requests).toHaveLength(3);
  });

  it('gives up after UPSTREAM_MAX_RETRIES (upstream: always 502)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(502, { detail: 'bad gateway' });
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { ...FAST, UPSTREAM_MAX_RETRIES: '2' },
    });

    const res = await gateway.query(QUERY);

    expect(res.body).toEqual(
      errorBody('LlamaCloud is unavailable (HTTP 502). Try again shortly.', {
        code: 'UPSTREAM_UNAVAILABLE',
        upstreamStatus: 502,
      }),
    );
    expect(upstream.requests).toHaveLength(3);
  });

  it.each([400, 401, 404, 422, 500])('does not retry a %i', async (status) => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(status, { detail: 'no' });
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: FAST });

    await gateway.query(QUERY);

    expect(upstream.requests).toHaveLength(1);
  });

  it.each([
    // An HTTP date has whole seconds, so "2 s ahead" waits between 1 and 2 s.
    ['seconds (Retry-After: 1)', () => '1', 950],
    ['an HTTP date 2 s ahead', () => new Date(Date.now() + 2000).toUTCString(), 900],
  ])(
    'waits a Retry-After in %s when it fits in the deadline (upstream: 429, then 200)',
    async (_form, header, minimumWaitMs) => {
      await using upstream = await startFakeUpstream();
      upstream.respond(
        sequence(
          (res) => sendJson(res, 429, { detail: 'slow down' }, { 'retry-after': header() }),
          (res) => sendJson(res, 200, OK_BODY),
        ),
      );
      await using gateway = await startGateway({
        upstreamUrl: upstream.url,
        env: { ...FAST, REQUEST_DEADLINE_MS: '5000' },
      });

      const res = await gateway.query(QUERY);

      expect(res.body).toEqual(OK);
      const [first, second] = upstream.requests;
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(minimumWaitMs);
    },
  );

  it.each([
    ['seconds', () => '60', 60],
    ['an HTTP date', () => new Date(Date.now() + 30_000).toUTCString(), 30],
  ])(
    'fails at once with UPSTREAM_RATE_LIMITED when Retry-After in %s is beyond the deadline (upstream: 429)',
    async (_form, header, seconds) => {
      await using upstream = await startFakeUpstream();
      upstream.respond((_req, res) => sendJson(res, 429, { detail: 'slow down' }, { 'retry-after': header() }));
      await using gateway = await startGateway({
        upstreamUrl: upstream.url,
        env: { ...FAST, REQUEST_DEADLINE_MS: '2000' },
      });

      const started = performance.now();
      const res = await gateway.query(QUERY);

      expect(performance.now() - started).toBeLessThan(1500);
      expect(upstream.requests).toHaveLength(1);
      expect(res.body.errors[0].extensions.code).toBe('UPSTREAM_RATE_LIMITED');
      // An HTTP date loses the sub-second part: 29 or 30.
      expect(res.body.errors[0].extensions.retryAfterSeconds).toBeGreaterThanOrEqual(seconds - 1);
      expect(res.body.errors[0].extensions.retryAfterSeconds).toBeLessThanOrEqual(seconds);
    },
  );

  it('never retries a POST (upstream: 503 on cancel)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(503, { detail: 'busy' });
    const config = parseConfig({ LLAMA_CLOUD_API_KEY: TEST_API_KEY, LLAMA_CLOUD_BASE_URL: upstream.url.href });
    const client = new LlamaCloudClient(
      { ...config.upstream, apiKey: TEST_API_KEY, breaker: config.breaker, retryBaseDelayMs: 1 },
      { metrics: new GatewayMetrics() },
    );

    await expect(client.cancelBatchJob('bjb-1', 'no longer needed')).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      details: { upstreamStatus: 503 },
    });
    await client.close();

    expect(upstream.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', '/api/v1/beta/batch-processing/bjb-1/cancel', '{"reason":"no longer needed"}'],
    ]);
  });
});

describe('deadlines and timeouts', () => {
  it('times out when headers never come, without retrying into the stall (upstream: silent)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(() => undefined);
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { ...FAST, UPSTREAM_TIMEOUT_MS: '200' },
    });

    const res = await gateway.query(QUERY);

    expect(res.body).toEqual(
      errorBody('LlamaCloud did not answer within 200 ms. Try again, or ask for less (a smaller limit).', {
        code: 'UPSTREAM_TIMEOUT',
      }),
    );
    expect(upstream.requests).toHaveLength(1);
  });

  it('times out when the body stalls halfway (upstream: headers and half a body)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"items": [');
    });
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { ...FAST, UPSTREAM_TIMEOUT_MS: '200' },
    });

    const res = await gateway.query(QUERY);

    expect(res.body.errors[0].extensions).toEqual({ code: 'UPSTREAM_TIMEOUT' });
  });

  it('caps an upstream call at what is left of the request deadline (upstream: silent)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(() => undefined);
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { ...FAST, UPSTREAM_TIMEOUT_MS: '10000', REQUEST_DEADLINE_MS: '300' },
    });

    const started = performance.now();
    const res = await gateway.query(QUERY);

    expect(res.body.errors[0].extensions).toEqual({ code: 'UPSTREAM_TIMEOUT' });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('circuit breaker', () => {
  const PAGE = 'query ($offset: Int!) { batchJobs(limit: 2, offset: $offset) { totalCount } }';
  const page = (gateway: TestGateway, offset: number) => gateway.query(PAGE, { offset });
  /** `clients` clients at once, each asking `each` distinct pages in turn (offsets never repeat). */
  const concurrentPages = (clients: number, each: number, ask: (offset: number) => Promise<void>) =>
    Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        for (let i = 0; i < each; i += 1) await ask(client * each + i);
      }),
    );
  const pageError = (message: string, extensions: Record<string, unknown>) => ({
    data: null,
    errors: [{ message, locations: [{ line: 1, column: 25 }], path: ['batchJobs'], extensions }],
  });

  it('opens on the failure ratio once the window holds BREAKER_MIN_CALLS, fails fast, then closes after a few good trials (upstream: 500, then fine)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(500, { detail: 'down' });
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: {
        UPSTREAM_MAX_RETRIES: '0',
        BREAKER_MIN_CALLS: '3',
        BREAKER_FAILURE_PERCENT: '50',
        BREAKER_COOLDOWN_MS: '400',
        BREAKER_HALF_OPEN_CALLS: '2',
      },
    });

    for (let i = 0; i < 3; i += 1) await page(gateway, i);
    expect(upstream.requests).toHaveLength(3);
    expect((await gateway.fetch('/ready')).status).toBe(503);

    const fast = await page(gateway, 3);
    expect(fast.body).toEqual(
      pageError('LlamaCloud has been failing, so the gateway is not calling it for up to 1 s. Try again shortly.', {
        code: 'UPSTREAM_UNAVAILABLE',
      }),
    );
    expect(upstream.requests).toHaveLength(3);
    expect(metricValue(await gateway.metrics(), 'gateway_upstream_breaker_state')).toBe(1);

    // After the cooldown, two trials go through at once; a third caller meanwhile is shed.
    const held = holdThenAnswer(upstream);
    await new Promise((resolve) => setTimeout(resolve, 450)); // the cooldown is a duration, not an event
    const trials = [page(gateway, 10), page(gateway, 11)];
    await until(() => upstream.requests.length === 5);
    const shed = await page(gateway, 12);
    expect(shed.body.errors[0].extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
    held.open();
    expect((await Promise.all(trials)).map((r): unknown => r.body)).toEqual([OK, OK]);
    expect((await page(gateway, 13)).body).toEqual(OK);
    expect(upstream.requests).toHaveLength(6);
    expect((await gateway.fetch('/ready')).status).toBe(200);
    const metrics = await gateway.metrics();
    expect(metricValue(metrics, 'gateway_upstream_breaker_state')).toBe(0);
    expect(metricValue(metrics, 'gateway_upstream_breaker_transitions_total', { state: 'open' })).toBe(1);
    expect(metricValue(metrics, 'gateway_upstream_breaker_transitions_total', { state: 'halfOpen' })).toBe(1);
    expect(metricValue(metrics, 'gateway_upstream_breaker_transitions_total', { state: 'closed' })).toBe(1);
    expect(metricValue(metrics, 'gateway_upstream_breaker_shed_total')).toBe(2);
  });

  it('reopens when the trials fail, for another cooldown (upstream: always 500)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(500, { detail: 'down' });
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: {
        UPSTREAM_MAX_RETRIES: '0',
        BREAKER_MIN_CALLS: '2',
        BREAKER_COOLDOWN_MS: '300',
        BREAKER_HALF_OPEN_CALLS: '3',
      },
    });

    for (let i = 0; i < 2; i += 1) await page(gateway, i);
    await new Promise((resolve) => setTimeout(resolve, 350));
    // Of three trials, two failures already decide it (50 %): the circuit opens again.
    await page(gateway, 10);
    await page(gateway, 11);
    const shed = await page(gateway, 12);

    expect(shed.body.errors[0].message).toBe(
      'LlamaCloud has been failing, so the gateway is not calling it for up to 1 s. Try again shortly.',
    );
    expect(upstream.requests).toHaveLength(4);
    expect(metricValue(await gateway.metrics(), 'gateway_upstream_breaker_transitions_total', { state: 'open' })).toBe(
      2,
    );
  });

  it('does not count 4xx answers other than 408/429 as failures (upstream: always 422)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(422, { detail: 'bad parameter' });
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { UPSTREAM_MAX_RETRIES: '0', BREAKER_MIN_CALLS: '2' },
    });

    for (let i = 0; i < 5; i += 1) await gateway.query(QUERY);

    expect(upstream.requests).toHaveLength(5);
    expect((await gateway.fetch('/ready')).status).toBe(200);
  });

  it('keeps serving at 30 % upstream failures under 32 concurrent clients (upstream: 503, resets, stalls, truncated JSON)', async () => {
    await using upstream = await startFakeUpstream();
    const { responder, stats } = faulty(30, (_req, res) => sendJson(res, 200, OK_BODY));
    upstream.respond(responder);
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      // Long enough that only the stalls time out, however busy the machine running the tests is.
      env: { ...FAST, UPSTREAM_TIMEOUT_MS: '1000', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' },
    });

    // 32 clients, 32 distinct pages each in turn: nothing is shared, every request goes upstream.
    let answered = 0;
    await concurrentPages(32, 32, async (offset) => {
      const res = await page(gateway, offset);
      if (res.status === 200 && res.body.errors === undefined) answered += 1;
    });

    const succeeded = answered / (32 * 32);
    expect(stats.faults / stats.calls).toBeGreaterThan(0.28);
    expect(succeeded).toBeGreaterThanOrEqual(0.75);
    expect(metricValue(await gateway.metrics(), 'gateway_upstream_breaker_transitions_total', { state: 'open' })).toBe(
      0,
    );
  });

  it('opens within a second at 100 % failures under 32 concurrent clients, and then sheds load (upstream: always 503)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(503, { detail: 'Service Unavailable' });
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { ...FAST, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' },
    });

    await concurrentPages(32, 4, async (offset) => {
      await page(gateway, offset);
    });

    // Timed where the calls land, so a busy test machine's client latency does not count: once
    // open, no call reaches the upstream (the cooldown outlasts the test), so the last one marks it.
    const first = upstream.requests[0]?.at ?? 0;
    const last = upstream.requests.at(-1)?.at ?? Number.POSITIVE_INFINITY;
    expect(last - first).toBeLessThan(1000);
    expect((await gateway.fetch('/ready')).status).toBe(503);
    const metrics = await gateway.metrics();
    // 128 client requests, each up to 3 attempts: most were never sent.
    expect(upstream.requests.length).toBeLessThan(64);
    expect(metricValue(metrics, 'gateway_upstream_breaker_shed_total')).toBeGreaterThan(64);
  });
});

// Identical queries share one execution (SHARE_IDENTICAL_QUERIES, on by default); queries that
// differ but need the same upstream GET share that GET. Both levels must answer every waiter,
// and cancel the shared work only when its last waiter leaves.
const LEVELS = [
  { level: 'identical queries share one execution', env: {}, joined: 'gateway_graphql_shared_executions_total' },
  {
    level: 'with execution sharing off, the upstream GET is shared',
    env: { SHARE_IDENTICAL_QUERIES: 'false' },
    joined: 'gateway_upstream_coalesced_waiters_total',
  },
] as const;

describe.each(LEVELS)('coalescing: $level', ({ env, joined }) => {
  it('sends one upstream request for 50 concurrent identical queries, and answers every one (upstream: held, then 200)', async () => {
    await using upstream = await startFakeUpstream();
    const held = holdThenAnswer(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env });

    const answers = Promise.all(Array.from({ length: 50 }, () => gateway.query(QUERY)));
    await gateway.waitForMetrics((m) => metricValue(m, joined) === 49);
    held.open();

    const responses = await answers;
    expect(responses.map((r): unknown => r.body)).toEqual(Array.from({ length: 50 }, () => OK));
    expect(upstream.requests).toHaveLength(1);
  });

  it('shares an error with every waiter too (upstream: held, then 401)', async () => {
    await using upstream = await startFakeUpstream();
    const held = holdThenAnswer(upstream, 401, { detail: 'bad key' });
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env });

    const answers = Promise.all(Array.from({ length: 5 }, () => gateway.query(QUERY)));
    await gateway.waitForMetrics((m) => metricValue(m, joined) === 4);
    held.open();

    const codes = (await answers).map((r): unknown => r.body.errors[0].extensions.code);
    expect(codes).toEqual(Array.from({ length: 5 }, () => 'UPSTREAM_UNAUTHORIZED'));
    expect(upstream.requests).toHaveLength(1);
  });

  it('keeps the shared work when the first waiter disconnects, and the others get the result (upstream: held)', async () => {
    await using upstream = await startFakeUpstream();
    const held = gate();
    let upstreamAborted = false;
    upstream.respond(async (_req, res) => {
      res.on('close', () => (upstreamAborted = !res.writableFinished));
      await held.opened;
      sendJson(res, 200, OK_BODY);
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env });

    const leaving = queryThenLeave(gateway);
    await until(() => upstream.requests.length === 1);
    const staying = gateway.query(QUERY);
    await gateway.waitForMetrics((m) => metricValue(m, joined) === 1);
    expect(await leaving.leave()).toBeInstanceOf(Error);
    // The gateway has seen the disconnect once it has logged the leaver, as cut: nobody got its answer.
    await until(() => gateway.logs.some((line) => line.cut === true && line.path === '/graphql'));
    held.open();

    expect((await staying).body).toEqual(OK);
    expect(upstream.requests).toHaveLength(1);
    expect(upstreamAborted).toBe(false);
  });

  it('cancels the upstream request when its last waiter disconnects (upstream: held)', async () => {
    await using upstream = await startFakeUpstream();
    const closed = gate();
    upstream.respond((_req, res) => {
      res.on('close', () => closed.open());
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env });

    const first = queryThenLeave(gateway);
    await until(() => upstream.requests.length === 1);
    const second = queryThenLeave(gateway);
    await gateway.waitForMetrics((m) => metricValue(m, joined) === 1);
    await first.leave();
    await second.leave();

    await closed.opened; // resolves only if the gateway closed the upstream request
    expect(upstream.requests).toHaveLength(1);
  });
});

describe('coalescing', () => {
  it('shares the upstream GET between different queries that need the same page (upstream: held, then 200)', async () => {
    await using upstream = await startFakeUpstream();
    const held = holdThenAnswer(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const answers = Promise.all(
      Array.from({ length: 10 }, (_, i) => gateway.query(`query Tab${i} { batchJobs(limit: 2) { totalCount } }`)),
    );
    await gateway.waitForMetrics((m) => metricValue(m, 'gateway_upstream_coalesced_waiters_total') === 9);
    held.open();

    expect((await answers).map((r): unknown => r.body)).toEqual(Array.from({ length: 10 }, () => OK));
    expect(upstream.requests).toHaveLength(1);
    expect(metricValue(await gateway.metrics(), 'gateway_graphql_shared_executions_total')).toBe(0);
  });

  it('serves identical GETs from the micro-cache within UPSTREAM_CACHE_TTL_MS (upstream: 200)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, OK_BODY);
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { UPSTREAM_CACHE_TTL_MS: '60000' } });

    // Three different queries (so no query result is reused) that need the same upstream GET.
    expect((await gateway.query(QUERY)).body).toEqual(OK);
    expect((await gateway.query('{ batchJobs(limit: 2) { nodes { id } } }')).body).toEqual({
      data: { batchJobs: { nodes: [{ id: 'bjb-0000' }, { id: 'bjb-0001' }] } },
    });
    expect((await gateway.query('{ batchJobs(limit: 2) { pageInfo { hasNextPage } } }')).body).toEqual({
      data: { batchJobs: { pageInfo: { hasNextPage: false } } },
    });
    await gateway.query('{ batchJobs(limit: 3) { totalCount } }');

    expect(upstream.requests.map((r) => r.query)).toEqual([
      { limit: '2', offset: '0' },
      { limit: '3', offset: '0' },
    ]);
    expect(metricValue(await gateway.metrics(), 'gateway_upstream_cache_hits_total', { route: 'listBatchJobs' })).toBe(
      2,
    );
  });
});

describe('bounded resources', () => {
  it('keeps the micro-cache within UPSTREAM_CACHE_MAX_BYTES: 20 pages of 1000 jobs push the oldest out (UPSTREAM_CACHE_TTL_MS=60000; upstream: 200)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((req, res) =>
      sendJson(res, 200, { items: wireJobs(Number(req.query.limit), Number(req.query.offset)), total_size: 50_000 }),
    );
    // A page of 1000 is about 600 KB: 8 MB holds a dozen, so 20 push the first ones out.
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { UPSTREAM_CACHE_TTL_MS: '60000', UPSTREAM_CACHE_MAX_BYTES: String(8 * 1024 * 1024) },
    });
    const page = (offset: number, selection: string) =>
      gateway.query(`{ batchJobs(limit: 1000, offset: ${offset}) { ${selection} } }`);

    for (let i = 0; i < 20; i += 1) expect((await page(i * 1000, 'totalCount')).body.errors).toBeUndefined();
    // Other selections, so that no query result is reused: only the upstream answers can be.
    await page(19_000, 'pageInfo { hasNextPage }');
    await page(0, 'pageInfo { hasNextPage }');

    expect(upstream.requests.map((r) => Number(r.query.offset) / 1000)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => i),
      0,
    ]);
    expect(metricValue(await gateway.metrics(), 'gateway_upstream_cache_hits_total', { route: 'listBatchJobs' })).toBe(
      1,
    );
  });

  it('fails fast once more requests wait for a connection than UPSTREAM_MAX_QUEUE (upstream: held)', async () => {
    await using upstream = await startFakeUpstream();
    const held = holdThenAnswer(upstream);
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { UPSTREAM_MAX_CONNECTIONS: '1', UPSTREAM_MAX_QUEUE: '1', UPSTREAM_MAX_RETRIES: '0' },
    });

    const first = gateway.query('{ batchJobs(offset: 1) { totalCount } }');
    await until(() => upstream.requests.length > 0);
    const second = gateway.query('{ batchJobs(offset: 2) { totalCount } }');
    await gateway.waitForMetrics((m) => metricValue(m, 'gateway_upstream_pool_queue_depth') === 1);
    const third = await gateway.query('{ batchJobs(offset: 3) { totalCount } }');
    held.open();

    expect(third.body).toEqual(
      errorBody('The gateway has too many LlamaCloud requests waiting already. Try again shortly.', {
        code: 'UPSTREAM_UNAVAILABLE',
      }),
    );
    expect((await first).body.data.batchJobs.totalCount).toBe(2);
    expect((await second).body.data.batchJobs.totalCount).toBe(2);
    expect(metricValue(await gateway.metrics(), 'gateway_upstream_queue_rejections_total')).toBe(1);
  });
});

describe('metrics and readiness', () => {
  it('exposes request, error, upstream, retry and pool metrics in Prometheus format', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(
      sequence(
        (res) => sendJson(res, 503, { detail: 'busy' }),
        (res) => sendJson(res, 200, OK_BODY),
        (res) => sendJson(res, 404, { detail: 'nope' }),
      ),
    );
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: FAST });

    await gateway.query('query Dashboard { batchJobs(limit: 2) { totalCount } }');
    await gateway.query('query Missing { batchJobs(limit: 9) { totalCount } }');
    const res = await gateway.fetch('/metrics');

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = res.text;
    expect(
      metricValue(text, 'gateway_upstream_request_duration_seconds_count', { route: 'listBatchJobs', status: '503' }),
    ).toBe(1);
    expect(
      metricValue(text, 'gateway_upstream_request_duration_seconds_count', { route: 'listBatchJobs', status: '200' }),
    ).toBe(1);
    expect(
      metricValue(text, 'gateway_upstream_request_duration_seconds_count', { route: 'listBatchJobs', status: '404' }),
    ).toBe(1);
    expect(metricValue(text, 'gateway_upstream_retries_total', { route: 'listBatchJobs', reason: '503' })).toBe(1);
    expect(metricValue(text, 'gateway_graphql_errors_total', { code: 'UPSTREAM_REJECTED' })).toBe(1);
    const requests = (labels: Record<string, string>) =>
      metricValue(text, 'gateway_graphql_request_duration_seconds_count', labels);
    expect(requests({ operationName: 'Dashboard', operationType: 'query', status: '200' })).toBe(1);
    expect(requests({ operationName: 'Missing', operationType: 'query', status: '200' })).toBe(1);
    expect(text).toContain('# TYPE gateway_upstream_pool_queue_depth gauge');
    expect(text).toContain('# TYPE gateway_upstream_breaker_state gauge');
    expect(text).toContain('# TYPE gateway_upstream_coalesced_waiters_total counter');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('gives the first MAX_OPERATION_NAMES operation names their own series and counts later ones as (other)', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    for (let i = 0; i < MAX_OPERATION_NAMES + 5; i += 1) await gateway.query(`query Op${i} { __typename }`);
    await gateway.query(`query Op0 { __typename }`);
    const text = await gateway.metrics();

    const count = (operationName: string) =>
      metricValue(text, 'gateway_graphql_request_duration_seconds_count', { operationName, status: '200' });
    expect(count('Op0')).toBe(2);
    expect(count(`Op${MAX_OPERATION_NAMES - 1}`)).toBe(1);
    expect(count(`Op${MAX_OPERATION_NAMES}`)).toBe(0);
    expect(count(OTHER_OPERATIONS)).toBe(5);
    expect(text.match(/^gateway_graphql_request_duration_seconds_count/gm)).toHaveLength(MAX_OPERATION_NAMES + 1);
  });

  it('answers /ready 200 normally and 503 once shutting down, while /health stays 200', async () => {
    await using upstream = await startFakeUpstream();
    const config = parseConfig({
      LLAMA_CLOUD_API_KEY: TEST_API_KEY,
      LLAMA_CLOUD_BASE_URL: upstream.url.href,
      LOG_LEVEL: 'fatal',
    });
    const app = createApp({ config, logger: createLogger('fatal') });

    expect((await app.yoga.fetch('http://gateway/ready')).status).toBe(200);
    app.beginShutdown();
    expect((await app.yoga.fetch('http://gateway/ready')).status).toBe(503);
    expect((await app.yoga.fetch('http://gateway/health')).status).toBe(200);
    await app.close();
  });
});
