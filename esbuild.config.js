// Bundles the CLI into dist/bundle/ (run by `npm run build`, after tsc has type-checked and
// emitted dist/ for the library export). Why: loading ~250 separate modules of pkgguard and its
// dependencies cost ~150 ms of every run (module resolution, file reads, one compile each),
// more than parsing a 2,500-entry lockfile. Splitting keeps every lazy `import()` lazy: heavy
// parts (sigstore, advisory databases) stay in chunks of their own.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

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
    // Also entries so end-to-end tests can preload extra checks (test/e2e/preload/): their
    // imports then resolve to the very module instances the CLI uses, not to copies.
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
  // CommonJS dependencies call require() for Node's built-ins; an ES module has none of its own.
  banner: { js: "import { createRequire as pkgguardCreateRequire } from 'node:module'; const require = pkgguardCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
});
// What went into which chunk, for size work: `npx esbuild --analyze` reads it, or see where a module landed.
writeFileSync('dist/bundle/metafile.json', JSON.stringify(result.metafile));
// The typosquat reference data are plain files that src/data/typosquat-data.ts reads from
// `../data/` next to itself: dist/data for tsc's output, dist/bundle/data for the bundle (whose
// chunks and entries sit one level below dist/bundle). Neither compiler copies non-code files.
for (const dir of ['dist/data', 'dist/bundle/data']) {
  mkdirSync(dir, { recursive: true });
  for (const file of ['popular-names.txt', 'known-names.txt']) copyFileSync(`src/data/${file}`, `${dir}/${file}`);
}
