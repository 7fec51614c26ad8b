/**
 * RATE_LIMIT_PER_MINUTE across every replica (REDIS_URL): one counter per client and minute in
 * Redis (rate-limiter-flexible's atomic Lua increment), so three replicas allow the configured
 * rate in all, not three times it. While Redis cannot answer, each replica limits on its own
 * (the library's insurance limiter) and the fallback is counted.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiter } from '../security/rate-limit.js';
import type { SharedRedis } from './redis.js';

export class SharedRateLimiter implements RateLimiter {
  readonly #limiter: RateLimiterRedis;

  constructor(redis: SharedRedis, perMinute: number) {
    const window = { points: perMinute, duration: 60 };
    // Counts its own use: it only runs when Redis failed to answer.
    const insurance = new RateLimiterMemory(window);
    const consume = insurance.consume.bind(insurance);
    insurance.consume = (key, points, options) => {
      redis.fellBack('rateLimit');
      return consume(key, points, options);
    };
    this.#limiter = new RateLimiterRedis({
      ...window,
      storeClient: redis.client,
      keyPrefix: `${redis.prefix}rate-limit`,
      rejectIfRedisNotReady: true,
      insuranceLimiter: insurance,
    });
  }

  async take(client: string): Promise<number> {
    try {
      await this.#limiter.consume(client);
      return 0;
    } catch (result) {
      if (result instanceof RateLimiterRes) return Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      // Neither Redis nor the insurance limiter answered: a limiter problem is no client's fault.
      return 0;
    }
  }
}
