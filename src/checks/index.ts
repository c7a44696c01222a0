/**
 * The built-in checks, sorted by id. test/meta/consistency.test.ts keeps this list, the file
 * names, `meta.id`, the README sections and the test files in agreement.
 */
import type { AnyCheck } from '../core/check.ts';
import advisory from './advisory.ts';
import dependencyConfusion from './dependency-confusion.ts';
import integrity from './integrity.ts';
import lockfileSource from './lockfile-source.ts';
import malicious from './malicious.ts';
import provenance from './provenance.ts';
import registryIntegrity from './registry-integrity.ts';
import signatures from './signatures.ts';
import tarballIntegrity from './tarball-integrity.ts';
import typosquat from './typosquat.ts';

/**
 * A plain array rather than a frozen one: the end-to-end tests preload extra checks into it to
 * exercise crash and source-unavailable paths of the built CLI.
 */
export const builtInChecks: readonly AnyCheck[] = [advisory, dependencyConfusion, integrity, lockfileSource, malicious, provenance, registryIntegrity, signatures, tarballIntegrity, typosquat];

export function findCheck(id: string): AnyCheck | undefined {
  return builtInChecks.find((check) => check.meta.id === id);
}
