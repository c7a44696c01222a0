import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/registry/semaphore.ts';

describe('Semaphore', () => {
  it('admits `limit` holders and then serves waiters in FIFO order', async () => {
    const semaphore = new Semaphore(2);
    const order: string[] = [];
    const releaseA = await semaphore.acquire();
    const releaseB = await semaphore.acquire();
    const c = semaphore.acquire().then((release) => {
      order.push('c');
      return release;
    });
    const d = semaphore.acquire().then((release) => {
      order.push('d');
      return release;
    });
    await Promise.resolve();
    expect(order).toEqual([]);
    releaseA();
    releaseA(); // a second call must not free a second slot
    const releaseC = await c;
    expect(order).toEqual(['c']);
    releaseB();
    (await d)();
    releaseC();
    expect(order).toEqual(['c', 'd']);
    // Both slots are free again.
    await semaphore.acquire();
    await semaphore.acquire();
  });

  it('drops an aborted waiter from the queue and rejects with the reason', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const controller = new AbortController();
    const aborted = semaphore.acquire(controller.signal);
    const next = semaphore.acquire();
    controller.abort(new Error('cancelled'));
    await expect(aborted).rejects.toThrow('cancelled');
    release();
    await expect(next).resolves.toBeTypeOf('function');
  });

  it('rejects at once when the signal is already aborted', async () => {
    await expect(new Semaphore(1).acquire(AbortSignal.abort(new Error('too late')))).rejects.toThrow('too late');
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new Semaphore(0)).toThrow(new RangeError('concurrency must be a positive integer, got 0'));
    expect(() => new Semaphore(1.5)).toThrow(RangeError);
  });
});
