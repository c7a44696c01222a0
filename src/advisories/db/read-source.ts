/**
 * Reading an offline OSV database: a directory of OSV JSON files (any depth, as `gsutil rsync`
 * or osv-scanner leave them) or OSV's per-ecosystem export zip (`npm/all.zip`: one
 * `<id>.json` per record). Records are handed over one at a time, so memory stays flat however
 * large the export. yauzl (zip) is loaded only when a zip is read.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as Yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { ConfigError } from '../../core/errors.ts';

/** A record bigger than this is no OSV record: refuse it rather than inflate a zip bomb. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

export type RecordVisitor = (json: string, file: string) => void;

/** Every `.json` file below `dir`, at any depth, sorted (absolute paths). */
export async function jsonFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

export async function readDirectoryRecords(dir: string, visit: RecordVisitor): Promise<void> {
  for (const file of await jsonFilesUnder(dir)) visit(await readFile(file, 'utf8'), path.relative(dir, file));
}

function loadYauzl(): Promise<typeof Yauzl> {
  // `default` (module.exports): yauzl is CommonJS; see src/lockfiles/yarn-berry.ts.
  return import('yauzl').then((module) => module.default as typeof Yauzl);
}

function openZip(file: string): Promise<ZipFile> {
  return loadYauzl().then(
    (yauzl) =>
      new Promise<ZipFile>((resolve, reject) => {
        yauzl.open(file, { lazyEntries: true, autoClose: true }, (error, zip) => (error ? reject(error) : resolve(zip)));
      }),
  );
}

function readEntry(zip: ZipFile, entry: Entry): Promise<string> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  });
}

export async function readZipRecords(file: string, visit: RecordVisitor): Promise<void> {
  let zip: ZipFile;
  try {
    zip = await openZip(file);
  } catch (error) {
    throw new ConfigError(`advisory database ${file} is not a readable zip file (${error instanceof Error ? error.message : String(error)})`, {
      hints: ['pass a directory of OSV JSON files or OSV\'s npm all.zip; `pkgguard db update` downloads it'],
    });
  }
  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown): void => {
      zip.close();
      reject(new ConfigError(`advisory database ${file}: ${error instanceof Error ? error.message : String(error)}`));
    };
    zip.on('error', fail);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: Entry) => {
      if (!entry.fileName.endsWith('.json') || entry.fileName.endsWith('/')) return zip.readEntry();
      if (entry.uncompressedSize > MAX_RECORD_BYTES) return fail(new Error(`${entry.fileName} is ${entry.uncompressedSize} bytes, too large for an OSV record`));
      readEntry(zip, entry).then((json) => {
        try {
          visit(json, entry.fileName);
        } catch (error) {
          return fail(error);
        }
        zip.readEntry();
      }, fail);
    });
    zip.readEntry();
  });
}
