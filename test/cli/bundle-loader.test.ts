/**
 * The bundle loader on a small hand-made CommonJS bundle: module semantics as Node gives them
 * (one instance, relative requires inside the bundle, cycles, Node's require for the rest), and
 * where the code cache of each module goes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundlePath, codeCacheDirIn, createBundleLoader } from '../../src/cli/bundle-loader.ts';

let bundle: string;

beforeEach(() => {
  bundle = mkdtempSync(path.join(tmpdir(), 'pkgguard-bundle-'));
  mkdirSync(path.join(bundle, 'chunks'));
  write('cli/main.js', `
    const { greet } = require('../chunks/greet.js');
    const { sep } = require('node:path');
    exports.main = (name) => greet(name) + sep;
    exports.loadedAt = ++globalThis.pkgguardLoaderTestCount;
    exports.where = () => [__filename, __dirname];`);
  write('chunks/greet.js', `
    const even = require('./even.js');
    exports.greet = (name) => 'hello ' + name + (even.isEven(name.length) ? ' (even)' : ' (odd)');`);
  // even.js and odd.js require each other, as chunks of a split bundle may.
  write('chunks/even.js', `
    const odd = require('./odd.js');
    exports.isEven = (n) => n === 0 || odd.isOdd(n - 1);`);
  write('chunks/odd.js', `
    const even = require('./even.js');
    exports.isOdd = (n) => n !== 0 && even.isEven(n - 1);`);
  write('chunks/broken.js', `throw new TypeError('broken chunk');`);
  (globalThis as { pkgguardLoaderTestCount?: number }).pkgguardLoaderTestCount = 0;
});

afterEach(() => rmSync(bundle, { recursive: true, force: true }));

function write(file: string, source: string): void {
  mkdirSync(path.dirname(path.join(bundle, file)), { recursive: true });
  writeFileSync(path.join(bundle, file), source);
}

type Main = { main(name: string): string; loadedAt: number; where(): [string, string] };

describe('bundle loader: modules', () => {
  it('runs a module and its relative requires, cycles included, with Node built-ins from Node', () => {
    const main = createBundleLoader(bundle).load('cli/main.js') as Main;
    expect(main.main('ab')).toBe(`hello ab (even)${path.sep}`);
    expect(main.main('abc')).toBe(`hello abc (odd)${path.sep}`);
  });

  it('loads each module once, and gives it its own __filename and __dirname', () => {
    const loader = createBundleLoader(bundle);
    const first = loader.load('cli/main.js') as Main;
    expect(loader.load('cli/main.js')).toBe(first);
    expect(first.loadedAt).toBe(1);
    expect(first.where()).toEqual([path.join(bundle, 'cli/main.js'), path.join(bundle, 'cli')]);
  });

  it("passes a module's error on", () => {
    expect(() => createBundleLoader(bundle).load('chunks/broken.js')).toThrow(new TypeError('broken chunk'));
  });
});

describe('bundle loader: code cache', () => {
  // Whether V8 accepts a cache shows only in a fresh process (within one, V8 reuses what it
  // compiled before): test/e2e/code-cache.test.ts. Here: where caches go, and that none is made up.
  it('knows no cache before the build made one', () => {
    const loader = createBundleLoader(bundle);
    (loader.load('cli/main.js') as Main).main('abcd');
    expect(loader.cacheUse()).toEqual({ 'cli/main.js': 'none', 'chunks/greet.js': 'none', 'chunks/even.js': 'none', 'chunks/odd.js': 'none' });
  });

  it('keeps one cache per loaded module in a folder of this V8 and CPU, next to the bundle', () => {
    const loader = createBundleLoader(bundle);
    loader.load('cli/main.js');
    expect(codeCacheDirIn(bundle)).toBe(path.join(bundle, 'code-cache', `${process.versions.v8}-${process.arch}`));
    const caches = loader.codeCaches();
    expect(caches.map(({ file }) => path.relative(codeCacheDirIn(bundle), file)).sort()).toEqual(
      ['chunks/even.js.cache', 'chunks/greet.js.cache', 'chunks/odd.js.cache', 'cli/main.js.cache'].map((file) => path.normalize(file)),
    );
    expect(caches.every(({ data }) => data.length > 0)).toBe(true);
  });
});

describe('bundlePath', () => {
  // The module map is keyed by path: a second spelling of one file would load a second instance.
  const folders = ['/srv/app/dist/bundle/chunks', '/srv/app/dist/bundle/cli', '/srv/app/dist/bundle', '/x', '/', 'relative/dir', '/srv/a b/c'];
  const ids = [
    './chunk-AB12CD.js',
    '../chunks/chunk-AB12CD.js',
    '../../bundle/chunks/x.js',
    '../../../../../../up.js',
    './a/../b.js',
    './a//b.js',
    './.hidden.js',
    '../',
    './',
    './a/./b.js',
    '../chunks/a.b-c_d.js',
  ];
  it.each(folders.flatMap((folder) => ids.map((id) => [folder, id] as const)))('%s + %s is what path.resolve gives', (folder, id) => {
    expect(bundlePath(folder, id)).toBe(path.resolve(folder, id));
  });
});
