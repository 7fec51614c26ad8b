/**
 * CSRF prevention. Browsers send some requests without a CORS preflight (GraphQL over GET, form
 * posts, an `EventSource`), so a page on another site could make a visitor's browser send them.
 * Those must show they are not such a request, in one of three ways:
 * - the `x-graphql-yoga-csrf` header, which a page can only add to a preflighted request;
 * - `Sec-Fetch-Site: same-origin`, which the browser itself sets and no page can forge: a page
 *   served by this gateway (the dashboard's `EventSource`);
 * - an `Origin` the browser set: this gateway's own host, or one of CORS_ORIGINS (a frontend on
 *   another origin that the operator allows, subscribing with `EventSource`).
 * A JSON POST is always preflighted cross-origin and passes as it is. Yoga's CSRF plugin does the
 * first; the other two are what `EventSource` needs, since it cannot send headers.
 *
 * And a bearer token passes: `Authorization` is no header a page can add without a preflight,
 * and browsers attach on their own only HTTP authentication's cached credentials (Basic,
 * Digest), never a Bearer. That is what a federation router sends when it forwards its caller's
 * token with a subscription (Hive Gateway subscribes with GET over SSE). A router without one
 * sends the CSRF header (README, Federation).
 */
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** Browsers must send this header on requests that are not CORS-preflighted (GET, form posts). */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/** Yoga's refusal, which does not say what to send; replaced by CSRF_REFUSAL. */
const YOGA_REFUSAL = 'Required CSRF header(s) not present';

export const CSRF_REFUSAL = `Send the "${CSRF_HEADER}" header (any value) with requests a browser makes without a CORS preflight (GraphQL over GET, form posts), or POST the query as application/json. An EventSource passes without it from this gateway's own origin or an allowed CORS origin.`;

const BEARER = /^bearer\s+\S/i;

/** True when the browser itself vouches that the request comes from this origin or an allowed one. */
function fromAllowedOrigin(headers: Headers, allowed: ReadonlySet<string>): boolean {
  if (headers.get('sec-fetch-site') === 'same-origin') return true;
  const origin = headers.get('origin');
  if (origin === null) return false;
  if (allowed.has(origin)) return true;
  const host = headers.get('host');
  try {
    return host !== null && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Yoga's CSRF plugin (header and preflight checks), passed over for browser-attested origins. */
export function useCsrfPrevention(allowedOrigins: readonly string[]): Plugin {
  const allowed = new Set(allowedOrigins);
  const yogaCheck = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }).onRequestParse;
  return {
    onRequestParse(payload) {
      const { headers } = payload.request;
      if (BEARER.test(headers.get('authorization') ?? '') || fromAllowedOrigin(headers, allowed)) return;
      try {
        return yogaCheck?.(payload);
      } catch (error) {
        if (error instanceof Error && error.message === YOGA_REFUSAL) {
          throw createGraphQLError(CSRF_REFUSAL, { extensions: { code: 'BAD_REQUEST', http: { status: 403 } } });
        }
        throw error;
      }
    },
  };
}
