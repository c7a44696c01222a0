/**
 * Real package tarballs for the tarball tests, and a handler that serves them as a registry does.
 *
 * `packTarball` builds what `npm pack` builds: a gzipped ustar archive whose one entry is
 * `package/package.json` (npm-packed tarballs put every file under `package/`). The bytes are
 * deterministic (fixed mtime, fixed gzip level), so a test can compute their SRI up front.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { Handler, RecordedRequest } from './fake-registry.ts';

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** One ustar header block for a regular file (POSIX.1-1988). */
function ustarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(BLOCK);
  header.write(name, 0, 100, 'utf8');
  header.write(octal(0o644, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  header.write(octal(size, 12), 124, 'ascii');
  // 1985-10-26, the fixed mtime npm pack writes.
  header.write(octal(499162500, 12), 136, 'ascii');
  header.write('        ', 148, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  let checksum = 0;
  for (const byte of header) checksum += byte;
  header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

/** A gzipped tarball with `package/package.json` for `name@version`; `padding` adds bytes (bench sizes). */
export function packTarball(name: string, version: string, padding = 0): Buffer {
  const manifest = Buffer.from(`${JSON.stringify({ name, version, description: 'x'.repeat(padding) }, null, 2)}\n`);
  const body = Buffer.alloc(Math.ceil(manifest.length / BLOCK) * BLOCK);
  manifest.copy(body);
  const archive = Buffer.concat([ustarHeader('package/package.json', manifest.length), body, Buffer.alloc(BLOCK * 2)]);
  return gzipSync(archive, { level: 9 });
}

export function sriOf(data: Buffer, algorithm: 'sha512' | 'sha1' = 'sha512'): string {
  return `${algorithm}-${createHash(algorithm).update(data).digest('base64')}`;
}

/** `/<name>/-/<unscoped name>-<version>.tgz`, where registries publish tarballs. */
export function tarballPath(name: string, version: string): string {
  return `/${name}/-/${name.slice(name.lastIndexOf('/') + 1)}-${version}.tgz`;
}

/**
 * Serves `tarballs` (path → bytes) as a registry does: `application/octet-stream` with a length
 * and immutable caching; anything else is the registry's JSON 404. `delayMs` adds latency.
 */
export function serveTarballs(tarballs: ReadonlyMap<string, Buffer>, options: { readonly delayMs?: number } = {}): Handler {
  return async (request: RecordedRequest, response: ServerResponse) => {
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const data = request.method === 'GET' ? tarballs.get(request.url.split('?')[0] ?? '') : undefined;
    if (!data) {
      const text = JSON.stringify({ error: 'Not found' });
      response.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': data.length,
      'cache-control': 'public, immutable, max-age=31557600',
      etag: `"${createHash('sha1').update(data).digest('hex')}"`,
    });
    response.end(data);
  };
}
