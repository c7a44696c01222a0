/**
 * Bounded concurrency for registry requests: at most `limit` holders at a time, the rest wait in
 * FIFO order. A waiter whose signal aborts leaves the queue, so a cancelled audit drains at once.
 */
import { watchAbort } from './abort-watch.ts';

export class Semaphore {
  #available: number;
  readonly #waiters: Array<() => void> = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
    this.#available = limit;
  }

  /** Resolves with a release function once a slot is free; call it exactly once. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.#available > 0) {
      this.#available -= 1;
      return this.#releaser();
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        unwatch?.();
        resolve(this.#releaser());
      };
      const onAbort = (reason: unknown): void => {
        const index = this.#waiters.indexOf(grant);
        if (index !== -1) this.#waiters.splice(index, 1);
        // Like every Node API, an abort rejects with the signal's own reason (an AbortError by default).
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(reason);
      };
      this.#waiters.push(grant);
      // Thousands of waiters share one signal: one listener for all of them (abort-watch.ts).
      const unwatch = signal ? watchAbort(signal, onAbort) : undefined;
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      // Hand the slot straight to the next waiter so a newcomer cannot overtake the queue.
      if (next) next();
      else this.#available += 1;
    };
  }
}
