import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { gate, sendJson, startFakeUpstream, until, wireJobs, type FakeUpstream } from './support/fake-upstream.js';
import { metricValue, startGateway, type TestGateway } from './support/gateway.js';
import { heldUpstream, PAGE, PAGE_OF_TWO } from './support/held-page.js';

const sharedExecutions = (gateway: TestGateway) =>
  gateway.metrics().then((m) => metricValue(m, 'gateway_graphql_shared_executions_total'));

/** Sends the first request of a crowd, and resolves once it executes (its upstream call made). */
async function firstExecuting(
  gateway: TestGateway,
  upstream: FakeUpstream,
  headers: Record<string, string> = {},
): Promise<{ answer: ReturnType<TestGateway['query']> }> {
  const answer = gateway.query(PAGE, { limit: 2 }, headers);
  await until(() => upstream.requests.length === 1);
  return { answer };
}

describe('shared execution, request by request: what each identical request still gets of its own', () => {
  it('answers each with the one result, with its own request id, headers, log line and metrics (upstream: held, then 200)', async () => {
    await using upstream = await startFakeUpstream();
    const held = heldUpstream(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const { answer: first } = await firstExecuting(gateway, upstream, { 'x-request-id': 'first' });
    const followers = ['one', 'two', 'three'].map((id) =>
      gateway.query(PAGE, { limit: 2 }, { 'x-request-id': `follower-${id}`, 'user-agent': `tab ${id}` }),
    );
    await gateway.waitForMetrics((m) => metricValue(m, 'gateway_graphql_shared_executions_total') === 3);
    held.open();

    const answers = await Promise.all([first, ...followers]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    for (const answer of answers) expect(answer.body).toEqual(PAGE_OF_TWO);
    expect(answers.map((answer) => answer.headers.get('x-request-id'))).toEqual([
      'first',
      'follower-one',
      'follower-two',
      'follower-three',
    ]);
    // Every header but the request id is the first response's: content type, security headers.
    const withoutId = (headers: Headers) =>
      [...headers].filter(([name]) => !['x-request-id', 'date'].includes(name)).sort();
    for (const answer of answers.slice(1)) expect(withoutId(answer.headers)).toEqual(withoutId(answers[0].headers));
    expect(answers[1]?.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(upstream.requests).toHaveLength(1);

    const lines = gateway.logs.filter((line) => line.msg === 'request' && line.path === '/graphql');
    expect(lines.filter((line) => line.requestId !== 'first')).toEqual(
      ['one', 'two', 'three'].map((id): unknown =>
        expect.objectContaining({
          requestId: `follower-${id}`,
          method: 'POST',
          status: 200,
          operationName: 'Page',
          sharedExecution: true,
          upstream: [],
          req: { headers: { 'user-agent': `tab ${id}`, 'content-type': 'application/json' } },
        }),
      ),
    );
    const metrics = await gateway.metrics();
    expect(metricValue(metrics, 'gateway_graphql_shared_executions_total')).toBe(3);
    expect(
      metricValue(metrics, 'gateway_graphql_request_duration_seconds_count', {
        operationName: 'Page',
        operationType: 'query',
        status: '200',
      }),
    ).toBe(4);
  });

  it('gives each request the response its own headers call for: another Origin or Accept gets its own CORS answer and media type (CORS_ORIGINS; upstream: held, then 200)', async () => {
    await using upstream = await startFakeUpstream();
    const held = heldUpstream(upstream);
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { CORS_ORIGINS: 'https://app.example' },
    });

    const allowed = { origin: 'https://app.example' };
    const { answer: first } = await firstExecuting(gateway, upstream, allowed);
    const stranger = gateway.query(PAGE, { limit: 2 }, { origin: 'https://elsewhere.example' });
    const strict = gateway.query(PAGE, { limit: 2 }, { ...allowed, accept: 'application/graphql-response+json' });
    const same = gateway.query(PAGE, { limit: 2 }, allowed);
    // All three share the execution; each response is still made for its own request.
    await gateway.waitForMetrics((m) => metricValue(m, 'gateway_graphql_shared_executions_total') === 3);
    held.open();

    const answers = await Promise.all([first, stranger, strict, same]);
    for (const answer of answers) expect(answer.body).toEqual(PAGE_OF_TWO);
    // (Yoga names an allowed origin to a stranger, which a browser then refuses to match.)
    expect(answers.map((answer) => answer.headers.get('access-control-allow-origin'))).not.toContain(
      'https://elsewhere.example',
    );
    expect(answers.map((answer) => answer.headers.get('content-type'))).toEqual([
      'application/json; charset=utf-8',
      'application/json; charset=utf-8',
      'application/graphql-response+json; charset=utf-8',
      'application/json; charset=utf-8',
    ]);
    expect(upstream.requests).toHaveLength(1);
  });

  it('refuses a request whose token expired while the identical one it would share with ran (AUTH_MODE=jwt; upstream: held, then 200)', async () => {
    const secret = 'shared-execution-secret-of-32-chars!';
    await using upstream = await startFakeUpstream();
    const held = heldUpstream(upstream);
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { AUTH_MODE: 'jwt', JWT_SECRET: secret, REQUEST_DEADLINE_MS: '20000', UPSTREAM_TIMEOUT_MS: '20000' },
    });
    const expiresAt = Math.floor(Date.now() / 1000) + 1;
    const token = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(expiresAt)
      .sign(new TextEncoder().encode(secret));
    const authorization = { authorization: `Bearer ${token}` };

    const { answer: first } = await firstExecuting(gateway, upstream, authorization);
    // Past the expiry and the 5 s of clock tolerance, the same header no longer authenticates.
    await new Promise((resolve) => setTimeout(resolve, (expiresAt + 6) * 1000 - Date.now()));
    const late = await gateway.query(PAGE, { limit: 2 }, authorization);
    held.open();

    expect(late.status).toBe(401);
    expect(late.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await first).body).toEqual(PAGE_OF_TWO);
    expect(await sharedExecutions(gateway)).toBe(0);
    expect(upstream.requests).toHaveLength(1);
  }, 15_000);

  it('keeps the execution for the others when the first client leaves, with one upstream call (upstream: held)', async () => {
    await using upstream = await startFakeUpstream();
    const held = heldUpstream(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url });
    const request = (signal?: AbortSignal) =>
      gateway.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: PAGE, variables: { limit: 2 } }),
        signal,
      });

    const leaving = new AbortController();
    const first = request(leaving.signal).catch((error: unknown) => error);
    await until(() => upstream.requests.length === 1);
    const staying = request();
    await gateway.waitForMetrics((m) => metricValue(m, 'gateway_graphql_shared_executions_total') === 1);
    leaving.abort();
    expect(await first).toBeInstanceOf(Error);
    held.open();

    expect((await staying).body).toEqual(PAGE_OF_TWO);
    expect(upstream.requests).toHaveLength(1);
  });

  it('cancels the upstream call once every client sharing the execution has left (upstream: held)', async () => {
    await using upstream = await startFakeUpstream();
    const closed = gate();
    upstream.respond((_req, res) => {
      res.on('close', () => closed.open());
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });
    const leaving = [new AbortController(), new AbortController()];
    const request = (controller: AbortController) =>
      gateway
        .fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: PAGE, variables: { limit: 2 } }),
          signal: controller.signal,
        })
        .catch((error: unknown) => error);
    const requests = [request(leaving[0]!)];
    await until(() => upstream.requests.length === 1);
    requests.push(request(leaving[1]!));
    await gateway.waitForMetrics((m) => metricValue(m, 'gateway_graphql_shared_executions_total') === 1);
    for (const controller of leaving) controller.abort();
    await Promise.all(requests);

    await closed.opened; // resolves only if the gateway closed the upstream request
    expect(upstream.requests).toHaveLength(1);
  });

  it('with the micro-cache on, answers with the kept result (the same bytes) while it may be served, then runs again (TTL 1 s; upstream: 200)', async () => {
    await using upstream = await startFakeUpstream();
    let calls = 0;
    upstream.respond((req, res) => {
      calls += 1;
      sendJson(res, 200, { items: wireJobs(Number(req.query.limit)), total_size: calls === 1 ? 40 : 41 });
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { UPSTREAM_CACHE_TTL_MS: '1000' } });

    const first = await gateway.query(PAGE, { limit: 2 }, { 'x-request-id': 'first' });
    const copy = await gateway.query(PAGE, { limit: 2 }, { 'x-request-id': 'copy' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const later = await gateway.query(PAGE, { limit: 2 }, { 'x-request-id': 'later' });

    expect(first.body).toEqual(PAGE_OF_TWO);
    expect(copy.text).toBe(first.text);
    expect(copy.headers.get('x-request-id')).toBe('copy');
    expect(later.body.data.batchJobs.totalCount).toBe(41);
    expect(later.headers.get('x-request-id')).toBe('later');
    expect(upstream.requests).toHaveLength(2);
    expect(await sharedExecutions(gateway)).toBe(1);
    const lines = gateway.logs.filter((line) => line.msg === 'request' && line.path === '/graphql');
    expect(lines.map((line) => [line.requestId, line.sharedExecution, line.operationName])).toEqual([
      ['first', undefined, 'Page'],
      ['copy', true, 'Page'],
      ['later', undefined, 'Page'],
    ]);
  });

  it('is off with SHARE_IDENTICAL_QUERIES=false: each request runs, and only the upstream GET is shared (upstream: held, then 200)', async () => {
    await using upstream = await startFakeUpstream();
    const held = heldUpstream(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { SHARE_IDENTICAL_QUERIES: 'false' } });

    const { answer: first } = await firstExecuting(gateway, upstream);
    const second = gateway.query(PAGE, { limit: 2 });
    await gateway.waitForMetrics((m) => metricValue(m, 'gateway_upstream_coalesced_waiters_total') === 1);
    held.open();

    for (const answer of await Promise.all([first, second])) expect(answer.body).toEqual(PAGE_OF_TWO);
    expect(await sharedExecutions(gateway)).toBe(0);
    expect(upstream.requests).toHaveLength(1);
  });
});
