import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Runs the CLI in-process with captured streams; nothing here reaches a command's action. */
async function run(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env,
    cwd: '/nonexistent/project',
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const HELP = `Usage: pkgguard [options] [command]

Audit JavaScript lockfiles for tampering, weak integrity and risky dependencies.

Options:
  -v, --version          output the version number
  -h, --help             display help for command

Commands:
  audit [options] [dir]  audit the lockfile(s) of a project and report findings
  ls [options] [dir]     list the packages pkgguard parsed from the lockfile(s),
                         with their lockfile lines
  db                     manage the offline advisory database (OSV's npm export)
  rules [options]        list the checks and their rules, default severities and
                         documentation
  help [command]         display help for command
`;

const SEE_HELP_HINT = 'see: pkgguard --help, or pkgguard <command> --help';
const SEE_HELP = `  hint: ${SEE_HELP_HINT}\n`;

describe('main', () => {
  describe('version and help', () => {
    it.each([['--version'], ['-v']])('%s prints the version on stdout and exits 0', async (flag) => {
      expect(await run([flag])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    });

    it.each([[['--help']], [['-h']], [['help']]])('%j prints the help on stdout and exits 0', async (argv) => {
      expect(await run(argv)).toEqual({ code: 0, stdout: HELP, stderr: '' });
    });

    it('prints the help on stderr and exits 2 when run without arguments', async () => {
      expect(await run([])).toEqual({ code: 2, stdout: '', stderr: HELP });
    });

    it.each([[['audit', '--help']], [['help', 'audit']]])('%j prints the audit help on stdout', async (argv) => {
      const { code, stdout, stderr } = await run(argv);

      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout.split('\n').slice(0, 3)).toEqual([
        'Usage: pkgguard audit [options] [dir]',
        '',
        'audit the lockfile(s) of a project and report findings',
      ]);
      for (const flag of ['--format <format>', '--output <format=file>', '--fail-on <severity>', '--offline', '--no-color', '--quiet']) {
        expect(stdout).toContain(flag);
      }
    });
  });

  describe('usage errors exit 2 with one pkgguard: line and hints', () => {
    it('an unknown option, with commander’s suggestion as a hint', async () => {
      expect(await run(['audit', '--frmat', 'json'])).toEqual({
        code: 2,
        stdout: '',
        stderr: `pkgguard: unknown option '--frmat'\n  hint: did you mean --format?\n${SEE_HELP}`,
      });
    });

    it('an unknown option that resembles nothing', async () => {
      expect(await run(['--verbose'])).toEqual({ code: 2, stdout: '', stderr: `pkgguard: unknown option '--verbose'\n${SEE_HELP}` });
    });

    it('an unknown command, with and without a suggestion', async () => {
      expect(await run(['audti'])).toEqual({
        code: 2,
        stdout: '',
        stderr: `pkgguard: unknown command 'audti'\n  hint: did you mean audit?\n${SEE_HELP}`,
      });
      expect(await run(['scan'])).toEqual({ code: 2, stdout: '', stderr: `pkgguard: unknown command 'scan'\n${SEE_HELP}` });
    });

    it('an invalid option value, with the parser’s own message', async () => {
      expect(await run(['audit', '--format', 'xml'])).toEqual({
        code: 2,
        stdout: '',
        stderr:
          `pkgguard: option '-f, --format <format>' argument 'xml' is invalid. ` +
          `"xml" is not a format; expected one of text, json, sarif.\n${SEE_HELP}`,
      });
    });

    it('a missing option value', async () => {
      expect(await run(['audit', '--fail-on'])).toEqual({
        code: 2,
        stdout: '',
        stderr: `pkgguard: option '--fail-on <severity>' argument missing\n${SEE_HELP}`,
      });
    });

    it('too many arguments', async () => {
      expect(await run(['audit', 'a', 'b'])).toEqual({
        code: 2,
        stdout: '',
        stderr: `pkgguard: too many arguments for 'audit'. Expected 1 argument but got 2.\n${SEE_HELP}`,
      });
    });

    it('colours the prefix when asked to, and only then', async () => {
      const plain = `pkgguard: unknown command 'scan'\n${SEE_HELP}`;
      const coloured = `\u001b[31m\u001b[1mpkgguard:\u001b[22m\u001b[39m unknown command 'scan'\n  \u001b[2mhint:\u001b[22m see: pkgguard --help, or pkgguard <command> --help\n`;

      expect((await run(['scan', '--color'])).stderr).toBe(coloured);
      expect((await run(['scan'], { FORCE_COLOR: '1' })).stderr).toBe(coloured);
      expect((await run(['scan', '--no-color'], { FORCE_COLOR: '1' })).stderr).toBe(plain);
      expect((await run(['scan'], { FORCE_COLOR: '1', NO_COLOR: '1' })).stderr).toBe(plain);
    });
  });

  describe('with JSON output, usage errors are also a JSON document on stdout', () => {
    const jsonError = (message: string) =>
      `${JSON.stringify({ schemaVersion: 1, error: { code: 'EUSAGE', exitCode: 2, message, hints: [SEE_HELP_HINT] } }, null, 2)}\n`;

    it.each([
      [['audit', '--format', 'json', '--bogus']],
      [['audit', '--format=json', '--bogus']],
      [['audit', '-f', 'json', '--bogus']],
      [['audit', '-fjson', '--bogus']],
      [['ls', '--json', '--bogus']],
    ])('%j', async (argv) => {
      expect(await run(argv)).toEqual({
        code: 2,
        stdout: jsonError("unknown option '--bogus'"),
        stderr: `pkgguard: unknown option '--bogus'\n${SEE_HELP}`,
      });
    });

    it('keeps the suggestion hint in the JSON', async () => {
      const { code, stdout } = await run(['audit', '--format', 'json', '--fail-on', 'hihg']);

      expect(code).toBe(2);
      expect(JSON.parse(stdout)).toEqual({
        schemaVersion: 1,
        error: {
          code: 'EUSAGE',
          exitCode: 2,
          message:
            "option '--fail-on <severity>' argument 'hihg' is invalid. " +
            '"hihg" is not a severity; expected one of info, low, moderate, high, critical, none (did you mean "high"?).',
          hints: [SEE_HELP_HINT],
        },
      });
    });

    it('does not print JSON for text output', async () => {
      expect((await run(['audit', '--format', 'text', '--bogus'])).stdout).toBe('');
    });
  });
});
