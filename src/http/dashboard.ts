/**
 * Serves the dashboard (client/dashboard) at `/`: static files read once at start, plus the
 * operations it runs, taken from the generated trusted-documents manifest so the page uses
 * exactly the typed client operations. Off in production unless DASHBOARD=true.
 */
import { readFileSync } from 'node:fs';
import { parse, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config/config.js';

// src/http/ and dist/http/ both sit two levels below the project root, which holds client/.
const CLIENT_DIR = new URL('../../client/', import.meta.url);

interface Asset {
  body: string;
  type: string;
}

// Pages get a CSP of their own: same-origin scripts, styles and GraphQL only.
const PAGE_CSP =
  "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Operation name → the manifest's hash and the operation text. */
export function dashboardOperations(): Record<string, { hash: string; query: string }> {
  const manifest = JSON.parse(
    readFileSync(new URL('generated/persisted-documents.json', CLIENT_DIR), 'utf8'),
  ) as Record<string, string>;
  const operations: Record<string, { hash: string; query: string }> = {};
  for (const [key, query] of Object.entries(manifest)) {
    const name = getOperationAST(parse(query))?.name?.value;
    if (name) operations[name] = { hash: key.replace(/^sha256:/, ''), query };
  }
  return operations;
}

export function useDashboard(config: Config): Plugin {
  const read = (file: string) => readFileSync(new URL(`dashboard/${file}`, CLIENT_DIR), 'utf8');
  const assets = new Map<string, Asset>([
    ['/', { body: read('index.html'), type: 'text/html; charset=utf-8' }],
    ['/dashboard/app.js', { body: read('app.js'), type: 'text/javascript; charset=utf-8' }],
    ['/dashboard/style.css', { body: read('style.css'), type: 'text/css; charset=utf-8' }],
    ['/dashboard/operations.json', { body: JSON.stringify(dashboardOperations()), type: 'application/json' }],
    [
      '/dashboard/config.json',
      {
        body: JSON.stringify({
          persistedOnly: config.persistedOperations.file !== null && !config.persistedOperations.allowArbitrary,
          auth: config.auth.mode === 'jwt',
          // As app.ts serves it: GraphiQL is never served in production.
          graphiql: !config.production,
          // v2 pages by cursor, has results instead of items, and no type filter.
          batchApi: config.upstream.batchApi,
        }),
        type: 'application/json',
      },
    ],
  ]);
  return {
    onRequest(payload) {
      const { request, url, fetchAPI } = payload;
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const asset = assets.get(url.pathname);
      if (!asset) return;
      payload.endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : asset.body, {
          status: 200,
          headers: { 'content-type': asset.type, 'cache-control': 'no-cache', 'content-security-policy': PAGE_CSP },
        }),
      );
    },
  };
}
