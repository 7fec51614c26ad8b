/**
 * How one waiter waits for shared work (shared-work.ts): until the work settles, or until its
 * own signal aborts (its client has gone), whichever comes first; the work itself goes on for
 * the others.
 */
import type { CancelSignal } from '../cancellation.js';
import { CancelledError, toError } from '../errors.js';

/** What the joiners of a flight wait on, made when the first of them joins. */
export interface Joiners {
  promise: Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export function joinersPromise(): Joiners {
  let resolve!: (value: unknown) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A lead abandoned or failed after its joiners left is read by no one.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** What a lead's work settling does to its flight, told by `untilGone`. */
export interface Outcome<T> {
  done: (value: T) => void;
  failed: (error: unknown) => void;
}

/**
 * `work`'s outcome, or a CancelledError as soon as `signal` aborts, and then `onGone` is told. A
 * signal aborted already is not told again: its waiter was counted out when it aborted (join
 * refuses such a waiter before counting it). `outcome` hears `work`'s outcome whatever becomes
 * of the waiter, in the same callback (the waiter's own reactions run later, as microtasks).
 */
export function untilGone<T>(
  work: Promise<T>,
  signal: CancelSignal | undefined,
  onGone?: () => void,
  outcome?: Outcome<T>,
): Promise<T> {
  if (!signal || signal.aborted) {
    if (outcome) work.then(outcome.done, outcome.failed);
    return signal ? Promise.reject(new CancelledError()) : work;
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      onGone?.();
      reject(new CancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
        outcome?.done(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(toError(error));
        outcome?.failed(error);
      },
    );
  });
}
