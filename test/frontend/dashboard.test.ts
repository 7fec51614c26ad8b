import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startFakeUpstream } from '../support/fake-upstream.js';
import { startGateway } from '../support/gateway.js';

const MANIFEST = fileURLToPath(new URL('../../client/generated/persisted-documents.json', import.meta.url));

describe('the dashboard page', () => {
  it('is served at / with its own CSP, and its operations come from the generated manifest', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const page = await gateway.fetch('/');
    const operations = await gateway.fetch('/dashboard/operations.json');

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.text).toContain('<script type="module" src="/dashboard/app.js"></script>');
    expect(Object.keys(operations.body).sort()).toEqual([
      'CancelJob',
      'JobDetail',
      'JobResults',
      'JobUpdated',
      'JobsPage',
    ]);
    expect(operations.body.JobsPage.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is off in production unless DASHBOARD=true', async () => {
    await using upstream = await startFakeUpstream();
    await using off = await startGateway({
      upstreamUrl: upstream.url,
      env: { NODE_ENV: 'production', AUTH_MODE: 'none' },
    });
    await using on = await startGateway({
      upstreamUrl: upstream.url,
      env: { NODE_ENV: 'production', AUTH_MODE: 'none', DASHBOARD: 'true' },
    });

    expect((await off.fetch('/')).status).toBe(404);
    expect((await on.fetch('/')).status).toBe(200);
    // Production serves no GraphiQL, so the page shows no link to it.
    expect((await on.fetch('/dashboard/config.json')).body).toEqual({
      persistedOnly: false,
      auth: false,
      batchApi: 'v1',
      graphiql: false,
    });
    expect((await on.fetch('/graphql', { headers: { accept: 'text/html' } })).status).not.toBe(200);
  });

  it("runs the client's typed operations by hash when only trusted documents are allowed (upstream: empty list)", async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { PERSISTED_OPERATIONS_FILE: MANIFEST, ALLOW_ARBITRARY_OPERATIONS: 'false' },
    });
    const operations = (await gateway.fetch('/dashboard/operations.json')).body;
    const config = (await gateway.fetch('/dashboard/config.json')).body;

    const res = await gateway.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        operationName: 'JobsPage',
        variables: { filter: { status: 'RUNNING' } },
        extensions: { persistedQuery: { version: 1, sha256Hash: operations.JobsPage.hash } },
      }),
    });

    expect(config).toEqual({ persistedOnly: true, auth: false, batchApi: 'v1', graphiql: true });
    expect(res.body).toEqual({
      data: {
        batchJobs: {
          totalCount: 0,
          pageInfo: { hasNextPage: false, hasPreviousPage: false, endCursor: null },
          nodes: [],
        },
      },
    });
    expect(upstream.requests[0]?.query).toEqual({ status: 'running', limit: '20', offset: '0' });
  });
});
