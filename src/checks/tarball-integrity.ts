/**
 * @file Downloads the tarball of every registry and remote-tarball package and checks its bytes
 * against the lockfile's integrity; with --offline, checks what npm's cache holds instead. Off by
 * default (`--verify-tarballs`, or `"tarball-integrity": "on"` in the configuration): it downloads
 * everything an install would.
 *
 * Threat: a registry, proxy or mirror that serves other bytes than the metadata and the lockfile
 * claim (registry-integrity compares the lockfile with the metadata; only the bytes show what an
 * install really gets), and a remote tarball URL whose content changed after it was locked. npm
 * would refuse such a tarball at install time; this finds it before, names the URL and both
 * digests, and covers every entry rather than the first one npm trips over.
 *
 * Offline, the meaningful evidence is npm's record of what a URL served: make-fetch-happen keeps
 * each download under the URL it came from, with the content's digest, so a cached download whose
 * digest differs from the lockfile's is a finding. Content merely stored under the lockfile's own
 * digest matches by construction (cacache addresses content by its hash and verifies it on read).
 */
import { defineCheck } from '../core/check.ts';
import { redactUrl } from '../registry/registry-config.ts';
import { type LocalTarget, type RemoteTarget, type SkipReason, targetOf } from './tarball-integrity/targets.ts';
import { matches, verifyAll, type Verdict } from './tarball-integrity/verify.ts';

