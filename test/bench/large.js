// Writes the generated large lockfiles (yarn-large, berry-large, pnpm-large, bun-large) from
// the small committed inputs in fixtures/bench/large: one package.json and the brotli-compressed
// lockfiles pnpm and bun resolved for it. yarn's two formats are converted from bun's.
import process from 'node:process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { yarnLockfilesFromBun } from './yarn-from-bun.js';

export const LARGE_FIXTURE_DIR = 'fixtures/bench/large';

/** What each generated lockfile is made from, inside LARGE_FIXTURE_DIR. */
const SOURCES = {
  'bun-large': { from: 'bun.lock.br', file: 'bun.lock' },
  'pnpm-large': { from: 'pnpm-lock.yaml.br', file: 'pnpm-lock.yaml' },
  'yarn-large': { from: 'bun.lock.br', file: 'yarn.lock', convert: 'classic' },
  'berry-large': { from: 'bun.lock.br', file: 'yarn.lock', convert: 'berry' },
};

/**
 * Writes `package.json` and the lockfile of every wanted generated lockfile (`{ name, dir }`,
 * dir relative to `repoRoot`) afresh, so a stale copy never survives a fixture change. Returns
 * `{ name, reason }` for the ones whose inputs are missing; the bench then skips them.
 */
export function materializeLarge(repoRoot, wanted) {
  const fixtureDir = join(repoRoot, LARGE_FIXTURE_DIR);
  const decompressed = new Map();
  const read = (from) => {
    if (!decompressed.has(from)) decompressed.set(from, brotliDecompressSync(readFileSync(join(fixtureDir, from))).toString('utf8'));
    return decompressed.get(from);
  };
  let yarn;
  const problems = [];
  for (const { name, dir } of wanted) {
    const source = SOURCES[name];
    const missing = ['package.json', source.from].find((file) => !existsSync(join(fixtureDir, file)));
    if (missing) {
      problems.push({ name, reason: `${LARGE_FIXTURE_DIR}/${missing} not found` });
      continue;
    }
    let text = read(source.from);
    if (source.convert) {
      // Converting takes seconds; yarn-large and berry-large share one pass.
      yarn ??= yarnLockfilesFromBun(text);
      text = yarn[source.convert];
    }
    const target = resolve(repoRoot, dir);
    mkdirSync(target, { recursive: true });
    writeAtomically(join(target, 'package.json'), readFileSync(join(fixtureDir, 'package.json')));
    writeAtomically(join(target, source.file), text);
  }
  return problems;
}

/** Another bench (or the bench tests) may be reading the old copy: it sees old or new, never half. */
function writeAtomically(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}
