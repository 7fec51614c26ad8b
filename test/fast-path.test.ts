/**
 * The fast path (src/sharing/fast-path.ts) answers known documents past Yoga. Each scenario here
 * runs the same requests against two gateways, FAST_PATH on and off, each with its own fake
 * upstream scripted the same way, and holds them to the same answers (status, headers, body),
 * the same request log lines and the same upstream calls; and checks from the fast path's own
 * counter that it answered (or handed on) the requests it should.
 */
import { describe, expect, it } from 'vitest';
import { gate, sendJson, startFakeUpstream, until, wireJobs, type FakeUpstream } from './support/fake-upstream.js';
import { metricValue, startGateway, type GraphQLResponse, type TestGateway } from './support/gateway.js';
import { hs256Token } from './support/tokens.js';

const PAGE = 'query Page($offset: Int) { batchJobs(limit: 2, offset: $offset) { totalCount nodes { id status } } }';

const SIZED = 'query Sized($limit: Int) { batchJobs(limit: $limit) { nodes { id status items { nodes { id } } } } }';

/** Lists answer `limit` jobs from `offset` out of 40. */
function pages(upstream: FakeUpstream): void {
  upstream.respond((req, res) => {
    const offset = Number(req.query.offset ?? 0);
    sendJson(res, 200, { items: wireJobs(Number(req.query.limit), offset), total_size: 40 });
  });
}

