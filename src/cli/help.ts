// How `--help` lays itself out. Examples are commands to paste, so yargs never breaks one across
// lines: each is printed whole, under a `#` comment that says what it does (a comment is harmless
// when pasted into a shell), and the help is at least 80 columns wide, which every example fits
// (test/help.test.ts checks that, and runs every example).

import type { Argv } from 'yargs';

/** One example: what it does, then the commands, run in order in one directory. */
export interface Example {
  /** What the commands do, printed as a `# ...` line above them. */
  readonly what: string;
  /** Commands to paste; `$0` is the program's name. */
  readonly commands: readonly string[];
}

/**
 * Adds examples to a command's help, each as a comment line and its commands, never wrapped.
 * @example withExamples(yargs, [{ what: 'the table', commands: ['$0 stats matrix.tsv.gz'] }])
 */
export function withExamples<T>(yargs: Argv<T>, examples: readonly Example[]): Argv<T> {
  for (const example of examples) {
    yargs.example([`# ${example.what}`, ...example.commands].join('\n'), '');
  }
  return yargs;
}

/** The width yargs lays the help out in: the terminal's, from 80 to 100 columns. */
export function helpWidth(): number {
  return Math.max(80, Math.min(100, process.stdout.columns ?? 100));
}
