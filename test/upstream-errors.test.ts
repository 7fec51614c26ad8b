import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sendJson, startFakeUpstream, type Responder } from './support/fake-upstream.js';
import { metricValue, startGateway } from './support/gateway.js';

const QUERY = '{ batchJobs { totalCount } }';

function errorResponse(message: string, extensions: Record<string, unknown>) {
  return {
    data: null,
    errors: [{ message, locations: [{ line: 1, column: 3 }], path: ['batchJobs'], extensions }],
  };
}

const html502 = '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>';

const cases: Array<[string, Responder, ReturnType<typeof errorResponse>]> = [
  [
    '401 with no body',
    (_req, res) => {
      res.writeHead(401);
      res.end();
    },
    errorResponse(
      "LlamaCloud refused the gateway's credentials (HTTP 401). This is a gateway configuration problem, not something the client can fix: its operator must check the API key, its region and the project it belongs to.",
      { code: 'UPSTREAM_UNAUTHORIZED', upstreamStatus: 401 },
    ),
  ],
  [
    '403 with a detail',
    (_req, res) => sendJson(res, 403, { detail: 'Project is disabled' }),
    errorResponse(
      "LlamaCloud refused the gateway's credentials (HTTP 403). This is a gateway configuration problem, not something the client can fix: its operator must check the API key, its region and the project it belongs to.",
      { code: 'UPSTREAM_UNAUTHORIZED', upstreamStatus: 403 },
    ),
  ],
  [
    '429 with Retry-After in seconds',
    (_req, res) => sendJson(res, 429, { detail: 'Too many requests' }, { 'retry-after': '7' }),
    errorResponse('LlamaCloud is rate limiting the gateway (HTTP 429). Retry after 7 seconds.', {
      code: 'UPSTREAM_RATE_LIMITED',
      upstreamStatus: 429,
      retryAfterSeconds: 7,
    }),
  ],
  [
    '429 with retry-after-ms',
    (_req, res) => sendJson(res, 429, { detail: 'Too many requests' }, { 'retry-after-ms': '1500' }),
    errorResponse('LlamaCloud is rate limiting the gateway (HTTP 429). Retry after 2 seconds.', {
      code: 'UPSTREAM_RATE_LIMITED',
      upstreamStatus: 429,
      retryAfterSeconds: 2,
    }),
  ],
  [
    '429 without Retry-After',
    (_req, res) => sendJson(res, 429, { detail: 'Too many requests' }),
    errorResponse('LlamaCloud is rate limiting the gateway (HTTP 429). Wait a little before retrying.', {
      code: 'UPSTREAM_RATE_LIMITED',
      upstreamStatus: 429,
    }),
  ],
  [
    '400 with a string detail',
    (_req, res) => sendJson(res, 400, { detail: 'organization_id does not match the project' }),
    errorResponse('LlamaCloud rejected the request (HTTP 400): organization_id does not match the project', {
      code: 'UPSTREAM_REJECTED',
      upstreamStatus: 400,
    }),
  ],
  [
    '404 with a detail',
    (_req, res) => sendJson(res, 404, { detail: 'Not Found' }),
    errorResponse('LlamaCloud rejected the request (HTTP 404): Not Found', {
      code: 'UPSTREAM_REJECTED',
      upstreamStatus: 404,
    }),
  ],
  [
    '422 with FastAPI validation details',
    (_req, res) =>
      sendJson(res, 422, {
        detail: [
          { loc: ['query', 'directory_id'], msg: 'Input should be a valid UUID', type: 'uuid_parsing' },
          { loc: ['query', 'limit'], msg: 'Input should be less than or equal to 1000', type: 'less_than_equal' },
        ],
      }),
    errorResponse(
      'LlamaCloud rejected the request (HTTP 422): query.directory_id: Input should be a valid UUID; query.limit: Input should be less than or equal to 1000',
      { code: 'UPSTREAM_REJECTED', upstreamStatus: 422 },
    ),
  ],
  [
    '409 with an HTML body',
    (_req, res) => {
      res.writeHead(409, { 'content-type': 'text/html' });
      res.end('<h1>Conflict</h1>');
    },
    errorResponse('LlamaCloud rejected the request (HTTP 409).', { code: 'UPSTREAM_REJECTED', upstreamStatus: 409 }),
  ],
  [
    '500',
    (_req, res) => sendJson(res, 500, { detail: 'Internal Server Error' }),
    errorResponse('LlamaCloud is unavailable (HTTP 500). Try again shortly.', {
      code: 'UPSTREAM_UNAVAILABLE',
      upstreamStatus: 500,
    }),
  ],
  [
    "502 with a proxy's HTML page",
    (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(html502);
    },
    errorResponse('LlamaCloud is unavailable (HTTP 502). Try again shortly.', {
      code: 'UPSTREAM_UNAVAILABLE',
      upstreamStatus: 502,
    }),
  ],
  [
    '503',
    (_req, res) => sendJson(res, 503, { detail: 'Service Unavailable' }),
    errorResponse('LlamaCloud is unavailable (HTTP 503). Try again shortly.', {
      code: 'UPSTREAM_UNAVAILABLE',
      upstreamStatus: 503,
    }),
  ],
  [
    'a connection reset before any answer',
    (_req, res) => res.socket?.destroy(),
    errorResponse('The gateway could not get an answer from LlamaCloud (UND_ERR_SOCKET). Try again shortly.', {
      code: 'UPSTREAM_UNAVAILABLE',
    }),
  ],
  [
    '200 with malformed JSON',
    (_req, res) => sendJson(res, 200, '{"items": [ {"id": '),
    errorResponse(
      'LlamaCloud answered with a body the gateway cannot use (not JSON). This is not something the client can fix; retrying may help if it was a glitch.',
      { code: 'UPSTREAM_BAD_RESPONSE', upstreamStatus: 200 },
    ),
  ],
  [
    '200 with items that are not a list',
    (_req, res) => sendJson(res, 200, { items: 'nope' }),
    errorResponse(
      'LlamaCloud answered with a body the gateway cannot use (items: Invalid input: expected array, received string). This is not something the client can fix; retrying may help if it was a glitch.',
      { code: 'UPSTREAM_BAD_RESPONSE', upstreamStatus: 200 },
    ),
  ],
  [
    '200 with a job missing a required field',
    (_req, res) =>
      sendJson(res, 200, { items: [{ id: 'bjb-1', job_type: 'parse', status: 'running', total_items: 1 }] }),
    errorResponse(
      'LlamaCloud answered with a body the gateway cannot use (items.0.project_id: Invalid input: expected string, received undefined). This is not something the client can fix; retrying may help if it was a glitch.',
      { code: 'UPSTREAM_BAD_RESPONSE', upstreamStatus: 200 },
    ),
  ],
  [
    '200 with an unparseable timestamp',
    (_req, res) =>
      sendJson(res, 200, {
        items: [
          {
            id: 'bjb-1',
            job_type: 'parse',
            project_id: 'p',
            status: 'running',
            total_items: 1,
            created_at: 'yesterday',
          },
        ],
      }),
    errorResponse(
      'LlamaCloud answered with a body the gateway cannot use (items.0.created_at: not an ISO 8601 date-time). This is not something the client can fix; retrying may help if it was a glitch.',
      { code: 'UPSTREAM_BAD_RESPONSE', upstreamStatus: 200 },
    ),
  ],
];