let sent = 0;
/** A POST of `body` with exactly these headers (and a request id, so both sides' answers compare). */
function post(
  gateway: TestGateway,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<GraphQLResponse> {
  sent += 1;
  return gateway.fetch('/graphql', {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/json', 'x-request-id': `req-${sent}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const page = (offset: unknown, headers?: Record<string, string>) => (gateway: TestGateway) =>
  post(gateway, { query: PAGE, variables: { offset } }, headers);

interface Side {
  answers: unknown[];
  logs: unknown[];
  upstream: unknown[];
  fastPath: Record<'answered' | 'unknown' | 'handed_on', number>;
}

/** `record` without the fields that differ from run to run (times, durations, the process). */
const without = (record: Record<string, unknown>, fields: string[]) =>
  Object.fromEntries(Object.entries(record).filter(([key]) => !fields.includes(key)));

type Step = (gateway: TestGateway, upstream: FakeUpstream) => Promise<GraphQLResponse | GraphQLResponse[]>;

/** Runs `steps` one after another on a gateway with FAST_PATH as given. */
async function side(fast: boolean, env: Record<string, string>, steps: Step[], script = pages): Promise<Side> {
  sent = 0;
  await using upstream = await startFakeUpstream();
  script(upstream);
  await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { ...env, FAST_PATH: String(fast) } });
  const answers: unknown[] = [];
  for (const step of steps) {
    const answer = await step(gateway, upstream);
    for (const one of Array.isArray(answer) ? answer : [answer]) {
      answers.push({
        status: one.status,
        headers: [...one.headers].filter(([name]) => name !== 'date').sort(),
        body: one.body,
      });
    }
  }
  const metrics = await gateway.metrics();
  const count = (outcome: string) => metricValue(metrics, 'gateway_graphql_fast_path_total', { outcome });
  return {
    answers,
    logs: gateway.logs
      .filter((line) => String(line.msg).startsWith('request') && line.path === '/graphql')
      .map((line) => ({
        ...without(line, ['time', 'durationMs', 'pid', 'hostname']),
        upstream: (line.upstream as Array<Record<string, unknown>>).map((call) => without(call, ['durationMs'])),
      })),
    upstream: upstream.requests.map(({ method, path, query, headers }) => ({
      method,
      path,
      query,
      authorization: headers.authorization,
    })),
    fastPath: { answered: count('answered'), unknown: count('unknown'), handed_on: count('handed_on') },
  };
}

/** The two sides of a scenario; they must agree on everything a client or operator sees. */
async function bothSides(env: Record<string, string>, steps: Step[], script = pages) {
  const fast = await side(true, env, steps, script);
  const yoga = await side(false, env, steps, script);
  expect(fast.answers).toEqual(yoga.answers);
  expect(fast.logs).toEqual(yoga.logs);
  expect(fast.upstream).toEqual(yoga.upstream);
  expect(yoga.fastPath).toEqual({ answered: 0, unknown: 0, handed_on: 0 });
  return { fast, yoga };
}

describe('the fast path: known documents answered past Yoga, exactly as Yoga answers them', () => {
  it('answers pages of a known document with the same status, headers, body, log line and upstream call (upstream: pages)', async () => {
    const { fast } = await bothSides({}, [
      page(0),
      page(2),
      page(4, { accept: '*/*', 'user-agent': 'a browser' }),
      page(6, { accept: 'application/json' }),
      page(8, { accept: 'application/graphql-response+json, application/json;q=0.9' }),
      page(10, { 'content-type': 'application/json; charset=utf-8', origin: 'https://app.example' }),
    ]);
    // The first request made the document known; every later one was answered past Yoga.
    expect(fast.fastPath).toEqual({ answered: 5, unknown: 0, handed_on: 0 });
    const answers = fast.answers as Array<{ status: number; headers: string[][]; body: unknown }>;
    const second = {
      data: {
        batchJobs: {
          totalCount: 40,
          nodes: [
            { id: 'bjb-0002', status: 'RUNNING' },
            { id: 'bjb-0003', status: 'RUNNING' },
          ],
        },
      },
    };
    expect(answers[1]).toEqual({
      status: 200,
      headers: [
        ['connection', 'keep-alive'],
        ['content-length', String(JSON.stringify(second).length)],
        ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
        ['content-type', 'application/json; charset=utf-8'],
        ['cross-origin-opener-policy', 'same-origin'],
        ['keep-alive', 'timeout=5'],
        ['permissions-policy', 'camera=(), microphone=(), geolocation=()'],
        ['referrer-policy', 'no-referrer'],
        ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
        ['x-content-type-options', 'nosniff'],
        ['x-frame-options', 'DENY'],
        ['x-request-id', 'req-2'],
      ],
      body: second,
    });
    expect(answers[4]?.headers).toContainEqual(['content-type', 'application/graphql-response+json; charset=utf-8']);
    expect(fast.logs[2]).toEqual(
      expect.objectContaining({
        requestId: 'req-3',
        status: 200,
        operationName: 'Page',
        req: { headers: { 'user-agent': 'a browser', 'content-type': 'application/json' } },
        upstream: [{ route: 'listBatchJobs', method: 'GET', status: 200 }],
      }),
    );
    expect(fast.upstream).toHaveLength(6);
  });

  it('hands results with errors to Yoga, which codes, masks, counts and logs them as always (upstream: 503, then 401)', async () => {
    const { fast } = await bothSides({}, [page(0), page(2), page(4)], (upstream) => {
      let calls = 0;
      upstream.respond((req, res) => {
        calls += 1;
        if (calls === 1) sendJson(res, 200, { items: wireJobs(2), total_size: 40 });
        else sendJson(res, calls <= 4 ? 503 : 401, { detail: 'no' });
      });
    });
    expect(fast.fastPath).toEqual({ answered: 0, unknown: 0, handed_on: 2 });
    const answers = fast.answers as Array<{ body: { errors?: Array<{ extensions: { code: string } }> } }>;
    expect(answers.map((answer) => answer.body.errors?.[0]?.extensions.code)).toEqual([
      undefined,
      'UPSTREAM_UNAVAILABLE',
      'UPSTREAM_UNAUTHORIZED',
    ]);
    // Executed once: Yoga answered with the fast path's result, it did not run the query again.
    expect(fast.upstream).toHaveLength(1 + 3 + 1);
  });

  it('hands variables that do not coerce to Yoga, which answers them in graphql-js words (no upstream call)', async () => {
    const { fast } = await bothSides({}, [page(0), page('two'), page(2), page(2.5)]);
    expect(fast.fastPath).toEqual({ answered: 1, unknown: 0, handed_on: 2 });
    const answers = fast.answers as Array<{
      status: number;
      body: { errors?: Array<{ extensions: { code: string } }> };
    }>;
    expect(answers.map((answer) => [answer.status, answer.body.errors?.[0]?.extensions.code])).toEqual([
      [200, undefined],
      [200, 'BAD_USER_INPUT'],
      [200, undefined],
      [200, 'BAD_USER_INPUT'],
    ]);
    expect(fast.upstream).toHaveLength(2);
  });

  it('takes the rate limit once per request, and refuses through Yoga with the wait it took (RATE_LIMIT_PER_MINUTE=3)', async () => {
    const { fast } = await bothSides({ RATE_LIMIT_PER_MINUTE: '3' }, [page(0), page(2), page(4), page(6), page(8)]);
    expect(fast.fastPath).toEqual({ answered: 2, unknown: 0, handed_on: 2 });
    const answers = fast.answers as Array<{ status: number; headers: string[][] }>;
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429, 429]);
    expect(answers[3]?.headers.map(([name]) => name)).toContain('retry-after');
    expect(fast.upstream).toHaveLength(3);
  });

  it('authenticates every request: tokens of two callers answered, a bad one refused by Yoga (AUTH_MODE=jwt)', async () => {
    const secret = 'a-secret-of-at-least-32-bytes-for-hs256!';
    const [alice, bob] = await Promise.all([hs256Token(secret, 'alice'), hs256Token(secret, 'bob')]);
    const as = (token: string, offset: number) => page(offset, { authorization: `Bearer ${token}` });
    const { fast } = await bothSides({ AUTH_MODE: 'jwt', JWT_SECRET: secret }, [
      as(alice, 0),
      as(alice, 2),
      as(bob, 2),
      as(`${bob}x`, 2),
      page(2),
    ]);
    expect(fast.fastPath).toEqual({ answered: 2, unknown: 0, handed_on: 2 });
    const answers = fast.answers as Array<{ status: number }>;
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 401, 401]);
    expect(fast.logs.map((line) => (line as { subject?: string }).subject)).toEqual([
      'alice',
      'alice',
      'bob',
      undefined,
      undefined,
    ]);
  });

  it('leaves to Yoga what it does not know: another document, extensions, a body that is not plain, GET (upstream: pages)', async () => {
    const { fast } = await bothSides({}, [
      page(0),
      (gateway) => post(gateway, { query: PAGE.replace('limit: 2', 'limit: 3'), variables: { offset: 0 } }),
      (gateway) => post(gateway, { query: PAGE, variables: { offset: 0 }, extensions: { a: 1 } }),
      (gateway) => post(gateway, `{"query": ${JSON.stringify(PAGE)}, "variables": [1]}`),
      (gateway) => post(gateway, '{"query": '),
      (gateway) => post(gateway, { query: PAGE, variables: { offset: { a: { b: { c: 1 } } } } }),
      (gateway) =>
        gateway.fetch(`/graphql?query=${encodeURIComponent(PAGE)}`, {
          headers: { 'x-graphql-yoga-csrf': '1', 'x-request-id': 'a-get' },
        }),
      (gateway) => post(gateway, { query: PAGE, variables: { offset: 0 } }, { accept: 'text/html' }),
      // An operation name that is no GraphQL name: Yoga says so.
      (gateway) => post(gateway, { query: PAGE, operationName: 'Page\n', variables: { offset: 0 } }),
      // A cost its variables decide is counted by Yoga on every request: never remembered.
      (gateway) => post(gateway, { query: SIZED, variables: { limit: 2 } }),
      (gateway) => post(gateway, { query: SIZED, variables: { limit: 1000 } }),
    ]);
    expect(fast.fastPath).toEqual({ answered: 0, unknown: 7, handed_on: 1 });
  });

  it('logs a request whose client left as cut, and closes its upstream call (upstream: held)', async () => {
    let closed = gate();
    const left: Step = async (gateway, upstream) => {
      const controller = new AbortController();
      const answer = post(gateway, { query: PAGE, variables: { offset: 2 } }, {}, controller.signal).catch(
        (): GraphQLResponse => ({ status: 0, headers: new Headers(), body: 'left', text: 'left' }),
      );
      await until(() => upstream.requests.length === 2);
      controller.abort();
      await closed.opened; // only once the gateway has closed the upstream request
      await until(() => gateway.logs.filter((line) => line.path === '/graphql').length === 2);
      return answer;
    };
    const { fast } = await bothSides({}, [page(0), left], (upstream) => {
      closed = gate();
      upstream.respond((_req, res) => {
        if (upstream.requests.length === 1) sendJson(res, 200, { items: wireJobs(2), total_size: 40 });
        else res.on('close', () => closed.open());
      });
    });
    // Yoga answers the closed connection with what the execution came to, as on its own path.
    expect(fast.fastPath).toEqual({ answered: 0, unknown: 0, handed_on: 1 });
    expect(fast.logs[1]).toEqual(
      expect.objectContaining({ requestId: 'req-2', status: null, cut: true, errorCodes: ['UPSTREAM_UNAVAILABLE'] }),
    );
  });

  it('lets identical queries in flight share one execution, past Yoga too (upstream: held, then pages)', async () => {
    let held = gate();
    const crowd: Step = async (gateway, upstream) => {
      const first = page(2)(gateway);
      await until(() => upstream.requests.length === 2);
      const rest = [page(2)(gateway), page(2)(gateway), page(2)(gateway)];
      await gateway.waitForMetrics((m) => metricValue(m, 'gateway_graphql_shared_executions_total') === 3);
      held.open();
      return Promise.all([first, ...rest]);
    };
    const { fast } = await bothSides({}, [page(0), crowd], (upstream) => {
      held = gate();
      upstream.respond(async (req, res) => {
        if (upstream.requests.length > 1) await held.opened;
        sendJson(res, 200, { items: wireJobs(Number(req.query.limit), Number(req.query.offset ?? 0)), total_size: 40 });
      });
    });
    expect(fast.fastPath).toEqual({ answered: 4, unknown: 0, handed_on: 0 });
    expect(fast.upstream).toHaveLength(2);
    expect(fast.logs.map((line) => (line as { sharedExecution?: boolean }).sharedExecution)).toEqual([
      undefined,
      undefined,
      true,
      true,
      true,
    ]);
  });
});
