/**
 * The configuration schema: the single source of truth for `pkgguard.config.json` (or the
 * `"pkgguard"` key of package.json). Types come from it; the shipped JSON Schema is generated
 * from it. Objects are strict: a typo must fail loudly, never be ignored.
 */
import { z } from 'zod';
import { didYouMean } from '../core/did-you-mean.ts';
import { FAIL_ON_VALUES, SEVERITIES } from '../core/severity.ts';

/** "on" enables a check with each rule's own default severity (e.g. to pass options only). */
const SEVERITY_SETTINGS = [...SEVERITIES, 'on', 'off'] as const;
const severitySetting = z.enum(SEVERITY_SETTINGS);

/** ESLint's shape: "high" | "off" | ["high", { ...options }]. */
const checkSetting = z.union(
  [severitySetting, z.tuple([severitySetting]), z.tuple([severitySetting, z.record(z.string(), z.unknown())])],
  // zod's own union message is a bare "Invalid input": say what is allowed and what was given.
  { error: (issue) => checkSettingMessage(issue.input) },
);

function checkSettingMessage(input: unknown): string {
  const given = JSON.stringify(input) ?? String(input);
  const suggestion = typeof input === 'string' ? didYouMean(input, SEVERITY_SETTINGS) : undefined;
  return (
    `expected one of ${SEVERITY_SETTINGS.join('|')}, or ["<severity>|on", { ...options }], got ` +
    `${given.length > 60 ? `${given.slice(0, 59)}…` : given}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`
  );
}

/** Message for a missing key; other type errors keep zod's "expected string, received …". */
const required = (message: string) => (issue: { input: unknown }) => (issue.input === undefined ? message : undefined);

const isoDate = z
  .string({ error: required('an expiry date (YYYY-MM-DD) is required') })
  // abort: a date in another format gets one message, not a second "not a real calendar date".
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date as YYYY-MM-DD', abort: true })
  // Date.parse rolls "2026-02-30" over into March, so the date must survive a round trip.
  .refine((value) => isoDayOf(Date.parse(`${value}T00:00:00Z`)) === value, 'not a real calendar date');

function isoDayOf(time: number): string | undefined {
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().slice(0, 10);
}

export const ignoreEntrySchema = z
  .strictObject({
    ruleId: z.string().min(1).optional().describe('Rule or check id to ignore, e.g. "integrity/weak" or "integrity"'),
    package: z
      .string()
      .min(1)
      .optional()
      .describe('Package name, or name@version, the ignore applies to'),
    reason: z.string({ error: required('a reason is required') }).trim().min(1, 'a reason is required').describe('Why this finding is accepted'),
    expires: isoDate.describe('Last day (UTC) the ignore applies; after it the finding comes back'),
  })
  .refine((entry) => entry.ruleId !== undefined || entry.package !== undefined, {
    message: 'an ignore entry needs "ruleId", "package" or both',
  });

const httpUrl = z.string().regex(/^https?:\/\/[^\s/?#]+[^\s]*$/i, 'expected an http(s) URL');

/** Sources of known advisories (src/advisories); validated here, read as `services.settings.advisories`. */
export const advisoriesSchema = z.strictObject({
  sources: z
    .array(z.enum(['osv', 'npm', 'db']))
    .min(1, 'list at least one source: "osv", "npm" or "db"')
    .optional()
    .describe('Advisory sources, all asked and merged: "osv" (OSV API), "npm" (bulk advisory endpoint of your registry), "db" (offline database). Default ["osv"]; a failing network source falls back to the offline database when there is one'),
  osvUrl: httpUrl.optional().describe('Base URL of an OSV-compatible API (default: OSV\'s public API)'),
  db: z
    .string()
    .min(1)
    .optional()
    .describe('Offline OSV database: a directory of OSV JSON files or OSV\'s npm all.zip, relative to the project (default: the one `pkgguard db update` downloads)'),
  maxDbAgeDays: z.number().int().positive().optional().describe('Say so in the report when the offline database\'s newest record is older than this many days (default 7)'),
  cacheMinutes: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('Reuse OSV\'s answer for a name@version for this many minutes without asking again (default 60; 0 asks every time)'),
});

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors'),
    failOn: z.enum(FAIL_ON_VALUES as [string, ...string[]]).optional().describe('Lowest severity that fails the audit'),
    checks: z
      .record(z.string(), checkSetting)
      .optional()
      .describe('Per-check severity ("off" disables) and options, as in ESLint'),
    ignore: z.array(ignoreEntrySchema).optional().describe('Accepted findings, each with a reason and an expiry'),
    privateScopes: z
      .array(z.string().regex(/^@?[a-z0-9][a-z0-9._~-]*$/i, 'expected a scope such as "@corp"'))
      .optional()
      .describe('Scopes of internal packages: never sent to public services, checked for dependency confusion'),
    internalPackages: z
      .array(z.string().regex(/^[a-z0-9._~-][a-z0-9._~-]*$/i, 'expected an unscoped package name'))
      .optional()
      .describe('Unscoped internal package names: never sent to public services, checked for dependency confusion'),
    advisories: advisoriesSchema.optional().describe('Where the advisory and malicious checks get known advisories'),
  })
  .describe('pkgguard configuration');

export type Config = z.infer<typeof configSchema>;
export type IgnoreEntry = z.infer<typeof ignoreEntrySchema>;
export type CheckSetting = z.infer<typeof checkSetting>;
