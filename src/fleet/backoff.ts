/**
 * LlamaCloud's back-off, shared by the fleet (REDIS_URL): when LlamaCloud answers 429 with
 * `Retry-After`, the replica that saw it tells the others over a Redis channel, and every replica
 * holds back that route until then (the upstream client answers UPSTREAM_RATE_LIMITED at once, or
 * waits when that fits the caller's deadline). Each replica keeps what it knows in memory, so the
 * check on every upstream call costs a map lookup, never a Redis round trip; while Redis is away
 * a replica still holds back on what it saw itself.
 */
import type { Logger } from '../observability/logger.js';
import type { SharedRedis } from './redis.js';

/** Until when (epoch milliseconds) each route is held back. */
export interface UpstreamBackoff {
  /** Epoch milliseconds until which `route` is held back; 0 or a past time when it is not. */
  until(route: string): number;
  /** LlamaCloud asked to wait on `route` until `until` (epoch milliseconds). */
  hold(route: string, until: number): void;
}

/** Longest hold honoured, whatever a Retry-After says: a bad header must not stop a route for a day. */
const MAX_HOLD_MS = 10 * 60_000;

export function sharedBackoff(redis: SharedRedis, logger: Logger): UpstreamBackoff {
  const channel = `${redis.prefix}upstream-backoff`;
  const holds = new Map<string, number>();
  const note = (route: string, until: number) => {
    const bounded = Math.min(until, Date.now() + MAX_HOLD_MS);
    if (bounded > (holds.get(route) ?? 0)) holds.set(route, bounded);
  };
  redis
    .listen(channel, (message) => {
      try {
        const { route, until } = JSON.parse(message) as { route?: unknown; until?: unknown };
        if (typeof route !== 'string' || typeof until !== 'number') return;
        // Rare (LlamaCloud said 429) and worth seeing: why this replica refuses a route it never called.
        if (until > Date.now() && until > (holds.get(route) ?? 0)) {
          logger.info(
            { route, holdMs: Math.round(until - Date.now()) },
            'holding back an upstream route: LlamaCloud asked the fleet to wait',
          );
        }
        note(route, until);
      } catch {
        // Not ours: another deployment on the same prefix would be a misconfiguration.
      }
    })
    .catch((error: unknown) => {
      logger.warn({ err: error }, 'could not subscribe to the shared upstream back-off; it stays per replica');
    });
  return {
    until: (route) => holds.get(route) ?? 0,
    hold(route, until) {
      note(route, until);
      if (!redis.up) {
        redis.fellBack('backoff');
        return;
      }
      redis.client.publish(channel, JSON.stringify({ route, until })).catch(() => redis.fellBack('backoff'));
    },
  };
}
