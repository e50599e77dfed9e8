// How every command opens its input: the shared input options, warnings as one-line notes on
// stderr, a progress bar for the load, and the choice of the low-memory mode.

import { tooLargeForMemory } from '../convert/low-memory-haplotype.js';
import { openMatrix, type Matrix } from '../matrix.js';
import { detectInput } from '../read/input-format.js';
import { selectionOption, type InputArgs } from './input-options.js';
import { note, warn } from './messages.js';
import { ProgressBar, progressWanted } from './progress-bar.js';

/** Opens the command's matrix, runs `body` on it, and closes it (and the progress bar) whatever happens. */
export async function withInput<T>(argv: InputArgs, body: (matrix: Matrix) => Promise<T>): Promise<T> {
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
      return await body(matrix);
    } finally {
      await matrix.close();
    }
  } finally {
    bar.stop();
  }
}

/** `--low-memory` as given, or chosen (and said) when the input is large for the free memory. */
export function lowMemoryWanted(argv: InputArgs & { lowMemory?: boolean }): boolean {
  if (argv.lowMemory !== undefined) return argv.lowMemory;
  const tooLarge = tooLargeForMemory(detectInput(argv.matrix));
  if (!tooLarge) return false;
  const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(1)} GB`;
  if (!argv.quiet) note(`${argv.matrix} needs about ${gb(tooLarge.needed)} in memory, more than half of the ${gb(tooLarge.free)} available: streaming contig by contig (--low-memory; --no-low-memory to refuse)`);
  return true;
}
