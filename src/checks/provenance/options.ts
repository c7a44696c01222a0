/**
 * The provenance check's option schema, in its own module so zod is imported only when a user's
 * configuration sets options (see CheckOptionsSpec).
 */
import { z } from 'zod';

export const optionsSchema = z.strictObject({
  trustedRoot: z
    .string()
    .min(1)
    .optional()
    .describe(
      'A Sigstore trusted_root.json (relative to the project) to verify against instead of the public-good instance fetched over TUF',
    ),
});

export type ProvenanceOptions = z.output<typeof optionsSchema>;
