// The genomatrix command line: yargs and the commands, imported by main.ts once it knows it needs them.

import { readFileSync } from 'node:fs';
import yargs, { type Arguments, type Argv } from 'yargs';
import { hideBin, Parser } from 'yargs/helpers';
import { ExitCode, GenomatrixError } from '../errors.js';
import { removeTemporaries } from '../write/temporary-files.js';
import { endThreadsWithProcess } from '../dispatch/worker-pool.js';
import { binding } from '../native.js';
import { haplotypeCommand } from './commands/haplotype.js';
import { statsCommand } from './commands/stats.js';
import { vcfCommand } from './commands/vcf.js';
import { infoCommand } from './commands/info.js';
import { packCommand } from './commands/pack.js';
import { mergeStatsCommand } from './commands/merge-stats.js';
import { verifyCommand } from './commands/verify.js';
import { formatCommand } from './commands/format-command.js';
import { formats } from '../formats/registry.js';
import { checkCommand } from './command-checks.js';
import { helpWidth } from './help.js';
import { stopProgressBars } from './progress-bar.js';

const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Whether Node writes something as the process ends: a profile (`--cpu-prof`, `--heap-prof`, `--prof`) or coverage (`NODE_V8_COVERAGE`). */
function nodeWritesAtExit(): boolean {
  if (process.env.NODE_V8_COVERAGE) return true;
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return flags.some((flag) => /^--(cpu-prof|heap-prof|prof)(\b|=|$)/.test(flag));
}

/** Resolves once `stream` has handed every write before it to the system. */
async function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength > 0) await new Promise<void>((resolve) => stream.write('', () => resolve()));
}

function fail(message: string, code: number): never {
  stopProgressBars();
  process.stderr.write(`genomatrix: ${message}\n`);
  removeTemporaries();
  process.exit(code);
}

// Each worker thread pipes its stdout and stderr into the process's: many threads are no leak.
process.stdout.setMaxListeners(0);
process.stderr.setMaxListeners(0);

for (const [signal, code] of [['SIGINT', ExitCode.interrupted], ['SIGTERM', ExitCode.terminated]] as const) {
  process.on(signal, () => {
    // Exiting ends the worker threads with the process; temporaries go first.
    stopProgressBars();
    removeTemporaries();
    process.exit(code);
  });
}

/**
 * yargs renders a command's whole help text right after starting its handler, to keep it for a
 * later `showHelp()` (yargs' lib/command.js). genomatrix never shows help once a command runs, and
 * that rendering was a third of a small run's main-thread time, so the keeping is turned off.
 */
function withoutKeptHelp(parser: Argv): Argv {
  const internal = (parser as unknown as { getInternalMethods?: () => { getUsageInstance: () => { cacheHelpMessage?: () => void } } }).getInternalMethods;
  const usage = internal?.call(parser).getUsageInstance();
  if (usage?.cacheHelpMessage) usage.cacheHelpMessage = () => {};
  return parser;
}

/**
 * Gives back the lone `-`s (standard input) yargs loses: it reads one as an empty string (the
 * matrix), and drops it from a list of positionals (merge-stats' parts). The parts are then read
 * again from the command line, as yargs-parser (which keeps `-` among the positionals) gives them
 * with the command's options, so an option's value (`-o -`) is not taken for a part.
 */
function standardInputArguments(argv: Arguments, parser?: Argv): void {
  const args = hideBin(process.argv);
  if (!args.includes('-')) return;
  if (argv.matrix === '') argv.matrix = '-';
  if (Array.isArray(argv.parts)) {
    const { alias, boolean, string, number, count, configuration } = (parser as unknown as { getOptions: () => Parser.Options } | undefined)?.getOptions() ?? {};
    const positionals = Parser(args, { alias, boolean, string, number, count, configuration: { ...configuration, 'parse-positional-numbers': false } })._;
    argv.parts = positionals.slice(positionals.indexOf(String(argv._[0])) + 1).map(String);
  }
}

// A run that completes ends the process at once (native.ts `exitNow`, when the binding has it):
// its outputs are written and committed, and Node's own exit would take each worker thread's heap
// down page by page first (docs/architecture.md, "The command line's end").
// Not when Node is to write something as the process ends: a CPU or heap profile, V8 coverage.
const exitNow = nodeWritesAtExit() ? undefined : binding?.exitNow;
if (exitNow) endThreadsWithProcess();

try {
  const cli = withoutKeptHelp(yargs(hideBin(process.argv)))
    .scriptName('genomatrix')
    // Before the checks, which then see `-`: standard input is no file an output could overwrite.
    .middleware(standardInputArguments)
    .middleware(checkCommand)
    .usage('$0 <command> [options]\n\nShared-memory columnar engine for genome matrices.')
    .command(haplotypeCommand)
    .command(vcfCommand)
    .command(statsCommand)
    .command(packCommand)
    .command(infoCommand)
    .command(mergeStatsCommand)
    .command(verifyCommand);
  // The output formats of src/formats: one command each, made from its description.
  for (const format of Object.values(formats)) cli.command(formatCommand(format));
  await cli
    .demandCommand(1, `Give a command: haplotype, vcf, stats, pack, info, merge-stats, verify, ${Object.keys(formats).join(', ')}`)
    .strict()
    .version(version)
    .help()
    .alias('h', 'help')
    .wrap(helpWidth())
    .fail((message, error) => {
      // yargs reports its own parse errors (an option's missing value, a check in an option's
      // coerce) as YError; anything else comes from a command's handler.
      if (error && error.name !== 'YError') throw error;
      fail(`${message ?? error?.message} (see genomatrix --help)`, ExitCode.usageError);
    })
    .parseAsync();
  if (exitNow) {
    // Anything standard output or error still holds (a write the system did not take at once) goes first.
    await drained(process.stdout);
    await drained(process.stderr);
    // As process.exit does: the `exit` listeners run (a preload's too), then the process ends.
    const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    process.exitCode = code;
    process.emit('exit', code);
    exitNow(code);
  }
} catch (error) {
  if (error instanceof GenomatrixError) {
    if (error.exitCode === ExitCode.ok) process.exit(0); // closed output pipe
    fail(error.message, error.exitCode);
  }
  // Not a user mistake: still one line (the stack on request), and nothing left behind.
  if (process.env.GENOMATRIX_DEBUG) process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  fail(`internal error: ${error instanceof Error ? error.message : String(error)}${process.env.GENOMATRIX_DEBUG ? '' : ' (GENOMATRIX_DEBUG=1 shows the stack)'}`, ExitCode.dataError);
}
