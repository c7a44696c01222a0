/** Writes a real zip (deflated entries, as OSV's exports are; names ending in / are directories) with yazl. */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

export async function writeZip(file: string, entries: Readonly<Record<string, string | Buffer>>): Promise<void> {
  const zip = new ZipFile();
  const mtime = new Date('2024-06-01T00:00:00Z');
  for (const [name, content] of Object.entries(entries)) {
    if (name.endsWith('/')) zip.addEmptyDirectory(name, { mtime });
    else zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name, { mtime });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
}
