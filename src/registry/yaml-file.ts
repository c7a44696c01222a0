/**
 * Reads the YAML configuration files of yarn Berry and pnpm. The `yaml` package is imported
 * only when such a file exists, so npm-only projects never load it.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, messageOf } from '../core/errors.ts';

/** The file's top-level mapping; undefined when the file does not exist. Throws ConfigError. */
export async function readYamlMapping(file: string): Promise<Readonly<Record<string, unknown>> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read ${file}: ${messageOf(error)}`);
  }
  // `default`: yaml's Node build is CommonJS; see src/lockfiles/yarn-berry.ts.
  const { parse, YAMLParseError } = (await import('yaml')).default;
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0];
      const where = at ? `:${at.line}:${at.col}` : '';
      // The first line of yaml's message names the problem; the rest quotes the file, which may hold a token.
      throw new ConfigError(`${file}${where}: invalid YAML (${error.message.split('\n')[0] ?? error.code})`);
    }
    throw error;
  }
  if (value === null || value === undefined) return {};
  if (!isRecord(value)) throw new ConfigError(`${file}: expected a mapping of settings at the top level`);
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
