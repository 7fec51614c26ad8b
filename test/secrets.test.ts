import { describe, expect, it } from 'vitest';
import { EXAMPLE_QUERY } from '../src/example-query.js';
import { sendJson, startFakeUpstream } from './support/fake-upstream.js';
import { startGateway, TEST_API_KEY } from './support/gateway.js';

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
