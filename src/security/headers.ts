/** The usual security headers on every response. */
import type { Plugin } from 'graphql-yoga';

export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'no-referrer'],
  ['x-frame-options', 'DENY'],
  ['cross-origin-opener-policy', 'same-origin'],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['permissions-policy', 'camera=(), microphone=(), geolocation=()'],
];

/** The content security policy of every response that is not a page: nothing may load or frame it. */
export const NOT_A_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** The usual security headers on every response; a locked-down CSP on everything but pages. */
export function useSecurityHeaders(): Plugin {
  return {
    onResponse({ response }) {
      for (const [name, value] of SECURITY_HEADERS) response.headers.set(name, value);
      if (!response.headers.get('content-type')?.includes('text/html')) {
        response.headers.set('content-security-policy', NOT_A_PAGE_POLICY);
      }
    },
  };
}
