// How every command opens its input: the shared input options, warnings as one-line notes on
// stderr, and a progress bar for the load.

import { openMatrix, type Matrix } from '../matrix.js';
import { contigsOption, type InputArgs } from './input-options.js';
import { warn } from './messages.js';
import { ProgressBar, progressWanted } from './progress-bar.js';

/** Opens the command's matrix, runs `body` on it, and closes it (and the progress bar) whatever happens. */
export async function withInput<T>(argv: InputArgs, body: (matrix: Matrix) => Promise<T>): Promise<T> {
  const bar = new ProgressBar(progressWanted(argv));
  try {
    const matrix = await openMatrix(argv.matrix, {
      header: argv.header,
      threads: argv.threads,
      allowUnsorted: argv.allowUnsorted,
      contigs: contigsOption(argv),
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
