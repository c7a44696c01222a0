/**
 * The registry-integrity check's option schema, in its own module so zod is imported only when a
 * user's configuration sets options (see CheckOptionsSpec).
 */
import { z } from 'zod';

export const optionsSchema = z.strictObject({
  recheckAfterHours: z
    .number()
    .min(0)
    .default(24)
    .describe(
      'Ask the registry again whether a version still exists once its cached record is this old (0: every run). ' +
        'Integrity values never change for a published version; existence can (unpublish, malware takedown).',
    ),
});

export type RegistryIntegrityOptions = z.output<typeof optionsSchema>;
