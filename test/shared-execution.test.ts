import { describe, expect, it } from 'vitest';
import {
  gate,
  sendJson,
  startFakeUpstream,
  until,
  wireJob,
  wireJobs,
  type FakeUpstream,
} from './support/fake-upstream.js';
import type { LlamaCloudClient } from '../src/upstream/client.js';
import { metricValue, startGateway, type TestGateway } from './support/gateway.js';
import { heldUpstream, PAGE, PAGE_OF_TWO } from './support/held-page.js';
import { hs256Token } from './support/tokens.js';

const shared = (gateway: TestGateway) =>
  gateway.metrics().then((m) => metricValue(m, 'gateway_graphql_shared_executions_total'));
const requestLines = (gateway: TestGateway) =>
  gateway.logs.filter((line) => line.msg === 'request' && line.path === '/graphql');

describe('shared execution of identical queries', () => {
  it('answers every client with the whole result and logs which requests were shared (upstream: held, then 200)', async () => {
    await using upstream = await startFakeUpstream();
    const held = heldUpstream(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const answers = Promise.all(Array.from({ length: 4 }, () => gateway.query(PAGE, { limit: 2 })));
    await gateway.waitForMetrics((m) => metricValue(m, 'gateway_graphql_shared_executions_total') === 3);
    held.open();

    for (const answer of await answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(PAGE_OF_TWO);
    }
    expect(upstream.requests).toHaveLength(1);
    const lines = requestLines(gateway);
    expect(lines.filter((line) => line.sharedExecution === true)).toHaveLength(3);
    expect(lines.map((line) => line.operationName)).toEqual(['Page', 'Page', 'Page', 'Page']);
    expect(lines.filter((line) => line.sharedExecution === undefined).map((line) => line.upstream)).toEqual([
      [expect.objectContaining({ route: 'listBatchJobs', status: 200 })],
    ]);
  });

  it('still checks every follower on its own: one over the rate limit is refused, not answered (RATE_LIMIT_PER_MINUTE=2; upstream: held, then 200)', async () => {
    await using upstream = await startFakeUpstream();
    const held = heldUpstream(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { RATE_LIMIT_PER_MINUTE: '2' } });

    const answers = Promise.all(Array.from({ length: 3 }, () => gateway.query(PAGE, { limit: 2 })));
    await gateway.waitForMetrics(
      (m) =>
        metricValue(m, 'gateway_graphql_shared_executions_total') === 1 &&
        metricValue(m, 'gateway_graphql_errors_total', { code: 'RATE_LIMITED' }) === 1,
    );
    held.open();

    const byStatus = (await answers).sort((a, b) => a.status - b.status);
    expect(byStatus.map((answer) => answer.status)).toEqual([200, 200, 429]);
    expect(byStatus[0]?.body).toEqual(byStatus[1]?.body);
    expect(byStatus[2]?.body).toEqual({
      errors: [
        {
          message: 'Too many requests from this client: at most 2 a minute. Retry after 30 seconds.',
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 30 },
        },
      ],
    });
    expect(upstream.requests).toHaveLength(1);
  });

  it.each([
    { refused: 'an invalid document', query: '{ batchJobs(limit: 2) { nope } }', code: 'GRAPHQL_VALIDATION_FAILED' },
    {
      refused: 'an operation over MAX_COST',
      query: '{ batchJobs(limit: 1000) { nodes { id } } }',
      code: 'COST_LIMIT_EXCEEDED',
    },
  ])(
    'lets identical requests go their own way when the first never executes: $refused (upstream: unused)',
    async ({ query, code }) => {
      await using upstream = await startFakeUpstream();
      await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { MAX_COST: '100' } });

      // Together, then once more: a first request that is refused must not leave the others waiting.
      const together = await Promise.all(Array.from({ length: 3 }, () => gateway.query(query)));
      const after = await gateway.query(query);

      for (const answer of [...together, after]) {
        expect(answer.body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual([
          code,
        ]);
      }
      expect(upstream.requests).toHaveLength(0);
      expect(await shared(gateway)).toBe(0);
    },
  );

  it('masks a bug once for every client of the execution, and logs it once (an upstream client that throws a plain Error)', async () => {
    await using upstream = await startFakeUpstream();
    const held = gate();
    const buggy = {
      listBatchJobs: async () => {
        await held.opened;
        throw new Error('internal detail: pool slot 7 is gone');
      },
      breakerOpen: false,
      close: () => Promise.resolve(),
    } as unknown as LlamaCloudClient;
    await using gateway = await startGateway({ upstreamUrl: upstream.url, upstream: buggy });

    const answers = Promise.all(Array.from({ length: 3 }, () => gateway.query(PAGE, { limit: 2 })));
    await gateway.waitForMetrics((m) => metricValue(m, 'gateway_graphql_shared_executions_total') === 2);
    held.open();

    for (const answer of await answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        data: null,
        errors: [
          {
            message: 'Unexpected error.',
            locations: [{ line: 1, column: 27 }],
            path: ['batchJobs'],
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          },
        ],
      });
    }
    expect(
      gateway.transcript.filter((line) => line.includes('pool slot 7') && !line.includes('"unexpected error"')),
    ).toEqual([]);
    expect(gateway.logs.filter((line) => line.msg === 'unexpected error')).toHaveLength(1);
  });

  it('does not share between different variables (upstream: held, then 200)', async () => {
    await using upstream = await startFakeUpstream();
    const held = heldUpstream(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const two = gateway.query(PAGE, { limit: 2 });
    const three = gateway.query(PAGE, { limit: 3 });
    await until(() => upstream.requests.length >= 2);
    held.open();

    expect((await two).body.data.batchJobs.nodes).toHaveLength(2);
    expect((await three).body.data.batchJobs.nodes).toHaveLength(3);
    expect(upstream.requests.map((r) => r.query.limit).sort()).toEqual(['2', '3']);
    expect(await shared(gateway)).toBe(0);
  });

  it('never shares one caller’s execution with another caller (AUTH_MODE=jwt; upstream: held, then 200)', async () => {
    const secret = 'shared-execution-secret-of-32-chars!';
    await using upstream = await startFakeUpstream();
    const held = heldUpstream(upstream);
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { AUTH_MODE: 'jwt', JWT_SECRET: secret },
    });
    const as = async (sub: string) =>
      gateway.query(PAGE, { limit: 2 }, { authorization: `Bearer ${await hs256Token(secret, sub)}` });

    const answers = Promise.all([as('alice'), as('bob'), as('alice')]);
    // Alice's second request joins her first; Bob's runs apart (its upstream GET is still shared).
    await gateway.waitForMetrics(
      (m) =>
        metricValue(m, 'gateway_graphql_shared_executions_total') === 1 &&
        metricValue(m, 'gateway_upstream_coalesced_waiters_total') === 1,
    );
    held.open();

    expect((await answers).map((answer): unknown => answer.body.data.batchJobs.totalCount)).toEqual([40, 40, 40]);
    expect(upstream.requests).toHaveLength(1);
    expect(await shared(gateway)).toBe(1);
  });

  it('never shares a mutation: two identical cancels are two upstream POSTs (upstream: held, then 200)', async () => {
    await using upstream = await startFakeUpstream();
    const held = heldUpstream(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url });
    const cancel = () => gateway.query('mutation { cancelBatchJob(id: "bjb-1") { id status } }');

    const answers = Promise.all([cancel(), cancel()]);
    await until(() => upstream.requests.length >= 2);
    held.open();

    for (const answer of await answers) {
      expect(answer.body).toEqual({ data: { cancelBatchJob: { id: 'bjb-1', status: 'CANCELLED' } } });
    }
    expect(upstream.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(await shared(gateway)).toBe(0);
  });

  it('runs a query again once the shared execution has finished (upstream: 200)', async () => {
    await using upstream = await startFakeUpstream();
    heldUpstream(upstream).open();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    await gateway.query(PAGE, { limit: 2 });
    await gateway.query(PAGE, { limit: 2 });

    expect(upstream.requests).toHaveLength(2);
    expect(await shared(gateway)).toBe(0);
  });

  it('is served as the same UTF-8 JSON in every media type Yoga answers a query in (upstream: 200 with non-ASCII text)', async () => {
    // The shared result's body is bytes, not a string: lengths count bytes, and text beyond ASCII
    // must come out as it went in, in the regular answer and in the streaming ones.
    const message = 'Échec : « facture » — 請求書 ✓ 🧾';
    await using upstream = await startFakeUpstream();
    upstream.respond((_req, res) => {
      sendJson(res, 200, {
        items: [wireJob({ id: 'bjb-0000', status: 'failed', error_message: message })],
        total_size: 1,
      });
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });
    const query = '{ batchJobs(limit: 1) { nodes { id errorMessage } } }';
    const json = JSON.stringify({ data: { batchJobs: { nodes: [{ id: 'bjb-0000', errorMessage: message }] } } });
    const ask = (accept: string) =>
      gateway.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: JSON.stringify({ query }),
      });

    for (const mediaType of ['application/json', 'application/graphql-response+json']) {
      const answer = await ask(mediaType);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe(`${mediaType}; charset=utf-8`);
      expect(answer.text).toBe(json);
      expect(answer.headers.get('content-length')).toBe(String(Buffer.byteLength(json)));
    }
    const events = await ask('text/event-stream');
    expect(events.status).toBe(200);
    expect(events.text).toBe(`:\n\nevent: next\ndata: ${json}\n\nevent: complete\ndata:\n\n`);
    const parts = await ask('multipart/mixed');
    expect(parts.status).toBe(200);
    expect(parts.text).toContain(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}\r\n`);
    expect(upstream.requests).toHaveLength(4);
  });
});

describe('with the micro-cache on (UPSTREAM_CACHE_TTL_MS), a finished query’s result', () => {
  /** Each upstream answer is a page of 2 jobs whose status says which answer it was (1st, 2nd, ...). */
  function countingUpstream(upstream: FakeUpstream) {
    upstream.respond((_req, res) => {
      const status = upstream.requests.length === 1 ? 'running' : 'completed';
      sendJson(res, 200, { items: wireJobs(2).map((job) => ({ ...job, status })), total_size: 2 });
    });
  }
  const statuses = (answer: { body: { data: { batchJobs: { nodes: Array<{ status: string }> } } } }) =>
    answer.body.data.batchJobs.nodes.map((node) => node.status);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('answers identical queries without executing again while its upstream answer is fresh, then executes again (TTL 1 s; upstream: 200)', async () => {
    await using upstream = await startFakeUpstream();
    countingUpstream(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { UPSTREAM_CACHE_TTL_MS: '1000' } });

    const first = await gateway.query(PAGE, { limit: 2 });
    const again = await gateway.query(PAGE, { limit: 2 });
    await sleep(1100);
    const later = await gateway.query(PAGE, { limit: 2 });

    expect(first.body).toEqual({
      data: {
        batchJobs: {
          totalCount: 2,
          nodes: [
            { id: 'bjb-0000', status: 'RUNNING' },
            { id: 'bjb-0001', status: 'RUNNING' },
          ],
        },
      },
    });
    expect(again.body).toEqual(first.body);
    expect(statuses(later)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(upstream.requests).toHaveLength(2);
    expect(await shared(gateway)).toBe(1);
    // The reused answer is logged as shared and made no upstream call of its own.
    expect(requestLines(gateway).map((line) => [line.sharedExecution, line.upstream])).toEqual([
      [undefined, [expect.objectContaining({ route: 'listBatchJobs', status: 200 })]],
      [true, []],
      [undefined, [expect.objectContaining({ route: 'listBatchJobs', status: 200 })]],
    ]);
    expect(metricValue(await gateway.metrics(), 'gateway_upstream_cache_hits_total', { route: 'listBatchJobs' })).toBe(
      0,
    );
  });

  it('is never served longer than the upstream answer it was computed from (TTL 1 s; upstream: 200)', async () => {
    await using upstream = await startFakeUpstream();
    countingUpstream(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { UPSTREAM_CACHE_TTL_MS: '1000' } });
    const other = '{ batchJobs(limit: 2) { totalCount } }';

    // The upstream answer is cached from t0 to t0 + 1000 ms. PAGE, first asked at t0 + 300 ms, is
    // computed from it: its result may be served until t0 + 1000 ms, not until t0 + 1300 ms.
    await gateway.query(other);
    await sleep(300);
    const computedFromCache = await gateway.query(PAGE, { limit: 2 });
    await sleep(800);
    const afterExpiry = await gateway.query(PAGE, { limit: 2 });

    expect(statuses(computedFromCache)).toEqual(['RUNNING', 'RUNNING']);
    expect(statuses(afterExpiry)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(upstream.requests).toHaveLength(2);
    expect(metricValue(await gateway.metrics(), 'gateway_upstream_cache_hits_total', { route: 'listBatchJobs' })).toBe(
      1,
    );
  });

  it('is not kept when it holds an error: the next identical query executes again (upstream: 503, then 200)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(503, { detail: 'busy' });
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { UPSTREAM_CACHE_TTL_MS: '60000', UPSTREAM_MAX_RETRIES: '0' },
    });

    const failed = await gateway.query(PAGE, { limit: 2 });
    countingUpstream(upstream);
    const retried = await gateway.query(PAGE, { limit: 2 });

    expect(failed.body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual([
      'UPSTREAM_UNAVAILABLE',
    ]);
    expect(statuses(retried)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(upstream.requests).toHaveLength(2);
    expect(await shared(gateway)).toBe(0);
  });
});
