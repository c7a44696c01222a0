/**
 * The built bundle loader (dist/bundle/loader.js) and the code cache the build made, each in a
 * fresh Node process (within one process V8 reuses what it compiled, so only a new process shows
 * whether a cache file was accepted), and stack traces through source maps.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, makeTempDir, project, removeTempDir, REPO_ROOT } from './helpers.ts';

const LOADER = path.join(REPO_ROOT, 'dist', 'bundle', 'loader.js');

beforeAll(assertBuilt);

/**
 * Runs `body` in a fresh Node with `loader` bound to a loader of `bundle` (the built CLI's own
 * when `bundle` is undefined); `body` resolves to what the child prints as JSON on stdout.
 */
function inFreshNode(bundle: string | undefined, body: string, cacheDir?: string): unknown {
  const loader = bundle === undefined
    ? `require(${JSON.stringify(LOADER)}).bundleLoader()`
    : `require(${JSON.stringify(LOADER)}).createBundleLoader(${JSON.stringify(bundle)}${cacheDir ? `, ${JSON.stringify(cacheDir)}` : ''})`;
  const script = `const loader = ${loader}; (async () => { const out = await (async () => { ${body} })(); process.stdout.write(JSON.stringify(out)); })();`;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout);
}

describe('code cache of a hand-made bundle', () => {
  let bundle: string;
  const SAVE_CACHES = `
    loader.load('main.js').greet('x');
    for (const { file, data } of loader.codeCaches()) {
      require('node:fs').mkdirSync(require('node:path').dirname(file), { recursive: true });
      require('node:fs').writeFileSync(file, data);
    }
    return loader.cacheUse();`;
  const GREET_AND_REPORT = `return [loader.load('main.js').greet('abc'), loader.cacheUse()];`;

  beforeAll(async () => {
    bundle = await makeTempDir('pkgguard-e2e-cache-');
    mkdirSync(path.join(bundle, 'chunks'));
    writeFileSync(path.join(bundle, 'main.js'), "const { shout } = require('./chunks/shout.js');\nexports.greet = (name) => shout('hello ' + name);\n");
    writeFileSync(path.join(bundle, 'chunks', 'shout.js'), 'exports.shout = (text) => text.toUpperCase() + "!";\n');
    expect(inFreshNode(bundle, SAVE_CACHES)).toEqual({ 'main.js': 'none', 'chunks/shout.js': 'none' });
  });

  afterAll(() => removeTempDir(bundle));

  it('a later process starts from the cache', () => {
    expect(inFreshNode(bundle, GREET_AND_REPORT)).toEqual(['HELLO ABC!', { 'main.js': 'accepted', 'chunks/shout.js': 'accepted' }]);
  });

  it('a damaged cache is refused and the module compiled from source', () => {
    const cache = path.join(bundle, 'code-cache', `${process.versions.v8}-${process.arch}`, 'chunks', 'shout.js.cache');
    const intact = readFileSync(cache);
    try {
      // Past V8's header, so only its checksum can tell.
      const damaged = Buffer.from(intact).map((byte, at) => (at >= 64 && at % 7 === 0 ? byte ^ 0x5a : byte));
      writeFileSync(cache, damaged);
      expect(inFreshNode(bundle, GREET_AND_REPORT)).toEqual(['HELLO ABC!', { 'main.js': 'accepted', 'chunks/shout.js': 'rejected' }]);
    } finally {
      writeFileSync(cache, intact);
    }
  });

  it("another Node's cache folder is never read", () => {
    const elsewhere = path.join(bundle, 'code-cache', `0.0.0-${process.arch}`);
    expect(inFreshNode(bundle, GREET_AND_REPORT, elsewhere)).toEqual(['HELLO ABC!', { 'main.js': 'none', 'chunks/shout.js': 'none' }]);
  });
});

describe('code cache of a module larger than the loader\'s read buffer (256 KB)', () => {
  let bundle: string;
  // Thousands of functions, all run before the cache is saved, so that the cache is large too;
  // text outside ASCII, also across the buffer's end, must come back intact.
  const FUNCTIONS = 9000;
  const source = [
    "exports.note = 'déjà vu — ünïcödé ✓';",
    ...Array.from({ length: FUNCTIONS }, (_, i) => `exports.f${i} = (x) => x + ${i} + '·';`),
    `exports.all = () => { let total = 0; for (let i = 0; i < ${FUNCTIONS}; i++) total += exports['f' + i](1).length; return total; };`,
    `exports.tail = '${'é'.repeat(1000)}';`,
  ].join('\n');
  const RUN = `const big = loader.load('big.js'); const out = [big.note, big.all(), big.tail.length, loader.cacheUse()];`;
  const expected = ['déjà vu — ünïcödé ✓', Array.from({ length: FUNCTIONS }, (_, i) => `${1 + i}·`.length).reduce((a, b) => a + b, 0), 1000];

  beforeAll(async () => {
    bundle = await makeTempDir('pkgguard-e2e-big-');
    writeFileSync(path.join(bundle, 'big.js'), source);
    expect(Buffer.byteLength(source)).toBeGreaterThan(256 * 1024);
    const saved = inFreshNode(bundle, `${RUN}
      for (const { file, data } of loader.codeCaches()) {
        require('node:fs').mkdirSync(require('node:path').dirname(file), { recursive: true });
        require('node:fs').writeFileSync(file, data);
      }
      return out;`);
    expect(saved).toEqual([...expected, { 'big.js': 'none' }]);
  });

  afterAll(() => removeTempDir(bundle));

  it('is read whole, source and cache, and V8 accepts the cache', () => {
    const cache = path.join(bundle, 'code-cache', `${process.versions.v8}-${process.arch}`, 'big.js.cache');
    expect(readFileSync(cache).length).toBeGreaterThan(256 * 1024);
    expect(inFreshNode(bundle, `${RUN} return out;`)).toEqual([...expected, { 'big.js': 'accepted' }]);
  });
});

describe('code cache of the built CLI', () => {
  it('the build made one for this Node, and V8 accepts it for every module an offline audit loads', () => {
    const uses = inFreshNode(
      undefined,
      `const write = process.stdout.write; process.stdout.write = () => true;
       const code = await loader.load('cli/main.js').main(['audit', ${JSON.stringify(project('bun-integrity'))}, '--offline', '--format', 'json']);
       process.stdout.write = write;
       return { code, uses: loader.cacheUse() };`,
    ) as { code: number; uses: Record<string, string> };
    expect(uses.code).toBeLessThan(2);
    expect(Object.keys(uses.uses)).toEqual(expect.arrayContaining(['cli/main.js', expect.stringMatching(/^chunks\/audit-/)]));
    expect(Object.entries(uses.uses).filter(([, use]) => use !== 'accepted')).toEqual([]);
  });
});

describe('source maps', () => {
  it('node --enable-source-maps maps the stack trace of --debug back to src/ (Node, not the cache, loads the bundle then)', () => {
    const result = spawnSync(process.execPath, ['--enable-source-maps', BIN, 'audit', project('malformed-json'), '--offline', '--debug'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/^ {4}at parseJson \(.*[\\/]src[\\/]lockfiles[\\/][\w-]+\.ts:\d+:\d+\)$/m);
  });
});
