/**
 * What one exchange obeys: the caller's signal and its own time budget. One Cancellation and one
 * timer, released when the exchange ends: cheaper on every call than AbortSignal.timeout plus
 * AbortSignal.any, whose signals live on until the timer fires or they are collected, and than
 * an AbortController of its own (see cancellation.ts).
 */
import { Cancellation, type CancelSignal } from '../cancellation.js';

export class ExchangeSignal {
  readonly #cancellation = new Cancellation();
  readonly #timer: NodeJS.Timeout;
  readonly #caller: CancelSignal | undefined;
  readonly #onCallerAbort = () => this.#cancellation.abort();
  timedOut = false;

  constructor(caller: CancelSignal | undefined, budgetMs: number) {
    this.#caller = caller;
    this.#timer = setTimeout(() => {
      this.timedOut = true;
      this.#cancellation.abort();
    }, budgetMs);
    if (caller?.aborted) this.#cancellation.abort();
    else caller?.addEventListener('abort', this.#onCallerAbort, { once: true });
  }

  /** What the exchange's HTTP request obeys (undici takes it as it takes an AbortSignal). */
  get signal(): CancelSignal {
    return this.#cancellation;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }
}
