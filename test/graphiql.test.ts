import { describe, expect, it } from 'vitest';
import { startFakeUpstream } from './support/fake-upstream.js';
import { startGateway } from './support/gateway.js';

const HTML = { accept: 'text/html' };

describe('GraphiQL', () => {
  it('answers 503 with a page saying what to do while its files cannot be loaded, logs it, and recovers', async () => {
    await using upstream = await startFakeUpstream();
    let loads = 0;
    // As `npm ci` in another shell leaves it: the package is half gone, the import throws.
    const broken = new Error("Cannot find module '/app/node_modules/@graphql-yoga/render-graphiql/esm/index.js'");
    broken.stack = `${broken.message}\n    at ModuleLoader.resolve (node:internal/modules/esm/loader:1:1)`;
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      loadGraphiQL: () => {
        loads += 1;
        return loads <= 2
          ? Promise.reject(broken)
          : Promise.resolve({ renderGraphiQL: ({ title }) => `<!doctype html><title>${title ?? ''}</title>` });
      },
    });

    // The first load (when the app was built) failed, and so does the first page view's.
    const failed = await gateway.fetch('/graphql', { headers: HTML });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(failed.text).toContain('GraphiQL could not be loaded');
    expect(failed.text).toContain('<code>POST /graphql</code> works meanwhile');
    expect(failed.text).not.toContain('ModuleLoader');
    expect(failed.text).not.toContain('node_modules');
    const logged = gateway.logs.find((line) => line.msg === 'request' && line.status === 503);
    expect(logged).toMatchObject({ method: 'GET', path: '/graphql', status: 503 });

    // Nothing failed is kept: the next view loads it again, and it works now.
    const recovered = await gateway.fetch('/graphql', { headers: HTML });
    expect(recovered.status).toBe(200);
    expect(recovered.text).toBe('<!doctype html><title>LlamaCloud batch jobs</title>');
    expect(loads).toBe(3);
    // Queries were never affected.
    expect((await gateway.query('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('is loaded when the app starts, not on the first page view', async () => {
    await using upstream = await startFakeUpstream();
    let loads = 0;
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      loadGraphiQL: () => {
        loads += 1;
        return Promise.resolve({ renderGraphiQL: () => '<!doctype html><title>GraphiQL</title>' });
      },
    });
    expect(loads).toBe(1);
    expect((await gateway.fetch('/graphql', { headers: HTML })).status).toBe(200);
    expect((await gateway.fetch('/graphql', { headers: HTML })).status).toBe(200);
    expect(loads).toBe(1);
  });

  it('is not served in production (and never loaded there)', async () => {
    await using upstream = await startFakeUpstream();
    let loads = 0;
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { NODE_ENV: 'production', AUTH_MODE: 'none' },
      loadGraphiQL: () => {
        loads += 1;
        return Promise.reject(new Error('not here'));
      },
    });
    const res = await gateway.fetch('/graphql', { headers: HTML });
    expect(res.status).not.toBe(200);
    expect(res.text).not.toContain('GraphiQL');
    expect(loads).toBe(0);
  });
});
