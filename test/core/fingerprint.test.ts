import { describe, expect, it } from 'vitest';
import { FINGERPRINT_VERSION, fingerprintOf } from '../../src/core/fingerprint.ts';

const LEFT_PAD = {
  ruleId: 'integrity/weak',
  file: 'package-lock.json',
  packageId: 'node_modules/left-pad',
  name: 'left-pad',
  version: '1.3.0',
};

describe('fingerprintOf', () => {
  // Pinned values: SARIF consumers and ignore baselines store these. If this test fails, the
  // inputs changed, and FINGERPRINT_VERSION must be bumped along with these expectations.
  it('is the pinned v1 value', () => {
    expect(FINGERPRINT_VERSION).toBe('v1');
    expect(fingerprintOf(LEFT_PAD)).toBe('5d2c9facf8259cb35e18f6c60c323c0c');
    expect(fingerprintOf({ ...LEFT_PAD, discriminator: 'GHSA-xxxx' })).toBe('148b2df4253a3a7f6d69b97d905a1caa');
  });

  it('treats a missing discriminator like an empty one', () => {
    expect(fingerprintOf({ ...LEFT_PAD, discriminator: undefined })).toBe(fingerprintOf(LEFT_PAD));
    expect(fingerprintOf({ ...LEFT_PAD, discriminator: '' })).toBe(fingerprintOf(LEFT_PAD));
  });

  it('changes with every input', () => {
    const variants = [
      LEFT_PAD,
      { ...LEFT_PAD, ruleId: 'integrity/missing' },
      { ...LEFT_PAD, file: 'packages/a/package-lock.json' },
      { ...LEFT_PAD, packageId: 'node_modules/a/node_modules/left-pad' },
      { ...LEFT_PAD, name: 'left-pad-2' },
      { ...LEFT_PAD, version: '1.3.1' },
      { ...LEFT_PAD, discriminator: 'GHSA-xxxx' },
    ];

    expect(new Set(variants.map(fingerprintOf)).size).toBe(variants.length);
  });

  it('keeps fields apart, so text moved from one field into the next gives another value', () => {
    expect(fingerprintOf({ ...LEFT_PAD, ruleId: 'integrity/weakpackage-lock.json', file: '' })).not.toBe(fingerprintOf(LEFT_PAD));
    expect(fingerprintOf({ ...LEFT_PAD, packageId: '', file: 'package-lock.jsonnode_modules/left-pad' })).not.toBe(
      fingerprintOf(LEFT_PAD),
    );
  });
});
