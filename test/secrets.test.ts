import { describe, expect, it } from 'vitest';
import { EXAMPLE_QUERY } from '../src/graphql/example-query.js';
import { sendJson, startFakeUpstream, wireJob } from './support/fake-upstream.js';
import { startGateway, TEST_API_KEY } from './support/gateway.js';
import { subscribe } from './support/sse.js';

/** The key as JSON writes it with every character \u-escaped: JSON.parse turns it back into the key. */
const ESCAPED_KEY = TEST_API_KEY.replace(/./g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

describe('the upstream API key stays on the server', () => {
  it('is sent upstream as a bearer token and appears in no response, header or log line (upstream: every kind of answer)', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });
    const answers = [
      () => upstream.replyJson(200, { items: [], total_size: 0 }),
      () => upstream.replyJson(401, { detail: 'Invalid API key' }),
      () => upstream.replyJson(422, { detail: [{ loc: ['query'], msg: 'bad' }] }),
      () => upstream.replyJson(500, { detail: 'oops' }),
      () => upstream.replyJson(200, 'not json'),
    ];
    for (const answer of answers) {
      answer();
      await gateway.query('{ batchJobs { totalCount } }');
    }
    await gateway.query('{ nope }');
    await gateway.fetch('/graphql', { headers: { accept: 'text/html' } });
    await gateway.fetch('/health');

    expect(upstream.requests.map((r) => r.headers.authorization)).toEqual(
      Array.from({ length: answers.length }, () => `Bearer ${TEST_API_KEY}`),
    );
    const everything = gateway.transcript.join('\n');
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything).not.toContain(TEST_API_KEY);
    expect(everything).not.toContain(TEST_API_KEY.slice(4, 20));
  });

  it('is scrubbed from upstream error text that echoes it (upstream: 400 quoting the key)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((req, res) => sendJson(res, 400, { detail: `Key ${req.headers.authorization} is malformed` }));
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('{ batchJobs { totalCount } }');

    expect(res.body.errors[0].message).toBe(
      'LlamaCloud rejected the request (HTTP 400): Key Bearer [redacted] is malformed',
    );
  });

  it.each([
    {
      leak: 'a \\u-escaped key in an error detail (upstream: 400)',
      status: 400,
      body: `{"detail": "Key ${ESCAPED_KEY} is malformed"}`,
      expected: {
        data: null,
        errors: [
          {
            message: 'LlamaCloud rejected the request (HTTP 400): Key [redacted] is malformed',
            locations: [{ line: 1, column: 3 }],
            path: ['batchJobs'],
            extensions: { code: 'UPSTREAM_REJECTED', upstreamStatus: 400 },
          },
        ],
      },
    },
    {
      leak: 'the key in a date field of a 2xx body, which the error used to quote (upstream: 200)',
      status: 200,
      body: JSON.stringify({ items: [wireJob({ created_at: TEST_API_KEY })], total_size: 1 }),
      expected: {
        data: null,
        errors: [
          {
            message:
              'LlamaCloud answered with a body the gateway cannot use (items.0.created_at: not an ISO 8601 date-time). This is not something the client can fix; retrying may help if it was a glitch.',
            locations: [{ line: 1, column: 3 }],
            path: ['batchJobs'],
            extensions: { code: 'UPSTREAM_BAD_RESPONSE', upstreamStatus: 200 },
          },
        ],
      },
    },
    {
      leak: "the key in a 2xx job's error_message, plain and \\u-escaped (upstream: 200)",
      status: 200,
      body: JSON.stringify({
        items: [
          wireJob({ id: 'bjb-1', error_message: `auth ${TEST_API_KEY} failed` }),
          wireJob({ id: 'bjb-2', error_message: 'ESCAPED' }),
        ],
        total_size: 2,
      }).replace('ESCAPED', `auth ${ESCAPED_KEY} failed`),
      expected: {
        data: {
          batchJobs: {
            nodes: [
              { id: 'bjb-1', errorMessage: 'auth [redacted] failed' },
              { id: 'bjb-2', errorMessage: 'auth [redacted] failed' },
            ],
          },
        },
      },
    },
  ])('is scrubbed after decoding: $leak', async ({ status, body, expected }) => {
    await using upstream = await startFakeUpstream();
    upstream.respond((_req, res) => sendJson(res, status, body));
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(
      expected.data?.batchJobs ? '{ batchJobs { nodes { id errorMessage } } }' : '{ batchJobs { totalCount } }',
    );

    expect(res.body).toEqual(expected);
  });

  it('is scrubbed from subscription events too, data and errors (upstream: escaped key in error_message, then in a 400 detail)', async () => {
    await using upstream = await startFakeUpstream();
    let polls = 0;
    upstream.respond((_req, res) => {
      polls += 1;
      if (polls === 1) {
        const job = JSON.stringify({
          job: wireJob({ id: 'bjb-live', error_message: 'ESCAPED' }),
          progress_percentage: 1,
        });
        sendJson(res, 200, job.replace('ESCAPED', `auth ${ESCAPED_KEY} failed`));
      } else sendJson(res, 400, `{"detail": "Key ${ESCAPED_KEY} is malformed"}`);
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { LIVE_POLL_INTERVAL_MS: '100' } });

    const sub = await subscribe(gateway.url, 'subscription { batchJobUpdated(id: "bjb-live") { id errorMessage } }');
    const events = [await sub.next(), await sub.next()];
    sub.close();

    expect(events).toEqual([
      {
        event: 'next',
        data: { data: { batchJobUpdated: { id: 'bjb-live', errorMessage: 'auth [redacted] failed' } } },
      },
      {
        event: 'next',
        data: {
          data: null,
          errors: [
            {
              message: 'LlamaCloud rejected the request (HTTP 400): Key [redacted] is malformed',
              locations: [{ line: 1, column: 16 }],
              path: ['batchJobUpdated'],
              extensions: { code: 'UPSTREAM_REJECTED', upstreamStatus: 400 },
            },
          ],
        },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(TEST_API_KEY);
  });

  it("redacts the client's own authorization header in the request log", async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    await gateway.query('{ batchJobs { totalCount } }', undefined, { authorization: 'Bearer client-secret-token' });

    const line = gateway.logs.find((l) => l.msg === 'request');
    expect(line).toMatchObject({ req: { headers: { authorization: '[redacted]' } } });
    expect(gateway.transcript.join('\n')).not.toContain('client-secret-token');
  });

  it('serves GraphiQL with the example query and without the key', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.fetch('/graphql', { headers: { accept: 'text/html' } });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('LlamaCloud batch jobs');
    expect(res.text).toContain(JSON.stringify(EXAMPLE_QUERY).slice(1, 40));
    expect(res.text).not.toContain(TEST_API_KEY);
  });

  it('the leak check itself notices a leaked key', async () => {
    await using upstream = await startFakeUpstream();
    const gateway = await startGateway({ upstreamUrl: upstream.url });
    gateway.transcript.push(`something ${TEST_API_KEY} something`);
    await expect(gateway.close()).rejects.toThrow('The upstream API key leaked');
  });
});
