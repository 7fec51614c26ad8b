import { describe, expect, it } from 'vitest';
import { sendJson, startFakeUpstream } from '../support/fake-upstream.js';
import { startGateway } from '../support/gateway.js';

const PRODUCTION = { NODE_ENV: 'production', AUTH_MODE: 'none' };

describe('production mode (NODE_ENV=production)', () => {
  it('serves no GraphiQL page', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: PRODUCTION });

    const res = await gateway.fetch('/graphql', { headers: { accept: 'text/html' } });

    expect(res.text).not.toContain('<html');
    expect(res.text).not.toContain('graphiql');
  });

  it('refuses introspection', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: PRODUCTION });

    const res = await gateway.query('{ __schema { types { name } } }');

    expect(res.body.data).toBeUndefined();
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.text).not.toContain('BatchJobConnection');
  });

  it('gives no field suggestions in validation errors', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: PRODUCTION });

    const res = await gateway.query('{ batchJob(id: "x") { idd } }');

    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.text).not.toContain('Did you mean');
    expect(res.text).not.toMatch(/"id"/);
  });

  it('masks unexpected errors and never sends internals (upstream: a job whose id is not a string)', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: PRODUCTION });

    const malformed = await gateway.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });

    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({
      errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('keeps federation _service available to the router', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: PRODUCTION });

    const res = await gateway.query('{ _service { sdl } }');

    expect(res.body.data._service.sdl).toContain('type BatchJob');
  });

  it('only sends codes from the closed set (upstream: 418)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((_req, res) => sendJson(res, 418, { detail: "I'm a teapot" }));
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: PRODUCTION });

    const res = await gateway.query('{ batchJobs { totalCount } }');

    expect(res.body.errors[0].extensions).toEqual({ code: 'UPSTREAM_REJECTED', upstreamStatus: 418 });
  });
});
