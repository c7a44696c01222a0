/**
 * tsc rewrites `.ts` import specifiers to `.js` only where it recognises them; a dynamic
 * import it misses still says `.ts` in dist/ and fails at run time, only on the code path that
 * loads it. This guards every built module (the build runs before the tests).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = path.resolve(import.meta.dirname, '../../dist');

function builtModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return builtModules(full);
    return entry.name.endsWith('.js') ? [full] : [];
  });
}

describe('built modules', () => {
  it('import no .ts specifiers', () => {
    const offenders = builtModules(DIST).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const matches = text.match(/(?:\bfrom\s*|\bimport\s*\(\s*)['"][^'"]+\.ts['"]/g) ?? [];
      return matches.map((match) => `${path.relative(DIST, file)}: ${match}`);
    });
    expect(offenders).toEqual([]);
  });
});
