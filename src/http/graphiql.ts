/**
 * GraphiQL at the GraphQL endpoint, for browsers outside production. Its code is bundled with the
 * server (no CDN: it works offline and under a strict CSP) and weighs ~45 MB in memory, which is
 * why production never loads it.
 *
 * It is loaded when the app is built, not on the first page view: `npm test` or `npm ci` in a
 * second shell reinstalls node_modules under a running gateway, and an import made after that
 * fails. Should it fail anyway, the page view is answered 503 with a page that says what to do
 * (no stack trace; the request log records it), and the next view tries again: a failed load is
 * never kept.
 */
import { shouldRenderGraphiQL, type GraphiQLOptions, type Plugin } from 'graphql-yoga';
import type { Logger } from '../observability/logger.js';

/** Loads the bundled GraphiQL renderer; replaceable in tests. */
export type GraphiQLLoader = () => Promise<{ renderGraphiQL: (options: GraphiQLOptions) => string }>;

const loadBundled: GraphiQLLoader = () => import('@graphql-yoga/render-graphiql');

/** What a browser gets while GraphiQL's files cannot be loaded: no stack, and what to do. */
const UNAVAILABLE =
  '<!doctype html><meta charset="utf-8"><title>GraphiQL unavailable</title><p>GraphiQL could not be loaded (its files changed under the running gateway, as <code>npm ci</code> in another shell does). Reload to try again; restart the gateway if it persists. <code>POST /graphql</code> works meanwhile.</p>';

export interface GraphiQLSettings {
  endpoint: string;
  title: string;
  /** The query the editor opens with. */
  query: string;
  logger: Logger;
  load?: GraphiQLLoader;
}

export function useGraphiQL({ endpoint, title, query, logger, load = loadBundled }: GraphiQLSettings): Plugin {
  let page: Promise<string | null> | undefined;
  const render = (): Promise<string | null> =>
    (page ??= load().then(
      // The bundled page opens with `query` (Yoga's `defaultQuery` is for its CDN page).
      ({ renderGraphiQL }) => renderGraphiQL({ title, query } as GraphiQLOptions),
      (error: unknown) => {
        page = undefined;
        logger.warn({ err: error }, 'GraphiQL could not be loaded; the next page view tries again');
        return null;
      },
    ));
  void render();
  return {
    onRequest(payload) {
      const { request, url, fetchAPI } = payload;
      if (!shouldRenderGraphiQL(request) || (url.pathname !== endpoint && url.pathname !== `${endpoint}/`)) return;
      return render().then((html) => {
        payload.endResponse(
          new fetchAPI.Response(html ?? UNAVAILABLE, {
            status: html === null ? 503 : 200,
            headers: { 'content-type': 'text/html; charset=utf-8', ...(html === null ? { 'retry-after': '5' } : {}) },
          }),
        );
      });
    },
  };
}
