import { describe, expect, it } from 'vitest';
import {
  isDefaultRegistry,
  isSecretOption,
  nerfDart,
  normalizeRegistryUrl,
  type RegistryConfig,
  redactUrl,
  registryFor,
  scopeOf,
} from '../../src/registry/registry-config.ts';

const config: RegistryConfig = {
  source: 'npm',
  defaultRegistry: 'https://registry.npm.example/',
  scopes: { '@corp': 'https://npm.corp.example/api/npm/' },
  fetchOptions: {},
  files: [],
  warnings: [],
};

describe('registry helpers', () => {
  it('finds the scope of a name', () => {
    expect(['@corp/ui', 'left-pad', '@', '@/x', '@corp'].map(scopeOf)).toEqual(['@corp', undefined, undefined, undefined, undefined]);
  });

  it('picks the scope registry, else the default', () => {
    expect(registryFor(config, '@corp/ui')).toBe('https://npm.corp.example/api/npm/');
    expect(registryFor(config, '@other/ui')).toBe('https://registry.npm.example/');
    expect(registryFor(config, 'left-pad')).toBe('https://registry.npm.example/');
  });

  it('normalizes registry URLs to http(s) with a trailing slash', () => {
    expect(normalizeRegistryUrl('https://npm.corp.example/api/npm')).toBe('https://npm.corp.example/api/npm/');
    expect(normalizeRegistryUrl(' http://127.0.0.1:4873 ')).toBe('http://127.0.0.1:4873/');
    expect(normalizeRegistryUrl('https://x.example/?token=1#frag')).toBe('https://x.example/');
    expect(normalizeRegistryUrl('file:///srv/npm')).toBeUndefined();
    expect(normalizeRegistryUrl('registry.npm.example')).toBeUndefined();
  });

  it('recognizes the default registry however it is written', () => {
    expect(isDefaultRegistry(config, 'https://registry.npm.example')).toBe(true);
    expect(isDefaultRegistry(config, 'https://registry.npm.example/other/')).toBe(false);
    expect(isDefaultRegistry(config, 'http://registry.npm.example/')).toBe(false);
    expect(isDefaultRegistry(config, 'nonsense')).toBe(false);
  });

  it("derives npm's credential key (nerf-dart)", () => {
    expect(nerfDart('https://npm.corp.example/api/npm/')).toBe('//npm.corp.example/api/npm/');
    expect(nerfDart('https://npm.corp.example/api/npm')).toBe('//npm.corp.example/api/');
    expect(nerfDart('http://127.0.0.1:4873/')).toBe('//127.0.0.1:4873/');
    expect(nerfDart('https://user:pw@npm.corp.example/x/?q=1')).toBe('//npm.corp.example/x/');
  });

  it('strips credentials and queries from URLs for messages', () => {
    expect(redactUrl('https://ci:hunter2@npm.corp.example/api/?token=abc')).toBe('https://npm.corp.example/api/');
    expect(redactUrl('not a url with secret')).toBe('<invalid URL>');
  });

  it('knows which options are secrets', () => {
    const keys = ['//h/:_authToken', '//h/:_auth', '//h/:_password', '//h/:username', '//h:8080/:certfile', 'key', 'cert', 'registry', 'ca'];
    expect(keys.filter(isSecretOption)).toEqual(['//h/:_authToken', '//h/:_auth', '//h/:_password', 'key']);
  });
});