// Retries are off here: these tests are about how one upstream answer maps to an error
// (test/resilience.test.ts covers retries).
const NO_RETRIES = { UPSTREAM_MAX_RETRIES: '0' };

describe('upstream failures become coded GraphQL errors', () => {
  it.each(cases)('upstream answers %s', async (_name, responder, expected) => {
    await using upstream = await startFakeUpstream();
    upstream.respond(responder);
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: NO_RETRIES });

    const res = await gateway.query(QUERY);

    expect(res.status).toBe(200);
    expect(res.body).toEqual(expected);
    expect(upstream.requests).toHaveLength(1);
  });

  it('upstream answers after the timeout: UPSTREAM_TIMEOUT, without waiting for the answer', async () => {
    await using upstream = await startFakeUpstream();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    upstream.respond(async (_req, res) => {
      await held;
      sendJson(res, 200, { items: [] });
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { UPSTREAM_TIMEOUT_MS: '150' } });

    const res = await gateway.query(QUERY);
    release();

    expect(res.body).toEqual(
      errorResponse('LlamaCloud did not answer within 150 ms. Try again, or ask for less (a smaller limit).', {
        code: 'UPSTREAM_TIMEOUT',
      }),
    );
  });

  it('upstream sends headers, then stalls the body past the timeout: UPSTREAM_TIMEOUT', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"items": [');
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { UPSTREAM_TIMEOUT_MS: '150' } });

    const res = await gateway.query(QUERY);

    expect(res.body.errors[0].extensions).toEqual({ code: 'UPSTREAM_TIMEOUT' });
  });

  it.each([
    { how: 'declared in Content-Length', chunked: false },
    { how: 'sent chunked, with no length', chunked: true },
  ])(
    'upstream answers more than UPSTREAM_MAX_RESPONSE_BYTES, $how: UPSTREAM_BAD_RESPONSE, read no further',
    async ({ chunked }) => {
      await using upstream = await startFakeUpstream();
      let written = 0;
      upstream.respond((_req, res) => {
        const chunk = `"${'x'.repeat(64 * 1024 - 2)}",`;
        res.writeHead(
          200,
          chunked
            ? { 'content-type': 'application/json' }
            : { 'content-type': 'application/json', 'content-length': String(300 * 1024 * 1024) },
        );
        res.write('{"items": [');
        // Writes until the gateway stops reading (at most 32 MB): a 300 MB answer, as far as it goes.
        const more = () => {
          while (written < 32 * 1024 * 1024 && !res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', more);
          }
          res.destroy();
        };
        more();
      });
      await using gateway = await startGateway({
        upstreamUrl: upstream.url,
        env: { UPSTREAM_MAX_RESPONSE_BYTES: String(1024 * 1024) },
      });

      const res = await gateway.query(QUERY);

      expect(res.body).toEqual(
        errorResponse(
          'LlamaCloud answered with a body the gateway cannot use (larger than 1048576 bytes, UPSTREAM_MAX_RESPONSE_BYTES). This is not something the client can fix; retrying may help if it was a glitch.',
          { code: 'UPSTREAM_BAD_RESPONSE', upstreamStatus: 200 },
        ),
      );
      expect(upstream.requests).toHaveLength(1);
      // The gateway stopped reading near the limit, far short of what the upstream meant to send.
      expect(written).toBeLessThan(16 * 1024 * 1024);
      expect(metricValue(await gateway.metrics(), 'gateway_upstream_oversized_answers_total')).toBe(1);
    },
  );

  it('nothing listens at the upstream address: UPSTREAM_UNAVAILABLE', async () => {
    const port = await closedPort();
    await using gateway = await startGateway({ upstreamUrl: new URL(`http://127.0.0.1:${port}`), env: NO_RETRIES });

    const res = await gateway.query(QUERY);

    expect(res.body).toEqual(
      errorResponse('The gateway could not get an answer from LlamaCloud (ECONNREFUSED). Try again shortly.', {
        code: 'UPSTREAM_UNAVAILABLE',
      }),
    );
  });

  it('logs each failed upstream call with its status and code on the request line', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(503, { detail: 'down' });
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: NO_RETRIES });

    await gateway.query(QUERY);

    const line = gateway.logs.find((l) => l.msg === 'request');
    expect(line).toMatchObject({
      method: 'POST',
      path: '/graphql',
      status: 200,
      upstream: [{ route: 'listBatchJobs', method: 'GET', status: 503, errorCode: 'UPSTREAM_UNAVAILABLE' }],
    });
  });
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
