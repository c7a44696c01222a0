import { describe, expect, it } from 'vitest';
import { createRedactor, redact } from '../../src/reporters/redact.ts';

const NPM_TOKEN = `npm_${'a1B2c3D4e5'.repeat(3)}abcdef`;
const GITHUB_TOKEN = `ghp_${'Z9y8X7w6v5'.repeat(4)}`;

describe('redact', () => {
  it.each([
    ['basic auth in a resolved URL', 'https://ci-bot:s3cret@registry.npm.example/a/-/a-1.0.0.tgz', 'https://ci-bot:***@registry.npm.example/a/-/a-1.0.0.tgz'],
    ['a token passed as the user part', `git+https://${GITHUB_TOKEN}@git.example/o/r.git#abc`, 'git+https://***@git.example/o/r.git#abc'],
    ['token= query parameter', 'https://registry.npm.example/a.tgz?token=abc123&x=1', 'https://registry.npm.example/a.tgz?token=***&x=1'],
    ['access_token= parameter, any case', 'https://h.example/a?x=1&ACCESS_TOKEN=zz', 'https://h.example/a?x=1&ACCESS_TOKEN=***'],
    ['auth= parameter', 'https://h.example/a?auth=dXNlcjpwYXNz', 'https://h.example/a?auth=***'],
    ['_authToken= parameter', 'https://h.example/a?_authToken=xyz#frag', 'https://h.example/a?_authToken=***#frag'],
    ['a signed-URL signature', 'https://cdn.example/a.tgz?X-Amz-Signature=f00d&X-Amz-Expires=60', 'https://cdn.example/a.tgz?X-Amz-Signature=***&X-Amz-Expires=60'],
    ['an npmrc auth line quoted in a message', 'bad config //registry.npm.example/:_authToken=abcdef here', 'bad config //registry.npm.example/:_authToken=*** here'],
    ['_auth and _password settings', '_auth=dXNlcg== _password=cGFzcw==', '_auth=*** _password=***'],
    ['a bare npm token', `token ${NPM_TOKEN} leaked`, 'token *** leaked'],
    ['a bare GitHub token', `see ${GITHUB_TOKEN}.`, 'see ***.'],
    ['several URLs in one message', 'http://a:b@x.example/1 and https://c:d@y.example/2?token=t', 'http://a:***@x.example/1 and https://c:***@y.example/2?token=***'],
  ])('masks %s', (_name, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each([
    ['a public registry URL', 'https://registry.npm.example/@scope/a/-/a-1.0.0.tgz'],
    ['the conventional git user', 'git+ssh://git@git.example/o/r.git#v1.0.0'],
    ['an scp-style git remote', 'git@git.example:o/r.git'],
    ['an integrity string', 'sha512-ZOWGRPQj3Rk4mc9K7pNT2VWjE8aXxSh6Y5rz7Ju4fgJGHU5YfUrXzVr7kWH7JMqGz0g2gIHtPbGRmXaR6XaTnw=='],
    ['parameters that only start like secret ones', 'https://h.example/a?tokenizer=x&authors=y'],
    ['a scoped package spec', '@babel/core@7.24.0'],
  ])('keeps %s', (_name, input) => {
    expect(redact(input)).toBe(input);
  });
});

describe('createRedactor', () => {
  const clean = createRedactor('/home/runner/work/shop/services/api');

  it('makes paths inside the project directory relative', () => {
    expect(clean('cannot read /home/runner/work/shop/services/api/.pkgguard-cache/osv.zip')).toBe('cannot read .pkgguard-cache/osv.zip');
  });

  it('replaces the bare project directory with "."', () => {
    expect(clean('no lockfile in /home/runner/work/shop/services/api.')).toBe('no lockfile in ..');
    expect(clean('/home/runner/work/shop/services/api')).toBe('.');
  });

  it('leaves a sibling directory that merely shares the prefix', () => {
    expect(clean('/home/runner/work/shop/services/api-gateway/x')).toBe('/home/runner/work/shop/services/api-gateway/x');
    expect(clean('/home/runner/work/shop/services/api.d/x')).toBe('/home/runner/work/shop/services/api.d/x');
  });

  it('still redacts credentials', () => {
    expect(clean('http://u:p@h.example/x')).toBe('http://u:***@h.example/x');
  });

  it('treats a trailing separator and Windows separators alike', () => {
    expect(createRedactor('C:\\work\\app\\')('read C:\\work\\app\\yarn.lock')).toBe('read yarn.lock');
  });

  it('does nothing path-related for a root project directory', () => {
    expect(createRedactor('/')('/etc/passwd')).toBe('/etc/passwd');
  });
});
