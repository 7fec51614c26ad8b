import { describe, expect, it } from 'vitest';
import { startFakeUpstream, wireJobs } from './support/fake-upstream.js';
import { startGateway } from './support/gateway.js';

describe('the HTTP server', () => {
  it('answers GraphQL over GET (upstream: 2 jobs)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, { items: wireJobs(2), total_size: 2 });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const query = encodeURIComponent('query Jobs { batchJobs(limit: 2) { nodes { id } } }');
    const res = await gateway.fetch(`/graphql?query=${query}`, {
      headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' },
    });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { batchJobs: { nodes: [{ id: 'bjb-0000' }, { id: 'bjb-0001' }] } } });
    expect(gateway.logs.find((l) => l.msg === 'request')).toMatchObject({
      method: 'GET',
      path: '/graphql',
      status: 200,
      operationName: 'Jobs',
      upstream: [{ route: 'listBatchJobs', status: 200 }],
    });
  });

  it('answers /health with 200 without calling the upstream', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.fetch('/health');

    expect(res.status).toBe(200);
    expect(upstream.requests).toHaveLength(0);
  });

  it('echoes a sane x-request-id and makes one up otherwise', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const given = await gateway.fetch('/health', { headers: { 'x-request-id': 'trace-123' } });
    const odd = await gateway.fetch('/health', {
      headers: { 'x-request-id': 'not sane\u0001'.replace('\u0001', '!') },
    });

    expect(given.headers.get('x-request-id')).toBe('trace-123');
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a malformed body with a 400 and a parse error code, and keeps serving', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const bad = await gateway.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    const good = await gateway.query('{ __typename }');

    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toBe('POST body sent invalid JSON.');
    expect(good.body).toEqual({ data: { __typename: 'Query' } });
  });
});
