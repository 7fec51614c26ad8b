/**
 * What every request passes on its own, before its parameters are read (whether it then executes
 * or shares an identical query's execution, shared-execution.ts): authentication, then the
 * caller's rate limit (per JWT subject, else per client address), in-process or, given one
 * (REDIS_URL), shared by every replica. Without RATE_LIMIT_PER_MINUTE nobody is limited. Each
 * refusal is the GraphQL error to answer with.
 */
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config/config.js';
import { GatewayError } from '../errors.js';
import { requestState, type Viewer } from '../request-state.js';
import { createAuthenticator } from './auth.js';
import { TokenBucketLimiter, type RateLimiter } from './rate-limit.js';

export function useCallerChecks(config: Config, shared?: RateLimiter): Plugin {
  const authenticate = createAuthenticator(config.auth);
  const perMinute = config.limits.rateLimitPerMinute;
  const limiter = perMinute > 0 ? (shared ?? new TokenBucketLimiter(perMinute)) : null;
  const refuse = (waitSeconds: number) => {
    if (waitSeconds <= 0) return;
    throw new GatewayError(
      'RATE_LIMITED',
      `Too many requests from this client: at most ${perMinute} a minute. Retry after ${waitSeconds} seconds.`,
      {
        retryAfterSeconds: waitSeconds,
        http: { status: 429, headers: { 'retry-after': String(waitSeconds) } },
      },
    );
  };
  /** Takes one request from the caller's rate limit; a promise only when the limit is shared. */
  const limit = (viewer: Viewer, request: Request, req: IncomingMessage | undefined): void | Promise<void> => {
    if (!limiter) return;
    const client = viewer.subject
      ? `sub:${viewer.subject}`
      : `ip:${clientAddress(request, req, config.server.trustProxy)}`;
    const waitSeconds = limiter.take(client);
    // The in-process limiter answers at once: no promise on every request for it.
    if (typeof waitSeconds !== 'number') return waitSeconds.then(refuse);
    refuse(waitSeconds);
  };
  return {
    // Without a promise when neither check needs one (no authentication or a token verified
    // before, and the in-process rate limit): every hook that answers at once spares the request
    // a layer of promises.
    onParams({ request, context }) {
      const req = (context as { req?: IncomingMessage } | undefined)?.req;
      const limited = (viewer: Viewer) => {
        requestState(request).viewer = viewer;
        return limit(viewer, request, req);
      };
      const viewer = authenticate(request.headers.get('authorization'));
      return viewer instanceof Promise ? viewer.then(limited) : limited(viewer);
    },
  };
}

function clientAddress(request: Request, req: IncomingMessage | undefined, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return req?.socket.remoteAddress ?? 'unknown';
}
