/**
 * What every request passes on its own, before it is parsed: authentication, then the caller's
 * rate limit (per JWT subject, else per client address).
 */
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config/config.js';
import { GatewayError } from '../errors.js';
import { requestState, type Viewer } from '../request-state.js';
import { createAuthenticator } from './auth.js';
import { TokenBucketLimiter, type RateLimiter } from './rate-limit.js';

/** The request fields the caller checks read, from a Fetch `Request` or a Node `IncomingMessage`. */
export interface CallerOf {
  /** A request header's value, or null when absent. */
  header: (name: string) => string | null;
  /** The TCP peer's address. */
  remoteAddress: string | undefined;
}

/**
 * Authentication, then the caller's rate limit: what every request passes on its own, before its
 * parameters are read, whether it then executes or shares an identical query's execution
 * (shared-execution.ts). Each throws the GraphQL error to answer with.
 */
export interface CallerChecks {
  /** Who is calling; a promise only while a token's signature is being checked. */
  authenticate(caller: CallerOf): Viewer | Promise<Viewer>;
  /** Takes one request from the caller's rate limit; a promise only when the limit is shared. */
  limit(viewer: Viewer, caller: CallerOf): void | Promise<void>;
}

/**
 * The checks, with the rate limit in-process or, given one (REDIS_URL), shared by every replica.
 * Without RATE_LIMIT_PER_MINUTE nobody is limited.
 */
export function createCallerChecks(config: Config, shared?: RateLimiter): CallerChecks {
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
  return {
    authenticate: (caller) => authenticate(caller.header('authorization')),
    limit(viewer, caller) {
      if (!limiter) return;
      const client = viewer.subject ? `sub:${viewer.subject}` : `ip:${clientAddress(caller, config.server.trustProxy)}`;
      const waitSeconds = limiter.take(client);
      // The in-process limiter answers at once: no promise on every request for it.
      if (typeof waitSeconds !== 'number') return waitSeconds.then(refuse);
      refuse(waitSeconds);
    },
  };
}

/** Runs the caller checks before the request is parsed or executed. */
export function useCallerChecks(checks: CallerChecks): Plugin {
  return {
    // Without a promise when neither check needs one (no authentication or a token verified
    // before, and the in-process rate limit): every hook that answers at once spares the request
    // a layer of promises.
    onParams({ request, context }) {
      const req = (context as { req?: IncomingMessage } | undefined)?.req;
      const caller: CallerOf = {
        header: (name) => request.headers.get(name),
        remoteAddress: req?.socket.remoteAddress,
      };
      const limit = (viewer: Viewer) => {
        requestState(request).viewer = viewer;
        return checks.limit(viewer, caller);
      };
      const viewer = checks.authenticate(caller);
      return viewer instanceof Promise ? viewer.then(limit) : limit(viewer);
    },
  };
}

function clientAddress(caller: CallerOf, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = caller.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return caller.remoteAddress ?? 'unknown';
}
