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
import { createAuthenticator, type Authenticator } from './auth.js';
import { TokenBucketLimiter, type RateLimiter } from './rate-limit.js';

/** The caller checks, shared by Yoga's hook and the fast path (sharing/fast-path.ts): one limiter. */
export class CallerChecks {
  readonly authenticate: Authenticator;
  readonly #perMinute: number;
  readonly #limiter: RateLimiter | null;
  readonly #trustProxy: boolean;

  constructor(config: Config, shared?: RateLimiter) {
    this.authenticate = createAuthenticator(config.auth);
    this.#perMinute = config.limits.rateLimitPerMinute;
    this.#limiter = this.#perMinute > 0 ? (shared ?? new TokenBucketLimiter(this.#perMinute)) : null;
    this.#trustProxy = config.server.trustProxy;
  }

  /**
   * Takes one request from the caller's rate limit: the seconds to wait (0: allowed), a promise
   * only when the limit is shared. `header` reads a request header (null when absent).
   */
  take(
    viewer: Viewer,
    header: (name: string) => string | null,
    req: IncomingMessage | undefined,
  ): number | Promise<number> {
    if (!this.#limiter) return 0;
    const client = viewer.subject ? `sub:${viewer.subject}` : `ip:${clientAddress(header, req, this.#trustProxy)}`;
    return this.#limiter.take(client);
  }

  /** The refusal for a caller who must wait `waitSeconds` (nothing when 0). */
  refuse(waitSeconds: number): void {
    if (waitSeconds <= 0) return;
    throw new GatewayError(
      'RATE_LIMITED',
      `Too many requests from this client: at most ${this.#perMinute} a minute. Retry after ${waitSeconds} seconds.`,
      {
        retryAfterSeconds: waitSeconds,
        http: { status: 429, headers: { 'retry-after': String(waitSeconds) } },
      },
    );
  }

  plugin(): Plugin {
    const refuse = (waitSeconds: number) => this.refuse(waitSeconds);
    return {
      // Without a promise when neither check needs one (no authentication or a token verified
      // before, and the in-process rate limit): every hook that answers at once spares the request
      // a layer of promises.
      onParams: ({ request, context }) => {
        const state = requestState(request);
        // The fast path authenticated this request and took its rate limit before handing it on.
        if (state.rateLimitWait !== undefined) {
          refuse(state.rateLimitWait);
          return;
        }
        const req = (context as { req?: IncomingMessage } | undefined)?.req;
        const header = (name: string) => request.headers.get(name);
        const limited = (viewer: Viewer) => {
          state.viewer = viewer;
          const waitSeconds = this.take(viewer, header, req);
          // The in-process limiter answers at once: no promise on every request for it.
          if (typeof waitSeconds !== 'number') return waitSeconds.then(refuse);
          refuse(waitSeconds);
        };
        const viewer = this.authenticate(request.headers.get('authorization'));
        return viewer instanceof Promise ? viewer.then(limited) : limited(viewer);
      },
    };
  }
}

function clientAddress(
  header: (name: string) => string | null,
  req: IncomingMessage | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy) {
    const forwarded = header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return req?.socket.remoteAddress ?? 'unknown';
}
