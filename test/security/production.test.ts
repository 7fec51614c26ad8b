import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { sendJson, startFakeUpstream } from '../support/fake-upstream.js';
import { startGateway } from '../support/gateway.js';

const PRODUCTION = { NODE_ENV: 'production', AUTH_MODE: 'none' };
const ROUTER_SECRET = `router-${'r'.repeat(32)}`;

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
    // __type too, and next to a field the caller may ask: the whole operation is refused.
    const byType = await gateway.query('{ batchJobs(limit: 1) { totalCount } __type(name: "BatchJob") { name } }');
    expect(byType.body).toEqual({
      errors: [
        {
          message: 'GraphQL introspection has been disabled, but the requested query contained the field "__type".',
          locations: [{ line: 1, column: 38 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    });
    expect(upstream.requests).toEqual([]);
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

  it('refuses the subgraph SDL to strangers, however the query is written', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { ...PRODUCTION, SERVICE_SDL_SECRET: ROUTER_SECRET },
    });

    for (const query of [
      '{ _service { sdl } }',
      'query Sdl { a: _service { sdl } }',
      'query { ...S } fragment S on Query { ... on Query { _service { sdl } } }',
    ]) {
      const res = await gateway.query(query, undefined, { 'x-service-sdl-secret': 'wrong'.repeat(8) });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        errors: [
          {
            message:
              "The subgraph schema (_service) is served in production only to the graph's router: send the x-service-sdl-secret header with SERVICE_SDL_SECRET, or a token with the JWT_SERVICE_SDL_SCOPE scope.",
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      });
      expect(res.text).not.toContain('BatchJob');
    }
  });

  it('serves the subgraph SDL to the router that sends SERVICE_SDL_SECRET', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { ...PRODUCTION, SERVICE_SDL_SECRET: ROUTER_SECRET },
    });

    const res = await gateway.query('{ _service { sdl } }', undefined, { 'x-service-sdl-secret': ROUTER_SECRET });

    expect(res.body.data._service.sdl).toContain('type BatchJob');
    expect(gateway.transcript.filter((line) => line.includes(ROUTER_SECRET))).toEqual([]);
  });

  it('serves the subgraph SDL under AUTH_MODE=jwt to a token with JWT_SERVICE_SDL_SCOPE, and to no other', async () => {
    await using upstream = await startFakeUpstream();
    const secret = 's'.repeat(32);
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { NODE_ENV: 'production', AUTH_MODE: 'jwt', JWT_SECRET: secret, JWT_SERVICE_SDL_SCOPE: 'graph:sdl' },
    });
    const token = (scope: string) =>
      new SignJWT({ scope })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('router')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));

    const router = await gateway.query('{ _service { sdl } }', undefined, {
      authorization: `Bearer ${await token('graph:sdl')}`,
    });
    const other = await gateway.query('{ _service { sdl } }', undefined, {
      authorization: `Bearer ${await token('batch-jobs:read')}`,
    });

    expect(router.body.data._service.sdl).toContain('type BatchJob');
    expect(other.status).toBe(403);
    expect(other.body.errors[0].extensions).toEqual({ code: 'FORBIDDEN' });
  });

  it('only sends codes from the closed set (upstream: 418)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((_req, res) => sendJson(res, 418, { detail: "I'm a teapot" }));
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: PRODUCTION });

    const res = await gateway.query('{ batchJobs { totalCount } }');

    expect(res.body.errors[0].extensions).toEqual({ code: 'UPSTREAM_REJECTED', upstreamStatus: 418 });
  });
});
