// How every command opens its input: the shared input options, warnings as one-line notes on
// stderr, a progress bar for the load, and the choice of the low-memory mode.

import { tooLargeForMemory } from '../convert/memory-budget.js';
import { openMatrix, type Matrix } from '../matrix.js';
import { UsageError } from '../errors.js';
import type { ProgressOptions } from '../convert/conversion-progress.js';
import type { LowMemoryOptions } from '../convert/low-memory.js';
import { detectInput } from '../read/input-format.js';
import { STDIN } from '../read/open-matrix-input.js';
import { selectionOption, type InputArgs } from './input-options.js';
import { note, warn } from './messages.js';
import { ProgressBar, progressWanted } from './progress-bar.js';

/** Where a conversion's progress goes: the progress bar's conversion phase. */
export type ConvertProgress = NonNullable<ProgressOptions['onProgress']>;

/**
 * Opens the command's matrix, runs `body` on it with a progress callback for its conversion (the
 * bar's second phase, named `phase`), and closes it (and the progress bar) whatever happens.
 */
export async function withInput<T>(argv: InputArgs, body: (matrix: Matrix, onProgress: ConvertProgress) => Promise<T>, phase = 'convert'): Promise<T> {
  const bar = new ProgressBar(progressWanted(argv));
  try {
    const matrix = await openMatrix(argv.matrix, {
      header: argv.header,
      threads: argv.threads,
      allowUnsorted: argv.allowUnsorted,
      ...selectionOption(argv),
      onWarning: warn,
      onProgress: (_done, _total, progress) => bar.load(progress),
    });
    bar.stop();
    try {
      return await body(matrix, (_done, _total, progress) => bar.convert(progress, phase));
    } finally {
      await matrix.close();
    }
  } finally {
    bar.stop();
  }
}

/** `--low-memory` as given, or chosen (and said) when the input is large for the free memory; always for standard input. */
function lowMemoryWanted(argv: InputArgs & { lowMemory?: boolean }): boolean {
  if (argv.matrix === STDIN) {
    if (argv.lowMemory === false) throw new UsageError('standard input (-) is read in one pass, contig by contig: it cannot be read with --no-low-memory');
    return true;
  }
  if (argv.lowMemory !== undefined) return argv.lowMemory;
  const tooLarge = tooLargeForMemory(detectInput(argv.matrix));
  if (!tooLarge) return false;
  const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(1)} GB`;
  if (!argv.quiet) note(`${argv.matrix} needs about ${gb(tooLarge.needed)} in memory, more than half of the ${gb(tooLarge.free)} available: streaming contig by contig (--low-memory; --no-low-memory to refuse)`);
  return true;
}

/** The arguments of a command that runs in memory or streamed. */
export interface LowMemoryArgs extends InputArgs {
  lowMemory?: boolean;
}

/**
 * Runs a command in memory (`memory`, over the loaded matrix, with its conversion's progress) or
 * streamed contig by contig (`streamed`, given the low-memory options), as `lowMemoryWanted`
 * decides, with the progress bar; `phase` names the conversion on the bar.
 */
export async function runInput(
  argv: LowMemoryArgs,
  phase: string,
  run: { memory: (matrix: Matrix, onProgress: ConvertProgress) => Promise<unknown>; streamed: (options: LowMemoryOptions) => Promise<unknown> },
): Promise<void> {
  if (lowMemoryWanted(argv)) await runStreamed(argv, run.streamed);
  else await withInput(argv, run.memory, phase);
}

/** Runs a command streamed contig by contig, given the low-memory options, with the progress bar. */
async function runStreamed(argv: LowMemoryArgs, streamed: (options: LowMemoryOptions) => Promise<unknown>): Promise<void> {
  const bar = new ProgressBar(progressWanted(argv));
  try {
    await streamed({
      ...(argv.header === undefined ? {} : { header: argv.header }),
      ...(argv.threads === undefined ? {} : { threads: argv.threads }),
      ...(argv.allowUnsorted === undefined ? {} : { allowUnsorted: argv.allowUnsorted }),
      ...selectionOption(argv),
      onWarning: warn,
      onProgress: (progress) => bar.load(progress),
    });
  } finally {
    bar.stop();
  }
}