function countOf(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

const SKIP_NOTES: Readonly<Record<SkipReason, (count: number) => string>> = {
  git: (count) =>
    `${countOf(count, 'git dependency was', 'git dependencies were')} not downloaded: fetching one means building it, which runs its prepare script, and pkgguard never runs package code`,
  'yarn-berry-checksum': (count) =>
    `${countOf(count, 'entry has', 'entries have')} only yarn's own checksum (a hash of yarn's zip archive, not of the tarball): not verified`,
  'no-integrity': (count) => `${countOf(count, 'entry has', 'entries have')} no usable integrity value (the integrity check reports them): not verified`,
  'outside-project': (count) => `${countOf(count, 'local tarball lies', 'local tarballs lie')} outside the project (lockfile-source reports them): not read`,
  'no-url': (count) => `${countOf(count, 'entry has', 'entries have')} no http(s) download address: not verified`,
};

export default defineCheck({
  meta: {
    id: 'tarball-integrity',
    description: "Download each tarball and check its bytes against the lockfile's integrity",
    rationale:
      "The lockfile's integrity pins the bytes an install accepts, and registry-integrity checks it against the " +
      "registry's metadata; neither shows what the registry, a proxy or a mirror actually serves. This check " +
      'downloads every registry and remote tarball through your npm configuration, hashes it as it streams and ' +
      'compares the digest with the lockfile, so other bytes behind the same metadata, a changed remote tarball, ' +
      "or a locked tarball that can no longer be downloaded are found before an install. Off by default; with " +
      "--offline it checks the downloads npm's cache recorded instead.",
    defaultSeverity: 'critical',
    requiresNetwork: true,
    runsOffline: true,
    enabledByDefault: false,
    docs: 'https://github.com/pkgguard/pkgguard#tarball-integrity',
    tags: ['integrity', 'tampering', 'registry'],
    rules: {
      mismatch: {
        description: "A tarball's bytes differ from the lockfile's integrity",
        message:
          "{{name}}@{{version}}: {{url}} serves {{actual}}, but the lockfile's integrity is {{expected}}: the registry, a proxy or a mirror serves other bytes than the lockfile pins, or the entry was changed",
        severity: 'critical',
      },
      unavailable: {
        description: 'A locked tarball cannot be downloaded (404 or 410)',
        message: '{{name}}@{{version}}: {{url}} answers {{status}}: the locked tarball is gone (unpublished or removed), so installs from this lockfile fail',
        severity: 'high',
      },
      'cache-mismatch': {
        description: "npm's cache recorded other bytes for a tarball's URL than the lockfile's integrity",
        message:
          "{{name}}@{{version}}: npm's cache holds a download of {{url}} with {{actual}}, but the lockfile's integrity is {{expected}}: that URL served other bytes than the lockfile pins",
        severity: 'high',
      },
    },
  },
  async run(context) {
    const [config, source] = await Promise.all([context.services.registryConfig(), context.services.tarballs()]);
    const targeting = { config, projectDir: context.services.projectDir, lockfileDir: context.services.lockfileDir };
    const skipped = new Map<SkipReason, number>();
    const remote: RemoteTarget[] = [];
    const local: LocalTarget[] = [];
    let withheld = 0;
    let publicRegistry: ((url: string) => boolean) | undefined;
    for (const node of context.graph.packages) {
      const decision = targetOf(node, targeting);
      if (decision.kind === 'none') continue;
      if (decision.kind === 'skip') {
        skipped.set(decision.reason, (skipped.get(decision.reason) ?? 0) + 1);
        continue;
      }
      const { target } = decision;
      if (target.kind === 'local') {
        local.push(target);
        continue;
      }
      if (!context.offline && (await context.services.privateNameReason(node.name)) !== undefined) {
        // A private name may come from its own registry, never from the public one (reading npm's cache sends nothing).
        if (!publicRegistry) {
          const facts = await context.services.registryFacts();
          publicRegistry = (url) => facts.isPublicRegistry(new URL('/', url).href);
        }
        if (publicRegistry(target.url)) {
          withheld += 1;
          continue;
        }
      }
      remote.push(target);
    }
    for (const [reason, count] of skipped) context.note(SKIP_NOTES[reason](count));
    if (withheld > 0) {
      context.note(`${countOf(withheld, 'package was', 'packages were')} not downloaded: private names are never requested from the public registry`);
    }

    let cachedByDigest = 0;
    let notCached = 0;
    let missingLocal = 0;
    const judge = (verdict: Verdict): void => {
      const { node, expected, algorithm } = verdict.target;
      switch (verdict.kind) {
        case 'served': {
          const url = redactUrl(verdict.target.url);
          if (verdict.result.kind === 'gone') {
            context.report({ node, rule: 'unavailable', data: { url, status: verdict.result.status }, fix: { description: `Move ${node.name} to a version that can be downloaded and review the change` } });
            return;
          }
          if (matches(expected, verdict.result.digest)) return;
          context.report({
            node,
            rule: 'mismatch',
            data: { url, algorithm, expected, actual: verdict.result.digest },
            fix: { description: 'Do not install from this lockfile until you know which side changed: compare with the registry metadata (registry-integrity) and git log -p on the lockfile' },
          });
          return;
        }
        case 'cached': {
          const { result } = verdict;
          if (result.kind === 'not-cached') notCached += 1;
          else if (result.kind === 'by-digest') cachedByDigest += 1;
          else {
            if (matches(expected, result.digest)) return;
            context.report({
              node,
              rule: 'cache-mismatch',
              data: { url: redactUrl(result.url), algorithm, expected, actual: result.digest },
              fix: { description: 'Run pkgguard audit --verify-tarballs online to see what the URL serves now, and find out who changed the lockfile entry (git log -p)' },
            });
          }
          return;
        }
        case 'local': {
          if (verdict.digest === undefined) {
            missingLocal += 1;
            return;
          }
          if (matches(expected, verdict.digest)) return;
          context.report({
            node,
            rule: 'mismatch',
            data: { url: verdict.target.written, algorithm, expected, actual: verdict.digest },
            fix: { description: `Re-add ${verdict.target.written} with your package manager if the file's change is intended, else restore the file` },
          });
          return;
        }
      }
    };
    await verifyAll(context, source, remote, local, judge);

    if (missingLocal > 0) context.note(`${countOf(missingLocal, 'local tarball named by the lockfile does', 'local tarballs named by the lockfile do')} not exist in the project: not verified`);
    if (!context.offline) return;
    const cache = source.npmCache ?? "npm's cache";
    if (remote.length > 0 && notCached === remote.length && local.length === 0) {
      context.skip(`offline, and ${cache} holds none of this lockfile's tarballs (run without --offline to download them)`);
    }
    if (cachedByDigest > 0) {
      context.note(`${countOf(cachedByDigest, 'tarball is', 'tarballs are')} in ${cache} only under the lockfile's own digest: they match by construction, which says nothing about what their URL serves`);
    }
    if (notCached > 0) context.note(`${notCached} of ${remote.length} tarballs are not in ${cache} and were not verified (offline); run without --offline to download them`);
  },
});
