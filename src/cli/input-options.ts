import type { Argv } from 'yargs';

/** Options every command that reads a matrix takes. */
export interface InputArgs {
  matrix: string;
  header?: string;
  threads?: number;
  allowUnsorted?: boolean;
  quiet?: boolean;
  progress?: boolean;
  lowMemory?: boolean;
}

/** Declares the input options shared by the commands. */
export function inputOptions(yargs: Argv) {
  return yargs
    .positional('matrix', { type: 'string', demandOption: true, describe: 'Genome matrix: text, gzip or BGZF (told from its bytes)' })
    .option('header', { type: 'string', describe: 'File holding the header line, for a matrix without one' })
    .option('threads', { alias: 't', type: 'number', describe: 'Worker threads (default: usable cores)' })
    .option('allow-unsorted', { type: 'boolean', describe: 'Accept decreasing POS inside a contig run (with one warning)' })
    .option('low-memory', {
      type: 'boolean',
      describe: 'Stream contig by contig: memory for the largest contig, not the whole matrix (default: on when the input is large for the free memory; --no-low-memory to refuse)',
    })
    .option('progress', { type: 'boolean', describe: 'Show a progress bar on stderr even when it is not a terminal' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'No progress bar and no notes (warnings and errors still print)' });
}
