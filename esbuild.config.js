// Bundles the CLI into dist/bundle/ (run by `npm run build`, after tsc has type-checked and
// emitted dist/ for the library export). Why: loading ~250 separate modules of pkgguard and its
// dependencies cost ~150 ms of every run (module resolution, file reads, one compile each),
// more than parsing a 2,500-entry lockfile. Splitting keeps every lazy `import()` lazy: heavy
// parts (sigstore, advisory databases) stay in chunks of their own.
import { build, transform } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/**
 * commander requires child_process when it loads, for executable subcommands, which pkgguard
 * does not use; with it came net, dgram and their bindings, ~5 ms of every start. commander
 * gets a stand-in that loads the real module on first use.
 */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(context) {
    context.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined,
    );
    context.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

// Chunk names carry content hashes: without a clean directory, every build would leave the
// previous build's chunks behind, and `npm pack` would ship them.
rmSync('dist/bundle', { recursive: true, force: true });

const result = await build({
  plugins: [lazyChildProcessForCommander],
  entryPoints: {
    'cli/main': 'src/cli/main.ts',
    // Loads the others with V8's code cache (src/cli/bundle-loader.ts); bin/pkgguard.js starts here.
    loader: 'src/cli/bundle-loader.ts',
    // Also entries so end-to-end tests can preload extra checks (test/e2e/preload/): loaded
    // through the loader, they are the very module instances the CLI uses, not copies.
    'checks/index': 'src/checks/index.ts',
    'core/errors': 'src/core/errors.ts',
  },
  outdir: 'dist/bundle',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.17',
  // Loaded at run time from node_modules instead, because they are rarely needed and large:
  // - arborist is only asked for its shrinkwrap reader (createRequire) for npm v1 lockfiles;
  // - @npmcli/config requires package-json and map-workspaces (with glob and minimatch, ~400 KB)
  //   inside a function, only when a directory above the project has a package.json; bundled,
  //   they would be compiled on every run. Both are direct dependencies so they resolve from here.
  external: ['@npmcli/arborist', '@npmcli/package-json', '@npmcli/map-workspaces'],
  define: { PKGGUARD_BUNDLED_VERSION: JSON.stringify(version) },
  // Kept in memory and inline: every chunk is turned into CommonJS below, source map included.
  write: false,
  sourcemap: 'inline',
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
});
/**
 * esbuild splits code into chunks only as ES modules, but Node 20 can give V8 a code cache only
 * for scripts it compiles through `node:vm`: each chunk becomes a CommonJS module (its `import`s
 * `require`s, its `import()`s `require`s behind a promise), which src/cli/bundle-loader.ts loads.
 * Node's ES module loader, which read every module asynchronously, is gone from start-up too.
 */
for (const output of result.outputFiles) {
  mkdirSync(dirname(output.path), { recursive: true });
  if (!output.path.endsWith('.js')) {
    writeFileSync(output.path, output.contents);
    continue;
  }
  const usesOwnUrl = output.text.includes('import.meta.url');
  const commonJs = await transform(output.text, {
    format: 'cjs',
    platform: 'node',
    target: 'node20.17',
    supported: { 'dynamic-import': false },
    define: usesOwnUrl ? { 'import.meta.url': 'pkgguardModuleUrl' } : {},
    banner: usesOwnUrl ? "var pkgguardModuleUrl = require('node:url').pathToFileURL(__filename).href;" : '',
    sourcemap: 'external',
    sourcefile: basename(output.path),
    logLevel: 'warning',
  });
  const mapFile = `${output.path}.map`;
  writeFileSync(output.path, `${commonJs.code}//# sourceMappingURL=${basename(mapFile)}\n`);
  writeFileSync(mapFile, commonJs.map);
}
// Node reads .js files as CommonJS below this folder (the package itself is "type": "module").
writeFileSync('dist/bundle/package.json', '{ "type": "commonjs" }\n');
// What went into which chunk, for size work: `npx esbuild --analyze` reads it, or see where a module landed.
writeFileSync('dist/bundle/metafile.json', JSON.stringify(result.metafile));
// The typosquat reference data are plain files that src/data/typosquat-data.ts reads from
// `../data/` next to itself: dist/data for tsc's output, dist/bundle/data for the bundle (whose
// chunks and entries sit one level below dist/bundle). Neither compiler copies non-code files.
for (const dir of ['dist/data', 'dist/bundle/data']) {
  mkdirSync(dir, { recursive: true });
  for (const file of ['popular-names.txt', 'known-names.txt']) copyFileSync(`src/data/${file}`, `${dir}/${file}`);
}

/**
 * The code cache (src/cli/bundle-loader.ts): a child Node, this very Node without NODE_OPTIONS
 * (flags would make V8 refuse the cache in plain runs), loads the bundle through its loader,
 * audits fixture projects of every lockfile format offline in each output format, and saves
 * what V8 compiled meanwhile. Without the fixtures (not part of the npm package), or when an
 * audit fails (a bundle under repair), the bundle runs without a cache, as Node runs any code;
 * test/e2e/code-cache.test.ts makes sure the cache exists and V8 takes it. `typosquat`: the
 * others hold only popular names, so the look-alike search that every real lockfile's few
 * unpopular names go through was compiled on first use in every run (its first calls cost
 * 1-4 ms each; +30 kB of cache).
 */
const WARM_UP_PROJECTS = ['clean', 'yarn-classic-sha1', 'yarn-berry-checksum', 'pnpm-integrity', 'bun-integrity', 'typosquat'];
const warmUp = `
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
const loader = createRequire(process.cwd() + '/')('./dist/bundle/loader.js').bundleLoader();
const { main } = loader.load('cli/main.js');
for (const project of process.argv.slice(1)) {
  for (const format of ['json', 'text', 'sarif']) {
    const code = await main(['audit', project, '--offline', '--format', format]);
    if (code > 1) throw new Error('the offline audit of ' + project + ' (' + format + ') exited with ' + code);
  }
}
for (const { file, data } of loader.codeCaches()) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
}
`;
const projects = WARM_UP_PROJECTS.map((name) => `fixtures/projects/${name}`).filter((dir) => existsSync(dir));
const withoutCache = (why) => console.warn(`esbuild.config.js: the bundle has no code cache: ${why}`);
if (projects.length === 0) {
  withoutCache('no fixture projects to warm it up with');
} else {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', warmUp, ...projects], { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (child.status !== 0) withoutCache(/^Error: (.*)$/m.exec(child.stderr)?.[1] ?? `the warm-up exited with ${child.status ?? child.signal}`);
}
