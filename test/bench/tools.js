// The commands the benchmark times, one whole process each, so every row pays node's start-up
// exactly as a user's shell or CI step does.
import process from 'node:process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Every rewritten fixture (ours and the shared sink) points here instead of a public host. */
const FIXTURE_REGISTRY_HOSTS = ['registry.npm.example', 'registry.yarn.example'];
/** The default registry the bench lockfiles were resolved from, under its rewritten name. */
export const FIXTURE_REGISTRY = `https://${FIXTURE_REGISTRY_HOSTS[0]}/`;

/**
 * Each tool turns a bench lockfile into `{ file, args, env? }` to spawn (`env`: variables added
 * to this process's environment), or `{ unavailable }` with a
 * reason when it cannot run at all. `okExitCodes` are the codes that mean "it ran": a lint or
 * audit that reports problems still did the work being timed. `summarize` reads the warm-up
 * run's stdout into a short note that shows the tool really read the whole lockfile.
 * `appliesTo` (default: every lockfile) leaves out formats a tool does not read; `reference`
 * marks the plain parses that pkgguard's audit is compared with.
 */
export function benchTools({ repoRoot, pkgguardBin, registryAsIs = false }) {
  const node = process.execPath;
  const pkgguard = pkgguardReadiness(repoRoot, pkgguardBin);
  // See --registry-as-is in options.js. The variable outranks every npmrc, as `--registry` would.
  const pkgguardEnv = registryAsIs ? undefined : { npm_config_registry: FIXTURE_REGISTRY };
  const installed = (name) => existsSync(join(repoRoot, 'node_modules', name, 'package.json'));
  const notInstalled = (name) => ({ unavailable: `not installed: node_modules/${name} missing (run npm install)` });
  return [
    {
      id: 'baseline',
      label: 'node -e 0',
      okExitCodes: [0],
      command: () => ({ file: node, args: ['-e', '0'] }),
    },
    // The plain reference parses: read the file and parse it, nothing else, in `node -e`
    // (CommonJS, resolved from the repository root), printing the parsed entry count.
    referenceParse(node, installed, {
      id: 'json-parse',
      label: 'JSON.parse',
      formats: ['npm'],
      body: 'const lock = JSON.parse(text); count(lock.packages ?? lock.dependencies);',
    }),
    referenceParse(node, installed, {
      id: 'yarnpkg-lockfile',
      label: '@yarnpkg/lockfile',
      formats: ['yarn-classic'],
      module: '@yarnpkg/lockfile',
      body: "const result = require('@yarnpkg/lockfile').parse(text); if (result.type !== 'success') throw new Error(result.type); count(result.object);",
    }),
    referenceParse(node, installed, {
      id: 'parse-syml',
      label: '@yarnpkg/parsers parseSyml',
      formats: ['yarn-classic', 'yarn-berry'],
      module: '@yarnpkg/parsers',
      body: "count(require('@yarnpkg/parsers').parseSyml(text));",
    }),
    referenceParse(node, installed, {
      id: 'js-yaml',
      label: 'js-yaml',
      formats: ['pnpm'],
      module: 'js-yaml',
      body: "const docs = require('js-yaml').loadAll(text); const lock = docs[docs.length - 1]; count(lock.snapshots ?? lock.packages);",
    }),
    referenceParse(node, installed, {
      id: 'yaml',
      label: 'yaml',
      formats: ['pnpm'],
      module: 'yaml',
      body: "const docs = require('yaml').parseAllDocuments(text).map((d) => d.toJS()); const lock = docs[docs.length - 1]; count(lock.snapshots ?? lock.packages);",
    }),
    referenceParse(node, installed, {
      id: 'jsonc',
      label: 'JSONC (strip commas, JSON.parse)',
      formats: ['bun'],
      // bun.lock is JSON with trailing commas; the regex most tools use to read it.
      body: "const lock = JSON.parse(text.replace(/,(\\s*[}\\]])/g, '$1')); count(lock.packages);",
    }),
    {
      id: 'pkgguard-audit',
      label: 'pkgguard audit',
      okExitCodes: [0, 1],
      failurePrefix: 'pkgguard',
      command: (lockfile) =>
        pkgguard.ready
          ? { file: node, args: [pkgguardBin, 'audit', lockfile.absoluteDir, '--offline', '--format', 'json'], env: pkgguardEnv }
          : { unavailable: pkgguard.reason },
      summarize: (stdout) => {
        const report = JSON.parse(stdout);
        return `packages ${sumPackageCounts(report)}, findings ${report.summary?.total ?? '?'}`;
      },
    },
    {
      id: 'pkgguard-ls',
      label: 'pkgguard ls --json',
      okExitCodes: [0],
      failurePrefix: 'pkgguard',
      command: (lockfile) =>
        pkgguard.ready
          ? { file: node, args: [pkgguardBin, 'ls', lockfile.absoluteDir, '--json'], env: pkgguardEnv }
          : { unavailable: pkgguard.reason },
      summarize: (stdout) => `packages ${sumPackageCounts(JSON.parse(stdout))}`,
    },
    {
      id: 'snyk-parser',
      label: 'snyk-nodejs-lockfile-parser',
      okExitCodes: [0],
      // npm v1 is read only by its deprecated tree builder; bun.lock not at all.
      appliesTo: (lockfile) => SNYK_PARSERS[lockfile.format] !== undefined && !(lockfile.format === 'npm' && lockfile.lockfileVersion === 1),
      command: (lockfile) => {
        if (!installed('snyk-nodejs-lockfile-parser')) return notInstalled('snyk-nodejs-lockfile-parser');
        const script = [
          "const fs = require('fs');",
          `const manifest = fs.readFileSync(${JSON.stringify(join(lockfile.absoluteDir, 'package.json'))}, 'utf8');`,
          `const text = fs.readFileSync(${JSON.stringify(lockfile.lockfilePath)}, 'utf8');`,
          `require('snyk-nodejs-lockfile-parser').${SNYK_PARSERS[lockfile.format]}(manifest, text, ${SNYK_OPTIONS})`,
          '  .then((graph) => process.stdout.write(String(graph.getPkgs().length)));',
        ].join('\n');
        return { file: node, args: ['-e', script] };
      },
      summarize: (stdout) => `graph ${Number(stdout.trim())} packages`,
    },
    {
      id: 'lockfile-lint',
      label: 'lockfile-lint',
      okExitCodes: [0, 1],
      // It reads Berry files but takes every `resolution` for a URL ("npm:" is not https).
      appliesTo: (lockfile) => lockfile.format === 'npm' || lockfile.format === 'yarn-classic',
      command: (lockfile) => {
        const script = resolveBin(repoRoot, 'lockfile-lint');
        if (!script) return { unavailable: 'not installed: node_modules/.bin/lockfile-lint missing (run npm install)' };
        const type = lockfile.format === 'npm' ? 'npm' : 'yarn';
        return {
          file: node,
          args: [script, '--path', lockfile.lockfilePath, '--type', type, '--validate-https', '--allowed-hosts', ...FIXTURE_REGISTRY_HOSTS],
        };
      },
    },
    {
      id: 'arborist-load-virtual',
      label: 'arborist loadVirtual',
      okExitCodes: [0],
      appliesTo: (lockfile) => lockfile.format === 'npm',
      command: (lockfile) => {
        if (!existsSync(join(repoRoot, 'node_modules/@npmcli/arborist'))) {
          return { unavailable: 'not installed: node_modules/@npmcli/arborist missing (run npm install)' };
        }
        // require() in `node -e` resolves from the working directory, which is the repo root.
        const script = [
          "const Arborist = require('@npmcli/arborist');",
          `new Arborist({ path: ${JSON.stringify(lockfile.absoluteDir)} }).loadVirtual()`,
          '  .then((tree) => process.stdout.write(String(tree.inventory.size)));',
        ].join('\n');
        return { file: node, args: ['-e', script] };
      },
      summarize: (stdout) => `inventory ${stdout.trim()} nodes`,
    },
  ];
}

