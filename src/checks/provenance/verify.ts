/**
 * Sigstore verification of one attestation bundle, offline: the bundle carries its certificate
 * (or the hint of a registry key), its transparency-log entry and inclusion proof, so nothing is
 * fetched here; the trust material (Fulcio CAs, Rekor and CT log keys) comes in as a trusted root.
 *
 * This is what `sigstore.verify()` does (npm's choice, through pacote), split at its one I/O
 * step: `sigstore` fetches the trusted root itself over TUF, while pkgguard loads it in the
 * registry layer (a cache under pkgguard's cache dir, or a file the user configured) and keeps
 * this module pure. Heavy (≈ 60 ms to load): imported only when a package has attestations.
 */
import { createPublicKey } from 'node:crypto';
import { bundleFromJSON } from '@sigstore/bundle';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { type KeyFinderFunc, toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';

/** An entry of `<registry>/-/npm/v1/keys`, which signs npm's publish attestations. */
export interface AttestationKey {
  readonly keyid: string;
  /** base64 DER SubjectPublicKeyInfo. */
  readonly key: string;
  /** ISO date after which the key no longer signs; null while it is current. */
  readonly expires: string | null;
}

export type VerifyOutcome =
  | { readonly ok: true; readonly signer: string }
  | { readonly ok: false; readonly reason: string };

export interface BundleVerifier {
  verify(bundle: unknown, keys: readonly AttestationKey[]): VerifyOutcome;
}

export function createBundleVerifier(trustedRoot: TrustedRoot): BundleVerifier {
  // Building trust material parses every certificate and key of the root (most of a
  // verification's cost), so it is built once per key list: callers pass stable arrays.
  const verifiers = new WeakMap<readonly AttestationKey[], Verifier>();
  const verifierFor = (keys: readonly AttestationKey[]): Verifier => {
    let verifier = verifiers.get(keys);
    if (!verifier) {
      // The key finder is consulted only for key-signed bundles (npm's publish attestation);
      // expiry is judged at the bundle's verified log time, as npm judges it at publish time.
      verifier = new Verifier(toTrustMaterial(trustedRoot, keyFinder(keys)));
      verifiers.set(keys, verifier);
    }
    return verifier;
  };
  return {
    verify(bundle, keys) {
      try {
        const signer = verifierFor(keys).verify(toSignedEntity(bundleFromJSON(bundle)));
        return { ok: true, signer: signer.identity?.subjectAlternativeName ?? 'registry key' };
      } catch (error) {
        return { ok: false, reason: reasonOf(error) };
      }
    },
  };
}

/** True when the bundle is signed with a key named by hint rather than a certificate. */
export function usesPublicKey(bundle: unknown): boolean {
  const material = (bundle as { verificationMaterial?: { publicKey?: unknown } } | null)?.verificationMaterial;
  return typeof material?.publicKey === 'object' && material.publicKey !== null;
}

function keyFinder(keys: readonly AttestationKey[]): KeyFinderFunc {
  return (hint) => {
    const entry = keys.find((key) => key.keyid === hint);
    if (!entry) throw new Error(`the registry publishes no key ${JSON.stringify(hint)}`);
    const expires = entry.expires === null ? undefined : Date.parse(entry.expires);
    return {
      publicKey: createPublicKey({ key: Buffer.from(entry.key, 'base64'), format: 'der', type: 'spki' }),
      validFor: (date) => expires === undefined || Number.isNaN(expires) || date.getTime() < expires,
    };
  };
}

/** sigstore's errors carry a code (`TLOG_BODY_ERROR`) and a message; both help the reader. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}
