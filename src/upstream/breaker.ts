/**
 * The circuit breaker in front of LlamaCloud. It opens on the failure ratio of the calls in a
 * sliding window (once the window holds a minimum number of calls), so an upstream failing a third
 * of its calls stays in use while one failing all of them is shed within a few calls. After the
 * cooldown it admits a few trial calls at once and closes or reopens on their ratio.
 *
 * Not cockatiel's: cockatiel 3 (the last line that runs on Node 20) has a sampling breaker, but
 * its half-open state tries a single call and holds every other caller behind it, so one unlucky
 * trial at a 30 % failure rate reopens the circuit for a whole cooldown.
 */

export type BreakerState = 'closed' | 'open' | 'halfOpen';

export interface BreakerSettings {
  /** Share of failed calls in the window (0 to 1) at or above which the circuit opens. */
  failureRatio: number;
  /** Calls the window must hold before its ratio counts. */
  minimumCalls: number;
  /** Length of the sliding window, in milliseconds. */
  windowMs: number;
  /** How long an open circuit refuses calls before trials, in milliseconds. */
  cooldownMs: number;
  /** Trial calls admitted at once after the cooldown. */
  halfOpenCalls: number;
}

export interface BreakerOptions extends BreakerSettings {
  onStateChange?: (state: BreakerState) => void;
  /** Clock, replaceable for tests. */
  now?: () => number;
}

/** What a call's outcome says about the upstream's health. */
export type Outcome = 'success' | 'failure' | 'ignored';

/** Thrown instead of calling while the circuit is open (or its trials are all taken). */
export class CircuitOpenError extends Error {
  constructor() {
    super('circuit open');
    this.name = 'CircuitOpenError';
  }
}

const BUCKETS = 10;

export class CircuitBreaker {
  readonly #options: BreakerOptions;
  readonly #now: () => number;
  readonly #bucketMs: number;
  // The window, as BUCKETS buckets of calls and failures; #bucketStart is the newest one's start.
  readonly #calls = new Array<number>(BUCKETS).fill(0);
  readonly #failures = new Array<number>(BUCKETS).fill(0);
  #bucketStart = 0;
  #newest = 0;
  #state: BreakerState = 'closed';
  #openedAt = 0;
  #trials = { started: 0, succeeded: 0, failed: 0 };

  constructor(options: BreakerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#bucketMs = Math.max(1, options.windowMs / BUCKETS);
  }

  get state(): BreakerState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#options.cooldownMs) return 'halfOpen';
    return this.#state;
  }

  /**
   * Admits one call, or throws CircuitOpenError when the circuit refuses it. Returns whether the
   * call is a trial; its outcome goes to `record` with that. (Admit and record rather than a
   * wrapper around the call: the client runs its call in a frame of its own, and one async layer
   * fewer per upstream call is a promise and a suspended frame fewer per request in flight.)
   */
  admit(): boolean {
    if (this.#state === 'closed') return false;
    if (this.#state === 'open') {
      if (this.#now() - this.#openedAt < this.#options.cooldownMs) throw new CircuitOpenError();
      this.#trials = { started: 0, succeeded: 0, failed: 0 };
      this.#transition('halfOpen');
    }
    if (this.#trials.started >= this.#options.halfOpenCalls) throw new CircuitOpenError();
    this.#trials.started += 1;
    return true;
  }

  /** What an admitted call's outcome told about the upstream; `trial` is what `admit` returned. */
  record(outcome: Outcome, trial: boolean): void {
    if (outcome === 'ignored') {
      // A trial that told nothing (cancelled, a 404) frees its place for another.
      if (trial && this.#state === 'halfOpen') this.#trials.started -= 1;
      return;
    }
    if (trial) {
      if (this.#state !== 'halfOpen') return;
      if (outcome === 'success') this.#trials.succeeded += 1;
      else this.#trials.failed += 1;
      // Decided as soon as the trials' final ratio can no longer go the other way.
      const allowedFailures = Math.ceil(this.#options.halfOpenCalls * this.#options.failureRatio) - 1;
      if (this.#trials.failed > allowedFailures) this.#open();
      else if (this.#trials.succeeded >= this.#options.halfOpenCalls - allowedFailures) this.#close();
      return;
    }
    if (this.#state !== 'closed') return;
    this.#rotate();
    this.#calls[this.#newest] = (this.#calls[this.#newest] ?? 0) + 1;
    if (outcome === 'success') return;
    this.#failures[this.#newest] = (this.#failures[this.#newest] ?? 0) + 1;
    const calls = sum(this.#calls);
    if (calls >= this.#options.minimumCalls && sum(this.#failures) / calls >= this.#options.failureRatio) this.#open();
  }

  /** Moves the window forward to now, emptying the buckets it left behind. */
  #rotate(): void {
    const now = this.#now();
    const steps = Math.floor((now - this.#bucketStart) / this.#bucketMs);
    if (steps <= 0) return;
    for (let i = 0; i < Math.min(steps, BUCKETS); i += 1) {
      this.#newest = (this.#newest + 1) % BUCKETS;
      this.#calls[this.#newest] = 0;
      this.#failures[this.#newest] = 0;
    }
    this.#bucketStart = now - ((now - this.#bucketStart) % this.#bucketMs);
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#transition('open');
  }

  #close(): void {
    this.#calls.fill(0);
    this.#failures.fill(0);
    this.#transition('closed');
  }

  #transition(state: BreakerState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#options.onStateChange?.(state);
  }
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
