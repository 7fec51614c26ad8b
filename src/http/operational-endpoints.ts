/**
 * The endpoints for whoever runs the gateway, not for browsers: GET /ready (readiness: 503 while
 * shutting down or while the upstream's circuit is open) and GET /metrics (Prometheus text).
 * Yoga's own /health stays the liveness check. Matched on the path Yoga has already parsed: this
 * runs first on every request, so it costs one string comparison.
 */
import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';

export interface OperationalEndpoints {
  /** False while the gateway should receive no traffic. */
  ready: () => boolean;
  registry: Registry;
}

export function useOperationalEndpoints({ ready, registry }: OperationalEndpoints): Plugin {
  return {
    // Not async: a promise from this hook on every request would cost more than the check.
    onRequest(payload) {
      const { url, fetchAPI } = payload;
      if (url.pathname === '/ready') {
        payload.endResponse(new fetchAPI.Response(null, { status: ready() ? 200 : 503 }));
      } else if (url.pathname === '/metrics') {
        return registry.metrics().then((text) => {
          payload.endResponse(new fetchAPI.Response(text, { headers: { 'content-type': registry.contentType } }));
        });
      }
      return undefined;
    },
  };
}
