/**
 * What an attestation must say about the package it is attached to. A valid signature only
 * proves that someone with a Fulcio certificate (or the registry's key) signed *some* in-toto
 * statement; the statement's subject is what ties it to this name, version and tarball, so it is
 * compared exactly as npm does (pacote's attestation verification): the package URL by string,
 * the tarball by its sha512 in hex.
 */
import type { Ssri } from '../integrity/sri.ts';

/** DSSE payload type of in-toto statements. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** npm's publish attestation: the registry's own statement that it received this tarball. */
export const NPM_PUBLISH_PREDICATE = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';

/** SLSA provenance, as npm publishes it from CI (`npm publish --provenance`). */
export function isSlsaProvenance(predicateType: string): boolean {
  return predicateType.startsWith('https://slsa.dev/provenance/');
}

/**
 * The package URL npm puts in an attestation's subject: `pkg:npm/<name>@<version>`, with only
 * the leading `@` of a scope percent-encoded (npm-package-arg's `toPurl`), so
 * `@scope/pkg@1.0.0` becomes `pkg:npm/%40scope/pkg@1.0.0`.
 */
export function packageUrl(name: string, version: string): string {
  return `pkg:npm/${name.replace(/^@/, '%40')}@${version}`;
}

/** Hex sha512 of an SRI string, the form in-toto subjects use; undefined without a sha512 token. */
export function sha512Hex(ssri: Ssri, integrity: string | undefined): string | undefined {
  if (integrity === undefined) return undefined;
  const hashes = ssri.parse(integrity, { single: false });
  const digest = hashes['sha512']?.[0]?.digest;
  return digest === undefined ? undefined : Buffer.from(digest, 'base64').toString('hex');
}

export interface StatementSubject {
  readonly name: string;
  readonly sha512?: string | undefined;
}

/** The subjects of a DSSE envelope's in-toto statement, or a reason it is not one. */
export function readStatementSubjects(envelope: unknown): { subjects: StatementSubject[] } | { problem: string } {
  const record = asRecord(envelope);
  if (!record) return { problem: 'the bundle has no DSSE envelope' };
  if (record['payloadType'] !== IN_TOTO_PAYLOAD_TYPE) {
    return { problem: `the envelope's payload type is ${JSON.stringify(record['payloadType'])}, not ${IN_TOTO_PAYLOAD_TYPE}` };
  }
  const payload = record['payload'];
  let statement: unknown;
  try {
    statement = typeof payload === 'string' ? (JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as unknown) : undefined;
  } catch {
    statement = undefined;
  }
  const subjects = asRecord(statement)?.['subject'];
  if (!Array.isArray(subjects)) return { problem: 'the envelope does not hold an in-toto statement with subjects' };
  return {
    subjects: subjects.flatMap((subject: unknown) => {
      const entry = asRecord(subject);
      const name = entry?.['name'];
      if (typeof name !== 'string') return [];
      const sha512 = asRecord(entry?.['digest'])?.['sha512'];
      return [{ name, sha512: typeof sha512 === 'string' ? sha512.toLowerCase() : undefined }];
    }),
  };
}

export type SubjectMismatch =
  | { readonly kind: 'name'; readonly expected: string; readonly actual: string }
  | { readonly kind: 'digest'; readonly expected: string; readonly actual: string };

/**
 * Compares the statement's subjects with the package: one subject must carry the package URL,
 * and, when the tarball's sha512 is known, that subject's sha512 must equal it.
 */
export function compareSubject(subjects: readonly StatementSubject[], purl: string, sha512: string | undefined): SubjectMismatch | undefined {
  const subject = subjects.find((candidate) => candidate.name === purl);
  if (!subject) return { kind: 'name', expected: purl, actual: subjects.map((candidate) => candidate.name).join(', ') || '(none)' };
  if (sha512 !== undefined && subject.sha512 !== sha512) return { kind: 'digest', expected: sha512, actual: subject.sha512 ?? '(none)' };
  return undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
