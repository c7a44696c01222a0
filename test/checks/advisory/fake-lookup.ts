/**
 * An injected advisory lookup for the check tests: the advisory layer's real types, answers
 * from a table of advisories written from the public GitHub advisories of the packages in
 * fixtures/projects/advisories, and a record of every request (to count lookups and assert
 * which names were sent).
 */
import { advisoryKey, type Advisory, type AdvisoryLookupRequest, type AdvisoryLookupResult, type AdvisoryMatch } from '../../../src/advisories/index.ts';

function advisory(fields: Partial<Advisory> & Pick<Advisory, 'id' | 'summary' | 'severity'>): Advisory {
  return {
    aliases: [],
    malicious: false,
    modified: '2024-01-01T00:00:00Z',
    references: fields.id.startsWith('GHSA-') ? [`https://github.com/advisories/${fields.id}`] : [],
    cwes: [],
    sources: ['osv'],
    ...fields,
  };
}

const CRITICAL_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

/** GHSA-p6mc-m468-83gw (CVE-2020-8203): lodash >= 3.7.0 < 4.17.19. */
export const LODASH_PROTOTYPE_POLLUTION = advisory({
  id: 'GHSA-p6mc-m468-83gw',
  aliases: ['CVE-2020-8203'],
  summary: 'Prototype Pollution in lodash',
  details: 'Versions of lodash prior to 4.17.19 are vulnerable to Prototype Pollution.\n\nThe function zipObjectDeep allows a malicious user to modify the prototype of Object.',
  severity: 'high',
  cvss: { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H', score: 7.4 },
  cwes: ['CWE-1321', 'CWE-770'],
});

/** GHSA-xvch-5gv4-984h (CVE-2021-44906): minimist < 1.2.6. */
export const MINIMIST_PROTOTYPE_POLLUTION = advisory({
  id: 'GHSA-xvch-5gv4-984h',
  aliases: ['CVE-2021-44906'],
  summary: 'Prototype Pollution in minimist',
  severity: 'critical',
  cvss: { version: '3.1', vector: CRITICAL_VECTOR, score: 9.8 },
  cwes: ['CWE-1321'],
});

/** GHSA-mh6f-8j2x-4483: event-stream 3.3.6 (fixed 4.0.0) and every flatmap-stream. */
export const EVENT_STREAM_MALWARE = advisory({
  id: 'GHSA-mh6f-8j2x-4483',
  summary: 'Critical severity vulnerability that affects event-stream and flatmap-stream',
  severity: 'critical',
  cvss: { version: '3.1', vector: CRITICAL_VECTOR, score: 9.8 },
  cwes: ['CWE-506'],
  malicious: true,
});

/** GHSA-pjwm-rvh2-c87w: the hijacked ua-parser-js 0.7.29 (fixed 0.7.30). */
export const UA_PARSER_MALWARE = advisory({
  id: 'GHSA-pjwm-rvh2-c87w',
  summary: 'Embedded malware in ua-parser-js',
  severity: 'critical',
  cwes: ['CWE-506'],
  malicious: true,
});

/** GHSA-97m3-w2cp-4xx6 (CVE-2022-23812): node-ipc >= 10.1.1 < 10.1.3. */
export const NODE_IPC_MALWARE = advisory({
  id: 'GHSA-97m3-w2cp-4xx6',
  aliases: ['CVE-2022-23812'],
  summary: 'Embedded Malicious Code in node-ipc',
  severity: 'critical',
  cvss: { version: '3.1', vector: CRITICAL_VECTOR, score: 9.8 },
  cwes: ['CWE-506'],
  malicious: true,
});

/** What the fake knows: `name@version` → matches. */
export const KNOWN: ReadonlyMap<string, readonly AdvisoryMatch[]> = new Map([
  ['lodash@4.17.15', [{ advisory: LODASH_PROTOTYPE_POLLUTION, fixedIn: '4.17.19' }]],
  ['minimist@1.2.5', [{ advisory: MINIMIST_PROTOTYPE_POLLUTION, fixedIn: '1.2.6' }]],
  ['event-stream@3.3.6', [{ advisory: EVENT_STREAM_MALWARE, fixedIn: '4.0.0' }]],
  ['flatmap-stream@0.1.1', [{ advisory: EVENT_STREAM_MALWARE }]],
  ['ua-parser-js@0.7.29', [{ advisory: UA_PARSER_MALWARE, fixedIn: '0.7.30' }]],
  ['node-ipc@10.1.1', [{ advisory: NODE_IPC_MALWARE, fixedIn: '10.1.3' }]],
]);

export interface FakeLookup {
  readonly requests: AdvisoryLookupRequest[];
  /** Replaces the answer (e.g. to throw); default: answers from KNOWN. */
  answer: (request: AdvisoryLookupRequest) => Promise<AdvisoryLookupResult>;
}

export function answerFromKnown(request: AdvisoryLookupRequest, notes: readonly string[] = []): Promise<AdvisoryLookupResult> {
  const matches = new Map<string, readonly AdvisoryMatch[]>();
  for (const { name, version } of request.packages) {
    const found = KNOWN.get(advisoryKey(name, version));
    if (found) matches.set(advisoryKey(name, version), found);
  }
  return Promise.resolve({ matches, notes, sources: ['osv'] });
}

export function createFakeLookup(): FakeLookup {
  return { requests: [], answer: (request) => answerFromKnown(request) };
}
