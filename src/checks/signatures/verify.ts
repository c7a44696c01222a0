/**
 * Registry signatures as npm defines them (`npm audit signatures`, pacote): each entry of
 * `dist.signatures` is an ECDSA P-256 signature, SHA-256 digest, DER-encoded and base64'd, over
 * the UTF-8 string `${name}@${version}:${integrity}`, where `integrity` is the registry's own
 * `dist.integrity`. The public keys come from `<registry>/-/npm/v1/keys` as base64 DER
 * SubjectPublicKeyInfo, each with the `keyid` signatures refer to and an `expires` date after
 * which it signs nothing more: a signature by a key counts only for versions published before
 * the key expired.
 */
import type { KeyObject } from 'node:crypto';
import { SourceUnavailableError } from '../../core/errors.ts';
import { nodeCrypto } from '../../core/node-crypto.ts';
import type { RegistryKey, VersionFacts } from '../../registry/facts-types.ts';

export interface VerificationKey {
  readonly keyid: string;
  readonly publicKey: KeyObject;
  /** Epoch ms; undefined while the key is current. */
  readonly expiresAt: number | undefined;
  readonly expires: string | null;
  /**
   * What a successful verification is remembered as in the facts cache: the key id and a digest
   * of the key itself, so a registry that reuses a key id for another key gets verified afresh.
   */
  readonly mark: string;
}

/** The registry's keys, parsed once; a key that is not an EC P-256 public key makes the check unable to work. */
export function verificationKeys(keys: readonly RegistryKey[], registryLabel: string): Map<string, VerificationKey> {
  const parsed = new Map<string, VerificationKey>();
  for (const key of keys) {
    let publicKey: KeyObject;
    try {
      publicKey = nodeCrypto().createPublicKey({ key: Buffer.from(key.key, 'base64'), format: 'der', type: 'spki' });
    } catch {
      throw new SourceUnavailableError(`${registryLabel}: signing key ${key.keyid} is not a valid public key`);
    }
    if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new SourceUnavailableError(`${registryLabel}: signing key ${key.keyid} is not an ECDSA P-256 key`);
    }
    parsed.set(key.keyid, {
      keyid: key.keyid,
      publicKey,
      expiresAt: key.expires === null ? undefined : Date.parse(key.expires),
      expires: key.expires,
      mark: `signature ${key.keyid} ${nodeCrypto().createHash('sha256').update(key.key).digest('base64').slice(0, 16)}`,
    });
  }
  return parsed;
}

/**
 * The integrity value the registry signed: `dist.integrity`, or for versions that only have a
 * shasum, the sha1 SRI npm derives from it.
 */
export function signedIntegrity(facts: VersionFacts): string | undefined {
  if (facts.integrity !== undefined) return facts.integrity;
  if (facts.shasum !== undefined && /^[0-9a-f]{40}$/i.test(facts.shasum)) return `sha1-${Buffer.from(facts.shasum, 'hex').toString('base64')}`;
  return undefined;
}

export function signatureMessage(name: string, version: string, integrity: string): string {
  return `${name}@${version}:${integrity}`;
}

/** How the successful verification of `sig` by `key` is remembered in the facts cache. */
export function verifiedMark(key: VerificationKey, sig: string): string {
  return `${key.mark} ${nodeCrypto().createHash('sha256').update(sig).digest('base64').slice(0, 16)}`;
}

/**
 * True when `sig` (base64 DER) is a valid signature of `message` by `key`. Verified on libuv's
 * thread pool: a cold run verifies thousands of signatures while the main thread handles responses.
 */
export function isValidSignature(key: VerificationKey, message: string, sig: string): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      nodeCrypto().verify('sha256', Buffer.from(message, 'utf8'), key.publicKey, Buffer.from(sig, 'base64'), (error, valid) => resolve(error === null && valid));
    } catch {
      // A signature that is not even DER is simply not valid.
      resolve(false);
    }
  });
}
