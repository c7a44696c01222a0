/**
 * Keeps the built-in checks consistent with their files, docs and tests (STYLE.md §2.11 item 7,
 * after ESLint's checkRuleFiles). A check is `src/checks/<id>.ts`; a folder `src/checks/<id>/`
 * holds helpers of that one check and needs the check file next to it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInChecks, findCheck } from '../../src/checks/index.ts';
import type { AnyCheck } from '../../src/core/check.ts';
import { SEVERITIES } from '../../src/core/severity.ts';
import { REPO_ROOT } from '../helpers/check-tester.ts';

const CHECKS_DIR = path.join(REPO_ROOT, 'src', 'checks');
const entries = readdirSync(CHECKS_DIR, { withFileTypes: true });
const checkFileIds = entries
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && entry.name !== 'index.ts')
  .map((entry) => entry.name.slice(0, -'.ts'.length))
  .sort();
const helperDirs = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);

/** Each file's default export, so its meta is checked even before it is registered. */
const checkModules = new Map<string, AnyCheck | undefined>();
for (const id of checkFileIds) {
  const module = (await import(path.join(CHECKS_DIR, `${id}.ts`))) as { default?: AnyCheck };
  checkModules.set(id, module.default);
}

function metaOf(id: string): AnyCheck['meta'] {
  const check = checkModules.get(id);
  if (!check) throw new Error(`src/checks/${id}.ts has no default export`);
  return check.meta;
}

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const CHECKS_START = '<!-- checks:start -->';
const CHECKS_END = '<!-- checks:end -->';
const checksSection = readme.slice(readme.indexOf(CHECKS_START), readme.indexOf(CHECKS_END));

/** `{{ key }}` placeholders as the engine's interpolate() reads them. */
const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;
const KEBAB_CASE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

function isOneLineWithoutPeriod(text: string): boolean {
  return text.trim() === text && text.length > 0 && !/[\r\n]/.test(text) && !text.endsWith('.');
}

describe('built-in checks', () => {
  it('are exactly the files in src/checks, sorted by id, with unique ids', () => {
    const ids = builtInChecks.map((check) => check.meta.id);
    expect(ids).toEqual(checkFileIds);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('have a check file for every helper folder', () => {
    for (const dir of helperDirs) expect(checkFileIds, `src/checks/${dir}/ belongs to no check`).toContain(dir);
  });

  it('the README has its checks section', () => {
    expect(readme.indexOf(CHECKS_START)).toBeGreaterThanOrEqual(0);
    expect(readme.indexOf(CHECKS_END)).toBeGreaterThan(readme.indexOf(CHECKS_START));
  });

  describe.each(checkFileIds)('%s', (id) => {
    it('is the default export of its file and registered in src/checks/index.ts under its id', () => {
      expect(checkModules.get(id), `src/checks/${id}.ts has no default export`).toBeDefined();
      expect(findCheck(id), `"${id}" is not in builtInChecks`).toBe(checkModules.get(id));
    });

    it('has meta.id equal to the file name, in kebab-case', () => {
      expect(metaOf(id).id).toBe(id);
      expect(id).toMatch(KEBAB_CASE);
    });

    it('links its README section, which exists', () => {
      expect(metaOf(id).docs).toBe(`https://github.com/pkgguard/pkgguard#${id}`);
      expect(checksSection).toContain(`\n### \`${id}\`\n`);
    });

    it(`has test/checks/${id}.test.ts`, () => {
      expect(existsSync(path.join(REPO_ROOT, 'test', 'checks', `${id}.test.ts`)), `no test/checks/${id}.test.ts`).toBe(true);
    });

    it('describes itself and every rule in one line without a trailing period', () => {
      const meta = metaOf(id);
      expect(isOneLineWithoutPeriod(meta.description), meta.description).toBe(true);
      expect(meta.rationale.trim().length).toBeGreaterThan(0);
      const rules = Object.entries(meta.rules);
      expect(rules.length).toBeGreaterThan(0);
      for (const [key, rule] of rules) {
        expect(key, `rule key of ${id}`).toMatch(KEBAB_CASE);
        expect(isOneLineWithoutPeriod(rule.description), `${id}/${key}: ${rule.description}`).toBe(true);
      }
    });

    it('has severities from the vocabulary and messages that are well-formed templates', () => {
      const meta = metaOf(id);
      expect(SEVERITIES).toContain(meta.defaultSeverity);
      for (const [key, rule] of Object.entries(meta.rules)) {
        if (rule.severity !== undefined) expect(SEVERITIES).toContain(rule.severity);
        // Findings are one line of plain text (Finding.message).
        expect(rule.message.trim().length > 0 && !/[\r\n]/.test(rule.message), `${id}/${key}: ${rule.message}`).toBe(true);
        // Once the real placeholders are removed, no brace may be left: "{name}", "{{ }}" or
        // "{{name}" would print as written.
        const rest = rule.message.replace(PLACEHOLDER, '');
        expect(rest, `${id}/${key}: ${rule.message}`).not.toMatch(/[{}]/);
      }
    });
  });
});
