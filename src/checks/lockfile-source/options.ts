/**
 * The lockfile-source check's option schema, in its own module so zod is imported only when a
 * user's configuration sets options (see CheckOptionsSpec).
 */
import { z } from 'zod';

/** `host`, `host:port` or `*.domain`, lower case, no scheme or path. */
const HOST_PATTERN = /^(?:\*\.)?[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/;

export const optionsSchema = z.strictObject({
  allowedHosts: z
    .array(
      z
        .string()
        .transform((host) => host.trim().toLowerCase())
        .refine((host) => HOST_PATTERN.test(host), {
          error: 'expected a host name, "host:port" or "*.domain" (no scheme, no path), e.g. "git.corp.example"',
        }),
    )
    .default([])
    .describe('Hosts packages may be downloaded from besides the configured registries: "host", "host:port" or "*.domain"'),
});

export type LockfileSourceOptions = z.output<typeof optionsSchema>;
