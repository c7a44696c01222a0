#!/usr/bin/env node
/**
 * Regenerates the typosquat check's embedded reference data from a dated snapshot of npm
 * package names with their monthly download counts.
 *
 *   node test/scripts/generate-popular-names.js <snapshot.tsv> [--protected N] [--floor N] [--date YYYY-MM-DD]
 *
 * Input: a TSV file whose first line is a header naming at least the columns `name` and
 * `downloads_a_month` (downloads in the last month, as npm's download-count API reports them),
 * one package per line. The snapshot date is the file's modification date unless --date says
 * otherwise; it is recorded in the output, because popularity drifts and a finding should say
 * how old its evidence is.
 *
 * Output (overwritten):
 * - src/data/popular-names.ts: the protected names (the N most downloaded, most downloaded
 *   first) and every scope that has a package at or above the floor. Loaded when the check runs.
 * - src/data/known-names.ts: the names below the protected list down to the floor, with their
 *   downloads, so the popularity gate can compare a look-alike with its target. Loaded only
 *   when a look-alike was found.
 *
 * The sizes are chosen by `npm run bench:typosquat` (recall, false-positive rate, load time);
 * see the README section of the check.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { parseArgs } from 'node:util';

const DEFAULT_PROTECTED = 20_000;
const DEFAULT_FLOOR = 10_000;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    protected: { type: 'string' },
    floor: { type: 'string' },
    date: { type: 'string' },
    'out-dir': { type: 'string' },
  },
});

const input = positionals[0];
if (!input) {
  process.stderr.write(
    'usage: node test/scripts/generate-popular-names.js <snapshot.tsv> [--protected N] [--floor N] [--date YYYY-MM-DD]\n',
  );
  process.exitCode = 2;
} else {
  generate(input);
}

function generate(file) {
  const protectedCount = positiveInteger(values.protected, DEFAULT_PROTECTED, '--protected');
  const floor = positiveInteger(values.floor, DEFAULT_FLOOR, '--floor');
  const date = values.date ?? statSync(file).mtime.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`--date must be YYYY-MM-DD, got ${date}`);

  const rows = readSnapshot(file);
  const protectedRows = rows.slice(0, protectedCount);
  const knownRows = rows.slice(protectedCount).filter((row) => row.downloads >= floor);
  const scopes = new Set();
  for (const row of [...protectedRows, ...knownRows]) {
    if (row.name.startsWith('@')) scopes.add(row.name.slice(1, row.name.indexOf('/')));
  }

  const outDir = values['out-dir'] ?? fileURLToPath(new URL('../../src/data/', import.meta.url));
  const source = path.basename(file);
  writeFileSync(path.join(outDir, 'popular-names.ts'), popularModule({ source, date, protectedRows, floor, scopes }));
  writeFileSync(path.join(outDir, 'known-names.ts'), knownModule({ source, date, knownRows, floor }));
  process.stdout.write(
    `wrote ${protectedRows.length} protected names (down to ${protectedRows.at(-1)?.downloads ?? 0} downloads/month), ` +
      `${knownRows.length} known names (>= ${floor}) and ${scopes.size} scopes, snapshot ${date}\n`,
  );
}

/** Rows sorted by downloads (most first), then name, so regenerating from the same input is byte-identical. */
function readSnapshot(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const header = (lines[0] ?? '').split('\t');
  const nameColumn = header.indexOf('name');
  const downloadsColumn = header.indexOf('downloads_a_month');
  if (nameColumn < 0 || downloadsColumn < 0) {
    throw new Error(`${file}: the header must name the columns "name" and "downloads_a_month"`);
  }
  const seen = new Set();
  const rows = [];
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    const name = cells[nameColumn] ?? '';
    const downloads = Number(cells[downloadsColumn]);
    // The output embeds names in template literals, one per line, separated by a space.
    if (!/^[\w.@/~-]+$/.test(name) || !Number.isSafeInteger(downloads) || seen.has(name)) continue;
    seen.add(name);
    rows.push({ name, downloads });
  }
  return rows.sort((a, b) => b.downloads - a.downloads || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function popularModule({ source, date, protectedRows, floor, scopes }) {
  return `${banner(source)}
/** Where the popularity data comes from and how it was cut. */
export const POPULAR_NAMES_SOURCE = {
  /** What the counts are. */
  description: 'npm package names with their download count over the last month',
  /** The snapshot file the generator read. */
  file: ${JSON.stringify(source)},
  /** The snapshot's date (YYYY-MM-DD). */
  date: ${JSON.stringify(date)},
  /** How many of the most downloaded names are protected. */
  protectedCount: ${protectedRows.length},
  /** Monthly downloads of the least downloaded protected name. */
  protectedFloor: ${protectedRows.at(-1)?.downloads ?? 0},
  /** Names below the protected list are in known-names.ts down to this many monthly downloads. */
  knownFloor: ${floor},
} as const;

/** The protected names, most downloaded first: one \`<name> <monthly downloads>\` per line. */
export const POPULAR_NAMES = \`${protectedRows.map((row) => `${row.name} ${row.downloads}`).join('\n')}\`;

/** Every scope (without "@") that has a package at or above the known floor, one per line. */
export const KNOWN_SCOPES = \`${[...scopes].sort().join('\n')}\`;
`;
}

function knownModule({ source, date, knownRows, floor }) {
  return `${banner(source)}
/**
 * Names below the protected list with at least ${floor} downloads in the month before ${date}, as
 * \`\\n<name> <monthly downloads>\` lines. Searched with indexOf for the few names that look like a
 * protected one, never parsed whole: the popularity gate needs a handful of lookups, not a map.
 */
export const KNOWN_NAMES = \`
${knownRows.map((row) => `${row.name} ${row.downloads}`).join('\n')}
\`;
`;
}

function banner(source) {
  return `/**
 * GENERATED by test/scripts/generate-popular-names.js from ${source}; do not edit by hand.
 * Regenerate with: node test/scripts/generate-popular-names.js <snapshot.tsv>
 */`;
}

function positiveInteger(raw, fallback, flag) {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${flag} must be a positive integer, got ${raw}`);
  return value;
}
