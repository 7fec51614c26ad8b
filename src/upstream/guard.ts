/**
 * What stands between the gateway and LlamaCloud before an exchange goes out: the fleet's
 * back-off (a 429 seen by any replica), the bound on requests waiting for a socket, and the
 * circuit breaker, which also hears how each exchange ended.
 */
import type { Pool } from 'undici';
import { GatewayError } from '../errors.js';
import type { UpstreamBackoff } from '../fleet/backoff.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { CircuitBreaker, CircuitOpenError, type BreakerSettings } from './breaker.js';
import { errorFromStatus } from './errors.js';
import { breakerOpenError, breakerOutcome } from './resilience.js';

export interface GuardSettings {
  /** Most requests waiting for a socket before new ones fail fast. */
  maxQueue: number;
  breaker: BreakerSettings;
}

export class UpstreamGuard {
  readonly #settings: GuardSettings;
  readonly #pool: Pool | null;
  readonly #metrics: GatewayMetrics | undefined;
  readonly #backoff: UpstreamBackoff | undefined;
  readonly #breaker: CircuitBreaker;
  /** Exchanges under way now (through the breaker). */
  #exchanging = 0;

  /** `pool` is the client's own, whose queue is bounded; a shared dispatcher's is not watched. */
  constructor(
    settings: GuardSettings,
    deps: { pool: Pool | null; metrics?: GatewayMetrics; backoff?: UpstreamBackoff },
  ) {
    this.#settings = settings;
    this.#pool = deps.pool;
    this.#metrics = deps.metrics;
    this.#backoff = deps.backoff;
    this.#breaker = new CircuitBreaker({
      ...settings.breaker,
      onStateChange: (state) => {
        this.#metrics?.breakerState.set(state === 'closed' ? 0 : state === 'open' ? 1 : 2);
        this.#metrics?.breakerTransitions.inc({ state });
      },
    });
  }

  /** True while the circuit breaker fails calls fast. */
  get open(): boolean {
    return this.#breaker.state === 'open';
  }

  /** Runs `exchange` once the checks let it out; the breaker records how it ended. */
  async run<T>(route: string, exchange: () => Promise<T>): Promise<T> {
    // LlamaCloud asked the fleet to hold back this route (a 429 seen by any replica): answer as
    // it would, without asking it. The retry policy waits this out when the deadline allows.
    const heldFor = (this.#backoff?.until(route) ?? 0) - Date.now();
    if (heldFor > 0) throw errorFromStatus(429, { 'retry-after-ms': String(heldFor) }, '');
    // Every request waiting in the pool is one of this client's exchanges under way, so with fewer
    // of those than the bound the queue cannot be over it (reading the pool's stats makes an
    // object each time: they are read only when it might be).
    const { maxQueue } = this.#settings;
    if (this.#pool && this.#exchanging >= maxQueue && this.#pool.stats.pending >= maxQueue) {
      this.#metrics?.rejectedForQueue.inc();
      const error = new GatewayError(
        'UPSTREAM_UNAVAILABLE',
        'The gateway has too many LlamaCloud requests waiting already. Try again shortly.',
      );
      error.overloaded = true;
      throw error;
    }
    let trial: boolean;
    try {
      trial = this.#breaker.admit();
    } catch (error) {
      if (!(error instanceof CircuitOpenError)) throw error;
      this.#metrics?.breakerShed.inc();
      throw breakerOpenError(this.#settings.breaker.cooldownMs);
    }
    this.#exchanging += 1;
    try {
      const value = await exchange();
      this.#breaker.record('success', trial);
      return value;
    } catch (error) {
      this.#breaker.record(breakerOutcome(error), trial);
      throw error;
    } finally {
      this.#exchanging -= 1;
    }
  }
}
