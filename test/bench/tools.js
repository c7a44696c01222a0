// The commands the benchmark times, one whole process each, so every row pays node's start-up
// exactly as a user's shell or CI step does.
import process from 'node:process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Every rewritten fixture (ours and the shared sink) points here instead of a public host. */
const FIXTURE_REGISTRY_HOST = 'registry.npm.example';

/**
 * Each tool turns a bench lockfile into `{ file, args }` to spawn, or `{ unavailable }` with a
 * reason when it cannot run at all. `okExitCodes` are the codes that mean "it ran": a lint or
 * audit that reports problems still did the work being timed. `summarize` reads the warm-up
 * run's stdout into a short note that shows the tool really read the whole lockfile.
 */
export function benchTools({ repoRoot, pkgguardBin }) {
  const node = process.execPath;
  const pkgguard = pkgguardReadiness(repoRoot, pkgguardBin);
  return [
    {
      id: 'baseline',
      label: 'node -e 0',
      okExitCodes: [0],
      command: () => ({ file: node, args: ['-e', '0'] }),
    },
    {
      id: 'json-parse',
      label: 'JSON.parse',
      okExitCodes: [0],
      command: (lockfile) => ({
        file: node,
        args: ['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(lockfile.lockfilePath)}, 'utf8'))`],
      }),
    },
    {
      id: 'pkgguard-audit',
      label: 'pkgguard audit',
      okExitCodes: [0, 1],
      failurePrefix: 'pkgguard',
      command: (lockfile) =>
        pkgguard.ready
          ? { file: node, args: [pkgguardBin, 'audit', lockfile.absoluteDir, '--offline', '--format', 'json'] }
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
          ? { file: node, args: [pkgguardBin, 'ls', lockfile.absoluteDir, '--json'] }
          : { unavailable: pkgguard.reason },
      summarize: (stdout) => `packages ${sumPackageCounts(JSON.parse(stdout))}`,
    },
    {
      id: 'lockfile-lint',
      label: 'lockfile-lint',
      okExitCodes: [0, 1],
      command: (lockfile) => {
        const script = resolveBin(repoRoot, 'lockfile-lint');
        if (!script) return { unavailable: 'not installed: node_modules/.bin/lockfile-lint missing (run npm install)' };
        return {
          file: node,
          args: [script, '--path', lockfile.lockfilePath, '--type', 'npm', '--validate-https', '--allowed-hosts', FIXTURE_REGISTRY_HOST],
        };
      },
    },
    {
      id: 'arborist-load-virtual',
      label: 'arborist loadVirtual',
      okExitCodes: [0],
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
