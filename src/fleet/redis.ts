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
/** Longest wait between reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 2000;

/** The features that share state through Redis, as `gateway_redis_fallbacks_total` labels them. */
export type SharedFeature = 'rateLimit' | 'backoff' | 'cache' | 'livePolling' | 'idempotency';

const RELEASE_IF_HELD =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export interface SharedRedis {
  /** Commands (and publishing). */
  client: Redis;
  /** Prefix of every key and channel. */
  prefix: string;
  /** True while commands can reach Redis. */
  readonly up: boolean;
  /** This replica's name in locks and leases: whoever holds one may release it. */
  owner: string;
  /**
   * Calls `onMessage` with every message on `channel`, over a second connection in subscriber
   * mode made on first use (Redis wants one for that). Resubscribes after reconnecting.
   */
  listen(channel: string, onMessage: (message: string) => void): Promise<void>;
  /** Deletes `key` only while this replica holds it (it may have expired and been taken since). */
  releaseIfHeld(key: string): Promise<void>;
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
    commandTimeout: config.commandTimeoutMs,
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
  const handlers = new Map<string, Array<(message: string) => void>>();
  const owner = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  return {
    client,
    prefix: config.keyPrefix,
    owner,
    // eslint-disable-next-line no-restricted-syntax -- made once per process, not per request
    get up() {
      return up;
    },
    async listen(channel, onMessage) {
      if (!subscriber) {
        subscriber = client.duplicate({ ...options, enableOfflineQueue: true });
        subscriber.on('error', () => undefined);
        subscriber.on('message', (from: string, message: string) => {
          for (const handler of handlers.get(from) ?? []) handler(message);
        });
      }
      handlers.set(channel, [...(handlers.get(channel) ?? []), onMessage]);
      await subscriber.subscribe(channel);
    },
    async releaseIfHeld(key) {
      await client.eval(RELEASE_IF_HELD, 1, key, owner);
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
