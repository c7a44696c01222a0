/**
 * pnpm's registry settings that live outside `.npmrc`. pnpm 10 reads a `registries` mapping from
 * `pnpm-workspace.yaml` (`default` and `@scope` keys) and lets it override `.npmrc`; top-level
 * `registry` and `"@scope:registry"` keys in that file are ignored (verified against pnpm
 * 10.34.9: only `registries` changed where it fetched from). Credentials stay in `.npmrc`.
 */
import path from 'node:path';
import { isRecord, readYamlMapping } from './yaml-file.ts';

export const PNPM_WORKSPACE_FILENAME = 'pnpm-workspace.yaml';

export interface PnpmWorkspaceRegistries {
  readonly file: string;
  /** In npm's flat form: `registry` and `@scope:registry`. */
  readonly settings: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
}

/** Registry settings of the nearest pnpm-workspace.yaml at or above `projectDir`, if any. */
export async function readPnpmWorkspaceRegistries(projectDir: string): Promise<PnpmWorkspaceRegistries | undefined> {
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    const file = path.join(dir, PNPM_WORKSPACE_FILENAME);
    const manifest = await readYamlMapping(file);
    if (manifest) return registriesOf(file, manifest);
    if (path.dirname(dir) === dir) return undefined;
  }
}

function registriesOf(file: string, manifest: Readonly<Record<string, unknown>>): PnpmWorkspaceRegistries {
  const settings: Record<string, string> = {};
  const warnings: string[] = [];
  const registries = manifest['registries'];
  if (registries === undefined) return { file, settings, warnings };
  if (!isRecord(registries)) {
    warnings.push(`"registries" in ${file} is not a mapping; it was ignored`);
    return { file, settings, warnings };
  }
  for (const [key, value] of Object.entries(registries)) {
    const flatKey = key === 'default' ? 'registry' : key.startsWith('@') ? `${key}:registry` : undefined;
    if (flatKey === undefined || typeof value !== 'string') {
      warnings.push(`"registries.${key}" in ${file} is not a scope or "default" with a URL; it was ignored`);
    } else if (value.includes('${')) {
      // pnpm ≥ 11.5.3 refuses variables in committed registry URLs: a hostile repository could
      // otherwise send the user's secrets to a host of its choosing. Same rule here, for every version.
      warnings.push(`"registries.${key}" in ${file} uses an environment variable; it was ignored`);
    } else {
      settings[flatKey] = value;
    }
  }
  return { file, settings, warnings };
}
