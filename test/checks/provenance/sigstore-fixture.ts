/**
 * A private Sigstore instance for the provenance tests: a Fulcio certificate authority, a Rekor
 * transparency log and a CT log from @sigstore/mock, served over HTTP on 127.0.0.1 (port 0), and
 * signed with @sigstore/sign's own bundle builder, so bundles are made exactly as `npm publish
 * --provenance` makes them (DSSE envelope, Fulcio certificate, Rekor entry with inclusion proof
 * and signed entry timestamp). `trustedRoot` is the trusted_root.json that trusts this instance
 * and nothing else, which keeps the tests off the public Sigstore TUF repository.
 */
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { bundleToJSON } from '@sigstore/bundle';
import { fulcioHandler, initializeCA, initializeCTLog, initializeTLog, rekorHandler, type HandlerFn } from '@sigstore/mock';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, type Signer } from '@sigstore/sign';
import { type FakeRegistry, sendJson, startFakeRegistry } from '../../registry/fake-registry.ts';

export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const NPM_PUBLISH_V01 = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';

export interface KeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

export interface MockSigstore {
  /** trusted_root.json content that trusts exactly this instance's CA and logs. */
  readonly trustedRoot: Record<string, unknown>;
  /** A bundle signed through Fulcio (keyless, as GitHub Actions' OIDC token gets it) and logged in Rekor. */
  attest(statement: object): Promise<Record<string, unknown>>;
  /** A bundle signed with `key` named by `keyid` (npm's publish attestation) and logged in Rekor. */
  attestWithKey(statement: object, key: KeyPair, keyid: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export function p256(): KeyPair {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/** The in-toto statement npm publishes: one subject, the package URL and the tarball's sha512 (hex). */
export function statementFor(purl: string, sha512Hex: string, predicateType = SLSA_PROVENANCE_V1): object {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: purl, digest: { sha512: sha512Hex } }],
    predicateType,
    predicate: predicateType === SLSA_PROVENANCE_V1 ? { buildDefinition: { buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1' } } : { registry: 'registry.npm.example' },
  };
}

/** An unsigned OIDC token with GitHub Actions' claims; the mock Fulcio reads claims without checking signatures. */
function githubActionsToken(): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    iss: 'https://token.actions.githubusercontent.com',
    sub: 'repo:acme/widgets:ref:refs/heads/main',
    aud: 'sigstore',
    repository: 'acme/widgets',
  };
  return `${part({ alg: 'none' })}.${part(claims)}.`;
}

const der = (key: KeyObject): Buffer => key.export({ format: 'der', type: 'spki' });
const VALID_FROM = '2020-01-01T00:00:00Z';

function logEntry(url: string, key: KeyObject, logId: Buffer): Record<string, unknown> {
  return {
    baseUrl: url,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: der(key).toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: VALID_FROM } },
    logId: { keyId: logId.toString('base64') },
  };
}

export async function startMockSigstore(): Promise<MockSigstore> {
  const caKey = p256();
  const ctKey = p256();
  const tlogKey = p256();
  const server: FakeRegistry = await startFakeRegistry();
  const baseUrl = server.url.replace(/\/$/, '');
  const ctLog = await initializeCTLog(ctKey);
  const ca = await initializeCA(caKey, ctLog);
  const tlog = await initializeTLog(baseUrl, tlogKey);
  const routes = new Map<string, HandlerFn>();
  for (const handler of [fulcioHandler(ca), rekorHandler(tlog)]) routes.set(handler.path, handler.fn);
  server.handle(async (request, response) => {
    const route = routes.get(request.url);
    if (!route) {
      sendJson(response, 404, { message: 'not found' });
      return;
    }
    const result = await route(request.body.toString('utf8'));
    response.writeHead(result.statusCode, { 'content-type': result.contentType ?? 'text/plain' });
    response.end(result.response);
  });

  // npm's provenance bundles are logged as in-toto entries (libnpmpublish's legacy compatibility).
  const witnesses = [new RekorWitness({ rekorBaseURL: baseUrl, entryType: 'intoto' })];
  const build = async (signer: Signer, statement: object): Promise<Record<string, unknown>> => {
    const builder = new DSSEBundleBuilder({ signer, witnesses });
    const bundle = await builder.create({ data: Buffer.from(JSON.stringify(statement)), type: 'application/vnd.in-toto+json' });
    return bundleToJSON(bundle);
  };
  const fulcio = new FulcioSigner({ fulcioBaseURL: baseUrl, identityProvider: { getToken: () => Promise.resolve(githubActionsToken()) } });

  return {
    trustedRoot: {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [logEntry(baseUrl, tlogKey.publicKey, createHash('sha256').update(der(tlogKey.publicKey)).digest())],
      certificateAuthorities: [
        {
          subject: { organization: 'pkgguard tests', commonName: 'mock fulcio' },
          uri: baseUrl,
          certChain: { certificates: [{ rawBytes: Buffer.from(ca.rootCertificate.buffer, ca.rootCertificate.byteOffset, ca.rootCertificate.byteLength).toString('base64') }] },
          validFor: { start: VALID_FROM },
        },
      ],
      ctlogs: [logEntry(baseUrl, ctKey.publicKey, Buffer.from(ctLog.logID.buffer, ctLog.logID.byteOffset, ctLog.logID.byteLength))],
      timestampAuthorities: [],
    },
    attest: (statement) => build(fulcio, statement),
    attestWithKey(statement, key, keyid) {
      const signer: Signer = {
        sign: (data) =>
          Promise.resolve({
            signature: sign('sha256', data, key.privateKey),
            key: { $case: 'publicKey', publicKey: key.publicKey.export({ format: 'pem', type: 'spki' }).toString(), hint: keyid },
          }),
      };
      return build(signer, statement);
    },
    close: () => server.close(),
  };
}
