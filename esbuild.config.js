// Bundles the CLI into dist/bundle/ (run by `npm run build`, after tsc has type-checked and
// emitted dist/ for the library export). Why: loading ~250 separate modules of pkgguard and its
// dependencies cost ~150 ms of every run (module resolution, file reads, one compile each),
// more than parsing a 2,500-entry lockfile. Splitting keeps every lazy `import()` lazy: heavy
// parts (sigstore, advisory databases, the typosquat name lists) stay in chunks of their own.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const result = await build({
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
