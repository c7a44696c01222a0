import { describe, expect, it } from 'vitest';
import { watchAbort } from '../../src/registry/abort-watch.ts';

describe('watchAbort', () => {
  it('tells every watcher still watching, with the reason, once', () => {
    const controller = new AbortController();
    const heard: string[] = [];
    watchAbort(controller.signal, (reason) => heard.push(`a: ${String(reason)}`));
    const stopB = watchAbort(controller.signal, (reason) => heard.push(`b: ${String(reason)}`));
    watchAbort(controller.signal, (reason) => heard.push(`c: ${String(reason)}`));
    stopB();
    controller.abort('stop');
    controller.abort('again');
    expect(heard).toEqual(['a: stop', 'c: stop']);
  });

  it('keeps signals apart', () => {
    const first = new AbortController();
    const second = new AbortController();
    const heard: unknown[] = [];
    watchAbort(first.signal, (reason) => heard.push(reason));
    watchAbort(second.signal, () => heard.push('second'));
    first.abort('first');
    expect(heard).toEqual(['first']);
  });
});
