import type { Argv } from 'yargs';

/** Options every command that reads a matrix takes. */
export interface InputArgs {
  matrix: string;
  header?: string;
  threads?: number;
  allowUnsorted?: boolean;
}

/** Declares the input options shared by the commands. */
export function inputOptions(yargs: Argv) {
  return yargs
    .positional('matrix', { type: 'string', demandOption: true, describe: 'Genome matrix: text, gzip, BGZF or packed .arrow (told from its bytes)' })
    .option('header', { type: 'string', describe: 'File holding the header line, for a matrix without one' })
    .option('threads', { alias: 't', type: 'number', describe: 'Worker threads (default: usable cores)' })
    .option('allow-unsorted', { type: 'boolean', describe: 'Accept decreasing POS inside a contig run' });
}
