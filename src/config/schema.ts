/**
 * The configuration schema: the single source of truth for `pkgguard.config.json` (or the
 * `"pkgguard"` key of package.json). Types come from it; the shipped JSON Schema is generated
 * from it. Objects are strict: a typo must fail loudly, never be ignored.
 */
import { z } from 'zod';
import { FAIL_ON_VALUES, SEVERITIES } from '../core/severity.ts';

const severitySetting = z.enum([...SEVERITIES, 'off']);

/** ESLint's shape: "high" | "off" | ["high", { ...options }]. */
const checkSetting = z.union([
  severitySetting,
  z.tuple([severitySetting]),
  z.tuple([severitySetting, z.record(z.string(), z.unknown())]),
]);

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'not a real calendar date');

export const ignoreEntrySchema = z
  .strictObject({
    ruleId: z.string().min(1).optional().describe('Rule or check id to ignore, e.g. "integrity/weak" or "integrity"'),
    package: z
      .string()
      .min(1)
      .optional()
      .describe('Package name, or name@version, the ignore applies to'),
    reason: z.string().trim().min(1, 'a reason is required').describe('Why this finding is accepted'),
    expires: isoDate.describe('Last day (UTC) the ignore applies; after it the finding comes back'),
  })
  .refine((entry) => entry.ruleId !== undefined || entry.package !== undefined, {
    message: 'an ignore entry needs "ruleId", "package" or both',
  });

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    failOn: z.enum(FAIL_ON_VALUES as [string, ...string[]]).optional().describe('Lowest severity that fails the audit'),
    checks: z
      .record(z.string(), checkSetting)
      .optional()
      .describe('Per-check severity ("off" disables) and options, as in ESLint'),
    ignore: z.array(ignoreEntrySchema).optional().describe('Accepted findings, each with a reason and an expiry'),
  })
  .describe('pkgguard configuration');

export type Config = z.infer<typeof configSchema>;
export type IgnoreEntry = z.infer<typeof ignoreEntrySchema>;
export type CheckSetting = z.infer<typeof checkSetting>;
