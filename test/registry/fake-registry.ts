/**
 * A real HTTP registry on 127.0.0.1 (port 0), speaking enough of the npm registry protocol for
 * the client tests: packuments by escaped name with Accept negotiation between the full and the
 * abbreviated document, the registry's 404 body and caching headers. Tests swap the handler to
 * script failures (429, 500, slow bodies, bad JSON) and read `requests` to see what was sent.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type ServerOptions as TlsServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query exactly as received, e.g. "/@isaacs%2fstring-locale-compare". */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface FakeRegistry {
  /** "http://127.0.0.1:<port>/" */
  readonly url: string;
  /** "//127.0.0.1:<port>/", the key npm uses for this registry's credentials. */
  readonly nerfDart: string;
  readonly requests: RecordedRequest[];
  /** Requests being handled right now, and the most seen at once. */
  readonly concurrency: { current: number; max: number };
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export interface PackumentPair {
  readonly full: unknown;
  readonly abbreviated: unknown;
}

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/registry');
const ABBREVIATED_TYPE = 'application/vnd.npm.install-v1+json';

export function readPackumentFixture(name: string): PackumentPair {
  const read = (file: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8'));
  return { full: read(`${name}.json`), abbreviated: read(`${name}.abbreviated.json`) };
}

export interface FakeRegistryOptions {
  /** Serve https with this PEM key and certificate (and `requestCert`/`ca` to ask for a client certificate). */
  readonly tls?: Pick<TlsServerOptions, 'key' | 'cert' | 'ca' | 'requestCert' | 'rejectUnauthorized'> | undefined;
}

export async function startFakeRegistry(handler: Handler = () => undefined, options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const concurrency = { current: 0, max: 0 };
  const listener = (incoming: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request = { method: incoming.method ?? 'GET', url: incoming.url ?? '/', headers: incoming.headers, body: Buffer.concat(chunks) };
      requests.push(request);
      concurrency.current += 1;
      concurrency.max = Math.max(concurrency.max, concurrency.current);
      response.on('close', () => {
        concurrency.current -= 1;
      });
      Promise.resolve(current(request, response)).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  };
  const server = options.tls ? createTlsServer(options.tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/`,
    nerfDart: `//127.0.0.1:${port}/`,
    requests,
    concurrency,
    handle(next) {
      current = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Serves packuments the way the public registry does: `GET /<name>` and `/@scope%2fname`,
 * abbreviated when the Accept header asks for install metadata, cacheable for 300 s with an ETag,
 * and `{"error":"Not found"}` with 404 for any other name.
 */
export function servePackuments(packuments: Readonly<Record<string, PackumentPair>>): Handler {
  return (request, response) => {
    const name = decodeURIComponent(request.url.slice(1).split('?')[0] ?? '');
    const pair = packuments[name];
    if (request.method !== 'GET' || !pair) {
      sendJson(response, 404, { error: 'Not found' });
      return;
    }
    const abbreviated = (request.headers.accept ?? '').includes(ABBREVIATED_TYPE);
    const document = abbreviated ? pair.abbreviated : pair.full;
    sendJson(response, 200, document, {
      'content-type': abbreviated ? ABBREVIATED_TYPE : 'application/json',
      'cache-control': 'public, max-age=300',
      etag: `"${name.length}-${abbreviated ? 'a' : 'f'}"`,
      'last-modified': 'Thu, 22 Jun 2023 16:32:37 GMT',
      vary: 'accept-encoding, accept',
    });
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}