/** snyk's project parser per lockfile format (npm: v2 and v3). */
const SNYK_PARSERS = {
  npm: 'parseNpmLockV2Project',
  'yarn-classic': 'parseYarnLockV1Project',
  'yarn-berry': 'parseYarnLockV2Project',
  pnpm: 'parsePnpmProject',
};
/** Production and optional dependencies, lockfile trusted as is, cycles pruned (snyk's CLI defaults). */
const SNYK_OPTIONS = JSON.stringify({
  includeDevDeps: false,
  includeOptionalDeps: true,
  includePeerDeps: false,
  pruneCycles: true,
  pruneWithinTopLevelDeps: true,
  strictOutOfSync: false,
});

/**
 * A reference row: `body` sees `text` (the lockfile) and `count(object)`, which prints how many
 * keys the parse produced, so the note proves the whole file was read.
 */
function referenceParse(node, installed, { id, label, formats, module, body }) {
  return {
    id,
    label,
    reference: true,
    okExitCodes: [0],
    appliesTo: (lockfile) => formats.includes(lockfile.format),
    command: (lockfile) => {
      if (module && !installed(module)) return { unavailable: `not installed: node_modules/${module} missing (run npm install)` };
      const script = [
        `const text = require('fs').readFileSync(${JSON.stringify(lockfile.lockfilePath)}, 'utf8');`,
        "const count = (object) => process.stdout.write(String(Object.keys(object ?? {}).length));",
        body,
      ].join('\n');
      return { file: node, args: ['-e', script] };
    },
    summarize: (stdout) => `parsed ${Number(stdout.trim())} keys`,
  };
}

/** Why pkgguard cannot run yet, checked up front so its rows say so instead of timing a crash. */
function pkgguardReadiness(repoRoot, pkgguardBin) {
  if (!existsSync(pkgguardBin)) return { ready: false, reason: `not built: ${shown(repoRoot, pkgguardBin)} not found` };
  // bin/pkgguard.js only imports the compiled CLI, so a missing dist is the usual cause.
  const compiledMain = join(dirname(pkgguardBin), '../dist/cli/main.js');
  if (!existsSync(compiledMain)) {
    return { ready: false, reason: `not built: ${shown(repoRoot, compiledMain)} missing (run npm run build)` };
  }
  return { ready: true };
}

/** Paths inside the repository relative to it (as a user types them), others absolute. */
function shown(repoRoot, path) {
  const inside = relative(repoRoot, path);
  return inside === '' || inside.startsWith('..') ? path : inside;
}

function resolveBin(repoRoot, name) {
  const link = join(repoRoot, 'node_modules/.bin', name);
  // Spawn the script with this node rather than through its shebang, like every other row.
  return existsSync(link) ? realpathSync(link) : undefined;
}

function sumPackageCounts(document) {
  const lockfiles = Array.isArray(document.lockfiles) ? document.lockfiles : [];
  return lockfiles.reduce((sum, lockfile) => sum + (lockfile.packageCount ?? 0), 0);
}
