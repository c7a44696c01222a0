/**
 * The dependency-confusion check's option schema, in its own module so zod is imported only when
 * a user's configuration sets options (see CheckOptionsSpec).
 */
import { z } from 'zod';

const SCOPE = /^@[a-z0-9][a-z0-9._~-]*$/i;

export const optionsSchema = z.strictObject({
  publicRegistry: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .optional()
    .describe("The public registry asked whether internal names exist; default npm's built-in default registry, never the configured one"),
  checkableScopes: z
    .array(z.string().regex(SCOPE, 'expected a scope such as "@corp"'))
    .default([])
    .describe('Scopes whose names may be looked up on the public registry (names in other scopes never are)'),
  publicPlaceholders: z
    .array(z.string().min(1))
    .default([])
    .describe('Internal names you registered on the public registry yourself: only a public version above the locked one is reported'),
});

export type DependencyConfusionOptions = z.output<typeof optionsSchema>;
