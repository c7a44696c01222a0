/**
 * What identifies one state of an offline database, to know when its index is stale. A zip:
 * size, mtime and a SHA-256 of its last 64 KiB (the central directory, which holds every
 * entry's CRC), so a replaced export is noticed even when size and mtime happen to agree — for
 * about a millisecond per audit. A directory: a SHA-256 over every JSON file's relative path,
 * size and mtime (one `stat` per file: for very large databases prefer the zip).
 */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { jsonFilesUnder } from './read-source.ts';

export interface SourceStamp {
  readonly kind: 'zip' | 'dir';
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly hash: string;
}

const TAIL_BYTES = 64 * 1024;

async function zipStamp(file: string, size: number, mtimeMs: number): Promise<SourceStamp> {
  const handle = await open(file, 'r');
  try {
    const length = Math.min(size, TAIL_BYTES);
    const tail = Buffer.alloc(length);
    await handle.read(tail, 0, length, size - length);
    return { kind: 'zip', path: file, size, mtimeMs, hash: createHash('sha256').update(tail).digest('hex') };
  } finally {
    await handle.close();
  }
}

async function dirStamp(dir: string, mtimeMs: number): Promise<SourceStamp> {
  const files = await jsonFilesUnder(dir);
  const hash = createHash('sha256');
  let size = 0;
  for (const file of files) {
    const info = await stat(file);
    size += info.size;
    hash.update(`${path.relative(dir, file)}\0${info.size}\0${info.mtimeMs}\n`);
  }
  return { kind: 'dir', path: dir, size, mtimeMs, hash: hash.digest('hex') };
}

/** Throws the file system's error (ENOENT, EACCES) for the caller to phrase. */
export async function stampOf(source: string): Promise<SourceStamp> {
  const info = await stat(source);
  return info.isDirectory() ? dirStamp(source, info.mtimeMs) : zipStamp(source, info.size, info.mtimeMs);
}

export function sameStamp(a: SourceStamp, b: SourceStamp): boolean {
  return a.kind === b.kind && a.path === b.path && a.size === b.size && a.mtimeMs === b.mtimeMs && a.hash === b.hash;
}
