import { describe, expect, it } from 'vitest';
import { Pool } from 'undici';
import { sendJson, startFakeUpstream, until, wireJobs } from './support/fake-upstream.js';
import { metricValue, TEST_API_KEY } from './support/gateway.js';
import { runMain } from './support/process.js';

const PAGE = 'query ($offset: Int!) { batchJobs(limit: 2, offset: $offset) { totalCount } }';

interface Load {
  /** Requests answered 200 with data, and failures by error code or status. */
  answered: number;
  failures: Record<string, number>;
  /** Resolves when every connection has stopped (refused, or failed). */
  done: Promise<void>;
}

/**
 * `connections` keep-alive clients, each sending distinct pages back to back until a new
 * connection is refused (the server has stopped listening) or `maxPerClient` requests.
 */
function keepAliveLoad(url: URL, connections: number, maxPerClient = 200): Load {
  const pool = new Pool(url.origin, { connections, pipelining: 1 });
  const load: Load = { answered: 0, failures: {}, done: Promise.resolve() };
  const fail = (reason: string) => (load.failures[reason] = (load.failures[reason] ?? 0) + 1);
  const client = async (index: number) => {
    for (let i = 0; i < maxPerClient; i += 1) {
      try {
        const res = await pool.request({
          method: 'POST',
          path: '/graphql',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: PAGE, variables: { offset: index * maxPerClient + i } }),
        });
        const body = (await res.body.json()) as { data?: unknown; errors?: unknown };
        if (res.statusCode === 200 && body.errors === undefined) load.answered += 1;
        else fail(`HTTP ${res.statusCode}`);
      } catch (error) {
        const code = (error as { code?: string }).code ?? String(error);
        // A refused new connection is how a stopped server says "go elsewhere": that client is done.
        if (code === 'ECONNREFUSED') return;
        fail(code);
        return;
      }
    }
  };
  load.done = Promise.all(Array.from({ length: connections }, (_, i) => client(i))).then(() => pool.close());
  return load;
}

describe('graceful shutdown (SIGTERM)', () => {
  it('drops no request under 32 keep-alive connections: every accepted request is answered (upstream: 200 ms per page)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      sendJson(res, 200, { items: wireJobs(2), total_size: 2 });
    });
    await using proc = runMain({
      LLAMA_CLOUD_API_KEY: TEST_API_KEY,
      LLAMA_CLOUD_BASE_URL: upstream.url.href,
      RATE_LIMIT_PER_MINUTE: '0',
    });
    const ready = await proc.waitForLog((l) => l.msg === 'gateway listening');

    const load = keepAliveLoad(new URL(String(ready.url)), 32);
    // Mid-load: every connection has had answers and has a request in flight.
    await until(() => load.answered >= 64);
    // By now the document is compiled, and the requests in flight are the fast path's.
    const metrics = await (await fetch(new URL('/metrics', String(ready.url)))).text();
    proc.child.kill('SIGTERM');
    await load.done;

    expect(metricValue(metrics, 'gateway_graphql_fast_path_total', { outcome: 'answered' })).toBeGreaterThan(0);
    expect(load.failures).toEqual({});
    expect(await proc.exit).toBe(0);
    // Every request that reached the upstream was answered to its client.
    expect(load.answered).toBe(upstream.requests.length);
    expect(proc.stdout.filter((line) => line.includes('"cut":true'))).toEqual([]);
  });

  it('cuts only what is still running when SHUTDOWN_GRACE_MS ends, and logs those requests as cut (upstream: 3 s per page)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      if (!res.destroyed) sendJson(res, 200, { items: wireJobs(2), total_size: 2 });
    });
    await using proc = runMain({
      LLAMA_CLOUD_API_KEY: TEST_API_KEY,
      LLAMA_CLOUD_BASE_URL: upstream.url.href,
      SHUTDOWN_GRACE_MS: '300',
      LOG_LEVEL: 'info',
    });
    const ready = await proc.waitForLog((l) => l.msg === 'gateway listening');

    const inFlight = Array.from({ length: 4 }, (_, i) =>
      fetch(new URL('/graphql', String(ready.url)), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': `slow-${i}` },
        body: JSON.stringify({ query: PAGE, variables: { offset: i } }),
      }).then(
        (res) => res.status,
        () => 'cut',
      ),
    );
    await until(() => upstream.requests.length === 4);
    proc.child.kill('SIGTERM');

    expect(await Promise.all(inFlight)).toEqual(['cut', 'cut', 'cut', 'cut']);
    expect(await proc.exit).toBe(0);
    const lines = proc.stdout.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(
      lines.find((l) => l.msg === 'shutdown grace period over: cutting the requests still in flight'),
    ).toMatchObject({
      requestsCut: 4,
      graceMs: 300,
    });
    const logged = lines.filter((l) => l.path === '/graphql');
    expect(logged.map((l) => [l.requestId, l.status, l.cut]).sort()).toEqual([
      ['slow-0', null, true],
      ['slow-1', null, true],
      ['slow-2', null, true],
      ['slow-3', null, true],
    ]);
  });

  it('answers with Connection: close once shutdown has begun (upstream: held until after the signal)', async () => {
    await using upstream = await startFakeUpstream();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    upstream.respond(async (_req, res) => {
      await held;
      sendJson(res, 200, { items: wireJobs(2), total_size: 2 });
    });
    await using proc = runMain({ LLAMA_CLOUD_API_KEY: TEST_API_KEY, LLAMA_CLOUD_BASE_URL: upstream.url.href });
    const ready = await proc.waitForLog((l) => l.msg === 'gateway listening');
    const pool = new Pool(new URL(String(ready.url)).origin, { connections: 1 });

    const answer = pool.request({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: PAGE, variables: { offset: 0 } }),
    });
    await until(() => upstream.requests.length === 1);
    proc.child.kill('SIGTERM');
    await proc.waitForLog((l) => l.msg === 'shutting down: finishing requests in flight');
    release();

    const res = await answer;
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe('close');
    await res.body.text();
    await pool.close();
    expect(await proc.exit).toBe(0);
  });
});
