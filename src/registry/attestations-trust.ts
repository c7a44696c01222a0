/**
 * The trust material attestations are verified against: Sigstore's trusted root (Fulcio
 * certificate authorities, Rekor and certificate-transparency log keys).
 *
 * By default it comes from the public-good Sigstore instance through TUF, exactly as `sigstore`
 * (and so `npm audit signatures`) gets it: signed metadata, refreshed against the root embedded
 * in @sigstore/tuf and cached under pkgguard's cache dir (`<cacheDir>/provenance/tuf`), so later
 * runs revalidate cheaply. A user can instead name a `trusted_root.json` file (a private
 * Sigstore instance, an air-gapped CI). Not getting the root is never a finding: it is a
 * SourceUnavailableError (the audit is incomplete, exit 4), and a configured file that cannot be
 * read is a ConfigError (exit 2). @sigstore/tuf is heavy, so this module is imported lazily.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { getTrustedRoot } from '@sigstore/tuf';
import { ConfigError, SourceUnavailableError } from '../core/errors.ts';

export interface TrustedRootOptions {
  /** pkgguard's cache dir; the TUF cache lives below it. */
  readonly cacheDir: string;
  /** A trusted_root.json to use instead of TUF (absolute, or relative to `baseDir`). */
  readonly file?: string | undefined;
  readonly baseDir: string;
  /** TUF repository and its initial root.json (tests point these at a local server). */
  readonly tufMirror?: string | undefined;
  readonly tufRootPath?: string | undefined;
  /** Per TUF request; default 10 s. */
  readonly timeoutMs?: number | undefined;
  /** Retries per TUF request; default 2. */
  readonly retries?: number | undefined;
}

export const TUF_CACHE_SUBDIR = path.join('provenance', 'tuf');

export async function loadTrustedRoot(options: TrustedRootOptions): Promise<TrustedRoot> {
  if (options.file !== undefined) return readTrustedRootFile(path.resolve(options.baseDir, options.file));
  try {
    return await getTrustedRoot({
      cachePath: path.join(options.cacheDir, TUF_CACHE_SUBDIR),
      ...(options.tufMirror === undefined ? {} : { mirrorURL: options.tufMirror }),
      ...(options.tufRootPath === undefined ? {} : { rootPath: options.tufRootPath }),
      timeout: options.timeoutMs ?? 10_000,
      retry: { retries: options.retries ?? 2 },
    });
  } catch (error) {
    throw new SourceUnavailableError(`Sigstore trust root: ${messageOf(error)}`, {
      cause: error,
      hints: [
        'provenance is verified against Sigstore\'s trusted root, fetched over TUF; check the network or proxy',
        'or point the provenance check\'s "trustedRoot" option at a trusted_root.json',
      ],
    });
  }
}

async function readTrustedRootFile(file: string): Promise<TrustedRoot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`provenance: cannot read trustedRoot ${file}: ${messageOf(error)}`);
  }
  try {
    const root = TrustedRoot.fromJSON(JSON.parse(text));
    if (root.certificateAuthorities.length === 0 && root.tlogs.length === 0) throw new Error('it names no certificate authority and no transparency log');
    return root;
  } catch (error) {
    throw new ConfigError(`provenance: ${file} is not a Sigstore trusted root: ${messageOf(error)}`);
  }
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${message}${cause}`;
}
