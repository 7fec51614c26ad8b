/**
 * The connection to the Redis a fleet of replicas shares (REDIS_URL). Redis is a help, never a
 * dependency: commands fail at once while it is away (no offline queue) and take at most
 * REDIS_COMMAND_TIMEOUT_MS when it is slow, so every shared feature falls back to its in-process
 * state instead of failing or stalling a request. The client reconnects by itself; losing and
 * regaining Redis is logged once each way and shown as `gateway_redis_up`.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config/config.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';

/** Longest a Redis command may take before the feature that sent it falls back. */
export const REDIS_COMMAND_TIMEOUT_MS = 250;
/** Longest wait between reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 2000;

/** The features that share state through Redis, as `gateway_redis_fallbacks_total` labels them. */
export type SharedFeature = 'rateLimit' | 'backoff' | 'cache' | 'livePolling';

export interface SharedRedis {
  /** Commands (and publishing). */
  client: Redis;
  /** Prefix of every key and channel. */
  prefix: string;
  /** True while commands can reach Redis. */
  readonly up: boolean;
  /** A second connection in subscriber mode, made on first use (Redis wants one for that). */
  subscriber(): Redis;
  /** Counts a feature that used its in-process state because Redis could not answer. */
  fellBack(feature: SharedFeature): void;
  close(): Promise<void>;
}

export function connectRedis(
  config: Config['redis'] & { url: URL },
  logger: Logger,
  metrics: GatewayMetrics,
): SharedRedis {
  // Where it is, for the logs: never the URL itself, which may hold the password.
  const where = { redis: `${config.url.protocol}//${config.url.host}${config.url.pathname}` };
  const options: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
    // The first connection may fail too: the gateway serves without Redis meanwhile.
    lazyConnect: false,
  };
  const client = new Redis(config.url.href, options);
  let up = false;
  let everUp = false;
  let warned = false;
  metrics.redisUp.set(0);
  client.on('ready', () => {
    up = true;
    metrics.redisUp.set(1);
    if (warned) logger.info(where, 'redis is back: shared state resumes');
    else if (!everUp) logger.info(where, 'redis connected: rate limits and upstream back-off are shared');
    everUp = true;
    warned = false;
  });
  const lost = () => {
    if (up) metrics.redisUp.set(0);
    up = false;
    if (!warned) {
      warned = true;
      logger.warn(where, 'redis is unreachable: serving with in-process state until it is back');
    }
  };
  client.on('close', lost);
  // Errors come with every failed reconnection attempt; the first one is logged by `lost`.
  client.on('error', lost);

  let subscriber: Redis | undefined;
  return {
    client,
    prefix: config.keyPrefix,
    get up() {
      return up;
    },
    subscriber() {
      if (!subscriber) {
        subscriber = client.duplicate({ ...options, enableOfflineQueue: true });
        subscriber.on('error', () => undefined);
      }
      return subscriber;
    },
    fellBack: (feature) => metrics.redisFallbacks.inc({ feature }),
    async close() {
      client.removeListener('close', lost);
      client.disconnect();
      subscriber?.disconnect();
      await Promise.resolve();
    },
  };
}
