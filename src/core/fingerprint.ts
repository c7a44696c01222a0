import { nodeCrypto } from './node-crypto.ts';

/**
 * Stable identity of a finding across runs: SARIF `partialFingerprints`, baselines and ignores.
 *
 * Inputs: the rule (what), the lockfile path (where, at file level), the package instance
 * (id + name@version) and an optional discriminator (e.g. an advisory id when one package has
 * several findings of one rule). Line and column are deliberately excluded: editing an unrelated
 * part of the lockfile must not turn an old finding into a "new" alert.
 *
 * Changing the inputs changes every fingerprint: bump FINGERPRINT_VERSION when you do.
 */
export const FINGERPRINT_VERSION = 'v1';

export function fingerprintOf(parts: {
  ruleId: string;
  file: string;
  packageId: string;
  name: string;
  version: string;
  discriminator?: string | undefined;
}): string {
  const input = [
    FINGERPRINT_VERSION,
    parts.ruleId,
    parts.file,
    parts.packageId,
    `${parts.name}@${parts.version}`,
    parts.discriminator ?? '',
  ].join('\0');
  return nodeCrypto().createHash('sha256').update(input).digest('hex').slice(0, 32);
}
