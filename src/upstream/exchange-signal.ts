/**
 * What one exchange obeys: the caller's signal and its own time budget. One controller and one
 * timer, released when the exchange ends: cheaper on every call than AbortSignal.timeout plus
 * AbortSignal.any, whose signals live on until the timer fires or they are collected.
 */
export class ExchangeSignal {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #caller: AbortSignal | undefined;
  readonly #onCallerAbort = () => this.#controller.abort();
  timedOut = false;

  constructor(caller: AbortSignal | undefined, budgetMs: number) {
    this.#caller = caller;
    this.#timer = setTimeout(() => {
      this.timedOut = true;
      this.#controller.abort();
    }, budgetMs);
    if (caller?.aborted) this.#controller.abort();
    else caller?.addEventListener('abort', this.#onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }
}
