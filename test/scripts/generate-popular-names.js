#!/usr/bin/env node
/**
 * Regenerates the typosquat check's embedded reference data from a dated snapshot of npm
 * package names with their monthly download counts.
 *
 *   npm run build && node test/scripts/generate-popular-names.js <snapshot.tsv> [--protected N] [--floor N] [--date YYYY-MM-DD]
 *   npm run build && node test/scripts/generate-popular-names.js --reindex
 *
 * Input: a TSV file whose first line is a header naming at least the columns `name` and
 * `downloads_a_month` (downloads in the last month, as npm's download-count API reports them),
 * one package per line. The snapshot date is the file's modification date unless --date says
 * otherwise; it is recorded in the output, because popularity drifts and a finding should say
 * how old its evidence is. `--reindex` reads the names and counts back from the data already in
 * src/data and rebuilds only what is derived from them: run it after changing how
 * names are indexed or matched (names.ts, popular-index.ts, matcher.ts); the data tests fail
 * until you do.
 *
 * Output (overwritten), in the layout src/data/typosquat-data.ts reads and writes:
 * - src/data/popular-names.txt: the protected names (the N most downloaded) with their index
 *   already built by the check's own code (popular-index.ts), every scope that has a package at
 *   or above the floor, and the downloads of the known names that look like a protected name.
 *   Read when the check runs; nothing in it is parsed beyond a small header.
 * - src/data/known-names.txt: every name below the protected list down to the floor, with its
 *   downloads. Read only when the configuration adds protected names.
 *
 * The sizes are chosen by `npm run bench:typosquat` (recall, false-positive rate, load time);
 * see the README section of the check. The built check in dist/ is used so that the index is
 * exactly what the check would build: run `npm run build` first.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { parseArgs } from 'node:util';

const DEFAULT_PROTECTED = 20_000;
const DEFAULT_FLOOR = 10_000;
const ROOT = new URL('../../', import.meta.url);
const dist = (file) => new URL(`dist/${file}`, ROOT).href;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    protected: { type: 'string' },
    floor: { type: 'string' },
    date: { type: 'string' },
    'out-dir': { type: 'string' },
    reindex: { type: 'boolean' },
  },
});

const input = positionals[0];
if (values.reindex) {
  await write(await readEmbedded());
} else if (input) {
  await write(fromSnapshot(input));
} else {
  process.stderr.write(
    'usage: node test/scripts/generate-popular-names.js <snapshot.tsv> [--protected N] [--floor N] [--date YYYY-MM-DD]\n' +
      '       node test/scripts/generate-popular-names.js --reindex\n',
  );
  process.exitCode = 2;
}

/** The data as cut from a snapshot: protected rows, known rows, source description. */
function fromSnapshot(file) {
  const protectedCount = positiveInteger(values.protected, DEFAULT_PROTECTED, '--protected');
  const floor = positiveInteger(values.floor, DEFAULT_FLOOR, '--floor');
  const date = values.date ?? statSync(file).mtime.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`--date must be YYYY-MM-DD, got ${date}`);
  const rows = readSnapshot(file);
  return {
    source: path.basename(file),
    date,
    floor,
    protectedRows: rows.slice(0, protectedCount),
    knownRows: rows.slice(protectedCount).filter((row) => row.downloads >= floor),
  };
}

/** The data already embedded, read back through the built modules. */
async function readEmbedded() {
  const { readKnownNames, readPopularNames } = await import(dist('data/typosquat-data.js'));
  const { source, index } = readPopularNames(new URL('src/data/popular-names.txt', ROOT));
  const known = readKnownNames(new URL('src/data/known-names.txt', ROOT));
  // `name downloads[ Name]`: the third field is the name as published, when not lower case.
  const records = (text) =>
    text === ''
      ? []
      : text.split(',').map((record) => {
          const [lower = '', count = '', published] = record.split(' ');
          return { name: published ?? lower, downloads: Number.parseInt(count, 36) };
        });
  return {
    source: source.file,
    date: source.date,
    floor: source.knownFloor,
    protectedRows: records(index.entries),
    // As read from the file, the records are its bytes.
    knownRows: sortByDownloads(records(Buffer.from(known.records).toString('latin1'))),
  };
}

async function write({ source, date, floor, protectedRows, knownRows }) {
  const { packPopularIndex, openPopularIndex } = await import(dist('checks/typosquat/popular-index.js'));
  const { findLookalikes } = await import(dist('checks/typosquat/matcher.js'));
  const { joinRecords } = await import(dist('checks/typosquat/sorted-records.js'));
  const { encodeKnownNames, encodePopularNames, KNOWN_NAMES_FILE, POPULAR_NAMES_FILE } = await import(dist('data/typosquat-data.js'));

  const scopes = new Set();
  for (const row of [...protectedRows, ...knownRows]) {
    if (row.name.startsWith('@')) scopes.add(row.name.slice(1, row.name.indexOf('/')));
  }
  const index = packPopularIndex(protectedRows);
  // The same question the check asks, with the data as shipped: which known names look like a
  // protected one? Only those can need their downloads when nothing is configured.
  const scope = { indexes: [openPopularIndex(index)], knownScopes: scopes };
  const lookalikeRows = knownRows.filter((row) => findLookalikes(row.name, scope).length > 0);

  const outDir = values['out-dir'] ?? fileURLToPath(new URL('src/data/', ROOT));
  const counts = (rows) => rows.map((row) => [row.name, row.downloads.toString(36)]);
  const lookalikeCount = lookalikeRows.length;
  writeFileSync(
    path.join(outDir, POPULAR_NAMES_FILE),
    encodePopularNames({
      source: {
        description: 'npm package names with their download count over the last month',
        file: source,
        date,
        protectedCount: protectedRows.length,
        protectedFloor: protectedRows.at(-1)?.downloads ?? 0,
        knownFloor: floor,
        knownCount: knownRows.length,
        lookalikeCount,
      },
      index,
      knownScopes: joinRecords([...scopes].map((name) => [name])),
      lookalikeDownloads: joinRecords(counts(lookalikeRows)),
    }),
  );
  writeFileSync(path.join(outDir, KNOWN_NAMES_FILE), encodeKnownNames({ date, count: knownRows.length, records: joinRecords(counts(knownRows)) }));
  process.stdout.write(
    `wrote ${protectedRows.length} protected names (down to ${protectedRows.at(-1)?.downloads ?? 0} downloads/month), ` +
      `${knownRows.length} known names (>= ${floor}), ${lookalikeCount} of which look like a protected one, ` +
      `and ${scopes.size} scopes, snapshot ${date}\n`,
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
    // The output keeps names in ',' and ' ' separated records: package-name characters only.
    if (!/^[\w.@/~-]+$/.test(name) || !Number.isSafeInteger(downloads) || seen.has(name)) continue;
    seen.add(name);
    rows.push({ name, downloads });
  }
  return sortByDownloads(rows);
}

function sortByDownloads(rows) {
  return rows.sort((a, b) => b.downloads - a.downloads || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function positiveInteger(raw, fallback, flag) {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${flag} must be a positive integer, got ${raw}`);
  return value;
}
