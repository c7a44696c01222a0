/**
 * The command line: commander program, one module per command, and the single place where
 * errors and results become an exit code. `bin/pkgguard.js` assigns the returned code once.
 * Commands load the library lazily so `--help` and `--version` stay fast.
 */
import { Command, CommanderError } from 'commander';
import { ExitCode, UsageError } from '../core/errors.ts';
import { toolVersion } from '../project-info.ts';
import { shouldColor } from './color.ts';
import { type CliIO, processIO } from './io.ts';
import { collectList, collectOutput, parseFailOn, parseFormat, parseRegistryUrl } from './options.ts';
import { printError, toPkgguardError } from './print-error.ts';

/** Global flags every command understands, read before commander runs (errors need them early). */
interface EarlyFlags {
  readonly json: boolean;
  readonly debug: boolean;
  readonly color: boolean | undefined;
}

export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const early = scanEarlyFlags(argv);
  let outcome: Promise<number> | undefined;
  const program = buildProgram(io, (run) => {
    outcome = run();
  });
  try {
    if (argv.length === 0) {
      io.stderr.write(program.helpInformation());
      return ExitCode.Usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return outcome ? await outcome : ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error, io, early);
    const failure = toPkgguardError(error);
    printError(failure, io, { json: early.json, debug: early.debug, color: shouldColor(early.color, io.stderr, io.env) });
    return failure.exitCode;
  }
}

function commanderExit(error: CommanderError, io: CliIO, early: EarlyFlags): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
    return ExitCode.Ok;
  }
  // commander puts its suggestion on a second line, "(Did you mean --format?)": make it a hint so
  // the error stays one `pkgguard:` line.
  const [message = '', ...suggestions] = error.message.replace(/^error: /, '').split('\n');
  const hints = suggestions.map((line) => line.trim().replace(/^\(Did you mean (.*)\)$/, 'did you mean $1'));
  const usage = new UsageError(message, { hints: [...hints, 'see: pkgguard --help, or pkgguard <command> --help'] });
  printError(usage, io, { json: early.json, debug: false, color: shouldColor(early.color, io.stderr, io.env) });
  return usage.exitCode;
}

function scanEarlyFlags(argv: readonly string[]): EarlyFlags {
  let json = false;
  let color: boolean | undefined;
  argv.forEach((arg, i) => {
    if (arg === '--json' || arg === '--format=json' || arg === '-fjson') json = true;
    if ((arg === '--format' || arg === '-f') && argv[i + 1] === 'json') json = true;
    if (arg === '--color') color = true;
    if (arg === '--no-color') color = false;
  });
  return { json, debug: argv.includes('--debug'), color };
}

type Schedule = (run: () => Promise<number>) => void;

function buildProgram(io: CliIO, schedule: Schedule): Command {
  const program = new Command('pkgguard')
    .description('Audit JavaScript lockfiles for tampering, weak integrity and risky dependencies.')
    .version(toolVersion(), '-v, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Errors are printed by main() in pkgguard's own format.
      outputError: () => {},
    })
    .showSuggestionAfterError(true);

  program
    .command('audit')
    .description('audit the lockfile(s) of a project and report findings')
    .argument('[dir]', 'project directory', '.')
    .option('-f, --format <format>', 'report on stdout: text, json or sarif', parseFormat, 'text')
    .option('-o, --output <format=file>', 'also write a report to a file (repeatable), e.g. sarif=pkgguard.sarif', collectOutput, [])
    .option('--fail-on <severity>', 'exit 1 on findings at or above: info, low, moderate, high, critical, or none (default: config, else "low")', parseFailOn)
    .option('--offline', 'use no network: checks that need it use local data (cache, offline database) or are skipped and listed as such')
    .option('-c, --config <file>', 'configuration file (default: pkgguard.config.json, or "pkgguard" in package.json)')
    .option('--registry <url>', 'default registry for network checks (default: from your npm/yarn/pnpm configuration)', parseRegistryUrl)
    .option('--advisory-db <dir|zip>', 'offline OSV advisory database: a directory of OSV JSON files or OSV\'s npm all.zip (see: pkgguard db)')
    .option('--checks <ids>', 'run only these checks (comma-separated)', collectList)
    .option('--skip <ids>', 'do not run these checks (comma-separated)', collectList)
    .option('--verify-tarballs', 'download every tarball and check its bytes against the lockfile\'s integrity (check tarball-integrity); with --offline, check what npm\'s cache holds')
    .option('--lockfile <file>', 'audit this lockfile instead of detecting one')
    .option('-r, --recursive', 'also audit lockfiles in subdirectories (monorepos); skips node_modules and .gitignore\'d paths')
    .option('--production', 'ignore packages only needed for development')
    .option('--baseline <file>', 'report only findings that are not in this earlier JSON report (pkgguard audit --format json)')
    .option('--color', 'force colour')
    .option('--no-color', 'disable colour (also: NO_COLOR=1)')
    .option('-q, --quiet', 'print nothing when the audit passes; no notices on stderr')
    .option('--debug', 'show stack traces and diagnostics on stderr')
    .action((dir: string, options: Record<string, unknown>) => {
      schedule(async () => (await import('./commands/audit.ts')).runAudit(dir, options, io));
    });

  program
    .command('ls')
    .description('list the packages pkgguard parsed from the lockfile(s), with their lockfile lines')
    .argument('[dir]', 'project directory', '.')
    .option('--json', 'print the inventory as JSON')
    .option('--lockfile <file>', 'read this lockfile instead of detecting one')
    .option('-r, --recursive', 'also read lockfiles in subdirectories (monorepos)')
    .option('--production', 'leave out packages only needed for development')
    .option('--debug', 'show stack traces on stderr')
    .action((dir: string, options: Record<string, unknown>) => {
      schedule(async () => (await import('./commands/ls.ts')).runLs(dir, options, io));
    });

  const db = program.command('db').description('manage the offline advisory database (OSV\'s npm export)');
  db.command('update')
    .description('download OSV\'s npm advisory export into the cache (only when it changed) and index it')
    .option('--url <url>', 'download from this URL instead of OSV\'s export', parseRegistryUrl)
    .option('--json', 'print the result as JSON')
    .option('--debug', 'show stack traces on stderr')
    .action((options: Record<string, unknown>) => {
      schedule(async () => (await import('./commands/db.ts')).runDbUpdate(options, io));
    });
  db.command('status')
    .description('show the offline advisory database: path, age, record count')
    .option('--advisory-db <dir|zip>', 'a database other than the downloaded one')
    .option('--json', 'print the status as JSON')
    .option('--debug', 'show stack traces on stderr')
    .action((options: Record<string, unknown>) => {
      schedule(async () => (await import('./commands/db.ts')).runDbStatus(options, io));
    });

  program
    .command('rules')
    .description('list the checks and their rules, default severities and documentation')
    .option('--json', 'print as JSON')
    .action((options: Record<string, unknown>) => {
      schedule(async () => (await import('./commands/rules.ts')).runRules(options, io));
    });

  return program;
}
