/**
 * The typosquat check's option schema, in its own module so zod is imported only when a user's
 * configuration sets options (see CheckOptionsSpec).
 */
import { z } from 'zod';
import { parseUserList } from './user-list.ts';

const popularListSchema = z
  .strictObject({ path: z.string(), text: z.string() }, {
    error: 'expected the path of a list file (the configuration loader reads it)',
  })
  .transform((list, context) => {
    const parsed = parseUserList(list.text);
    for (const message of parsed.errors) context.issues.push({ code: 'custom', message: `${list.path}: ${message}`, input: list });
    return { path: list.path, entries: parsed.entries };
  });

export const optionsSchema = z.strictObject({
  allow: z
    .array(z.string().min(1))
    .default([])
    .describe('Names never flagged: exact names, or "@scope/*" for a whole scope (e.g. your private one)'),
  protect: z
    .array(z.string().min(1))
    .default([])
    .describe('Extra names to protect, e.g. your internal packages; look-alikes of them are always flagged'),
  popularList: popularListSchema
    .optional()
    .describe('A file of popular names to use instead of the embedded list: JSON array or "name [downloads]" lines'),
});

export type TyposquatOptions = z.output<typeof optionsSchema>;
