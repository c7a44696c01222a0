import { describe, expect, it } from 'vitest';
import { originOf, pathnameOf, serverOf, underAnyRegistry } from '../../src/registry/resolution-url.ts';

/** What the WHATWG parser says, which every answer must equal. */
function parsed(url: string): { protocol: string; host: string; pathname: string } | undefined {
  if (!URL.canParse(url)) return undefined;
  const { protocol, host, pathname } = new URL(url);
  return { protocol, host, pathname };
}

function read(url: string): { protocol: string; host: string; pathname: string } | undefined {
  const server = serverOf(url);
  const pathname = pathnameOf(url);
  return server === undefined || pathname === undefined ? undefined : { protocol: server.protocol, host: server.host, pathname };
}

const TRICKY = [
  'https://registry.npm.example/ms/-/ms-2.1.3.tgz',
  'https://registry.npm.example/ms/-/ms-2.1.3.tgz#6b0a3b1d1e1b2f3a4b5c6d7e8f9a0b1c2d3e4f5a',
  'https://registry.npm.example/@babel/core/-/core-7.0.0.tgz?token=x',
  'https://registry.npm.example/@babel%2fcore/-/core-7.0.0.tgz',
  'HTTPS://Registry.NPM.Example:443/ms/-/ms-2.1.3.tgz',
  'http://registry.npm.example:80/ms/-/ms-2.1.3.tgz',
  'https://registry.npm.example:8443/ms/-/ms-2.1.3.tgz',
  'https://user:secret@registry.npm.example/ms/-/ms-2.1.3.tgz',
  'https://registry.npm.example/a/./b/../c/-/c-1.0.0.tgz',
  'https://registry.npm.example/a/%2e%2E/c/-/c-1.0.0.tgz',
  'https://registry.npm.example/a b/-/x.tgz',
  'https://registry.npm.example/a\tb/-/x.tgz',
  'https://registry.npm.example\\a/-/x.tgz',
  'https://registry.npm.example/a\\b/-/x.tgz',
  'https://registry.npm.example/{x}/-/x.tgz',
  'https://registry.npm.example/ü/-/x.tgz',
  'https://registry.npm.example?x/y',
  'https://registry.npm.example#x/y',
  'https://registry.npm.example',
  'https:///registry.npm.example/x',
  'https:registry.npm.example/x',
  'https://0x7f.1/x',
  'https://[::1]:4873/x/-/x-1.0.0.tgz',
  'https://xn--a/x',
  'https://bad host/x',
  'https://host:99999/x',
  'https://host:/x',
  ' https://registry.npm.example/x ',
  'https://registry.npm.example/x ',
  'git+https://git.example/repo.git',
  'file:../x.tgz',
  'not a url',
  '',
];

describe('resolution-url', () => {
  it.each(TRICKY)('reads %j as the URL parser does', (url) => {
    expect(read(url)).toEqual(parsed(url));
  });

  it('reads random URLs as the URL parser does', () => {
    // Characters that end, reinterpret, strip or encode parts of a URL, around a plain registry URL.
    const alphabet = ['a', 'Z', '0', '.', '-', '/', '\\', '?', '#', '%', '2', 'e', 'E', '@', ':', ' ', '\t', '[', ']', '~', 'é', '..', '/.', '%2e'];
    let seed = 7;
    const random = (limit: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % limit;
    };
    for (let run = 0; run < 3000; run++) {
      let url = ['https://', 'http://', 'HTTP://', 'https:/'][random(4)] ?? '';
      const length = 1 + random(24);
      for (let index = 0; index < length; index++) url += alphabet[random(alphabet.length)] ?? '';
      expect(read(url), url).toEqual(parsed(url));
    }
  });

  it('gives the origin of http(s) URLs only', () => {
    expect(originOf('HTTPS://Registry.NPM.Example:443/ms/-/ms-2.1.3.tgz')).toBe('https://registry.npm.example/');
    expect(originOf('http://127.0.0.1:4873/x')).toBe('http://127.0.0.1:4873/');
    expect(originOf('git+https://git.example/repo.git')).toBeUndefined();
    expect(originOf('not a url')).toBeUndefined();
  });

  it('tells whether a download lies under a registry: protocol, host and path', () => {
    const under = underAnyRegistry(['https://registry.npm.example/', 'https://corp.example/api/npm/npm-remote/']);
    expect(under('https://registry.npm.example/ms/-/ms-2.1.3.tgz')).toBe(true);
    expect(under('https://REGISTRY.npm.example:443/ms/-/ms-2.1.3.tgz')).toBe(true);
    expect(under('http://registry.npm.example/ms/-/ms-2.1.3.tgz')).toBe(false);
    expect(under('https://corp.example/api/npm/npm-remote/ms/-/ms-2.1.3.tgz')).toBe(true);
    expect(under('https://corp.example/api/npm/other/ms/-/ms-2.1.3.tgz')).toBe(false);
    // Dot segments are resolved first, as npm's fetch would.
    expect(under('https://corp.example/api/npm/npm-remote/../other/ms/-/ms-2.1.3.tgz')).toBe(false);
    expect(under('https://corp.example/api/npm/other/../npm-remote/ms/-/ms-2.1.3.tgz')).toBe(true);
    expect(under('not a url')).toBe(false);
    expect(underAnyRegistry(['https://registry.npm.example/'], { anyProtocol: true })('http://registry.npm.example/ms/-/ms-2.1.3.tgz')).toBe(true);
  });
});
