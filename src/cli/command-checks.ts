// Checks every command goes through after its options are parsed and before its handler runs, so
// a new command or option gets them without asking:
// - an option given twice: the last one wins (as in bcftools); options declared as lists
//   (`array: true`, a variadic positional such as merge-stats' parts) keep every value;
// - a number option that is not a number is a usage error, not a NaN deep inside;
// - the output is checked up front (write/output-guard.ts): a writable directory, a valid name,
//   and none of the files the command reads, even through a link.

import type { Arguments, Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { checkOutput } from '../write/output-guard.js';

/**
 * Options whose values are files a command reads (camel-cased as yargs gives them): the output may
 * be none of them. A new input option is added here once.
 */
export const INPUT_OPTIONS = ['matrix', 'header', 'parts', 'fastaRef', 'fai', 'regionsFile', 'samplesFile'] as const;

/** Runs the checks above on a command's parsed arguments (a yargs middleware). */
export function checkCommand(argv: Arguments, yargs?: Argv): void {
  const lists = new Set<string>((yargs as unknown as { getOptions?: () => { array?: string[] } } | undefined)?.getOptions?.().array ?? []);
  for (const [key, value] of Object.entries(argv)) {
    if (key === '$0' || key === '_') continue;
    // A scalar option given twice comes as a list: its last value wins (aliases get it too).
    if (Array.isArray(value) && !lists.has(key)) argv[key] = value[value.length - 1];
  }
  for (const [key, value] of Object.entries(argv)) {
    if (key === '$0' || key === '_' || key.includes('-')) continue;
    if (typeof value === 'number' && !Number.isFinite(value)) throw new UsageError(`--${dashed(key)}: expected a number`);
  }
  const inputs = INPUT_OPTIONS.flatMap((key) => {
    const value = argv[key];
    if (Array.isArray(value)) return value.map(String);
    return typeof value === 'string' ? [value] : [];
  });
  const output = argv.output;
  if (output !== undefined) checkOutput(String(output), inputs);
}

function dashed(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
