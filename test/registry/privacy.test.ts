import { describe, expect, it } from 'vitest';
import { isPrivateName } from '../../src/registry/privacy.ts';
import type { RegistryConfig } from '../../src/registry/registry-config.ts';

const config: RegistryConfig = {
  source: 'npm',
  defaultRegistry: 'https://registry.npm.example/',
  scopes: { '@corp': 'https://npm.corp.example/', '@mirrored': 'https://registry.npm.example/' },
  fetchOptions: { registry: 'https://registry.npm.example/' },
  files: [],
  warnings: [],
};

describe('isPrivateName', () => {
  const policy = { privateScopes: ['@internal', 'team'], internalPackages: ['billing-core'] };

  it.each([
    ['@corp/ui', true, 'scope mapped to a non-default registry'],
    ['@internal/api', true, 'scope declared private'],
    ['@team/tools', true, 'scope declared private without its @'],
    ['billing-core', true, 'declared internal name'],
    ['@mirrored/x', false, 'scope mapped to the default registry itself'],
    ['@types/node', false, 'public scope'],
    ['left-pad', false, 'public unscoped name'],
    ['billing-core-utils', false, 'only exact internal names'],
  ])('%s → %s (%s)', (name, expected) => {
    expect(isPrivateName(name, config, policy)).toBe(expected);
  });

  it('treats mapped scopes as private even without a pkgguard policy', () => {
    expect(isPrivateName('@corp/ui', config)).toBe(true);
    expect(isPrivateName('@internal/api', config)).toBe(false);
  });
});
