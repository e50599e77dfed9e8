import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { parseContigList } from '../layout/select-contigs.js';
import type { SelectionSpec } from '../select/regions.js';
import { sampleSelectionOf, type SampleSelection } from '../select/samples.js';
import { warn } from './messages.js';

/** Options every command that reads a matrix takes. */
export interface InputArgs {
  matrix: string;
  header?: string;
  threads?: number;
  allowUnsorted?: boolean;
  quiet?: boolean;
  progress?: boolean;
  contigs?: string;
  regions?: string;
  regionsFile?: string;
}

/** Declares the input options shared by the commands, the selection of sites among them (docs/selection.md). */
export function inputOptions(yargs: Argv) {
  return yargs
    .positional('matrix', { type: 'string', demandOption: true, describe: 'Genome matrix: text, gzip, BGZF or packed .arrow (told from its bytes)' })
    .option('header', { type: 'string', describe: 'File holding the header line, for a matrix without one' })
    .option('threads', { alias: 't', type: 'string', requiresArg: true, coerce: threadsOption, describe: 'Worker threads, 1 to 1024 (default: the usable cores)' })
    .option('regions', {
      alias: 'r',
      type: 'string',
      describe: 'Only sites in CHR, CHR:POS, CHR:FROM-TO or CHR:FROM- [,...] (1-based, inclusive, as bcftools -r), kept in matrix order',
    })
    .option('regions-file', {
      alias: 'R',
      type: 'string',
      describe: 'Only sites in the regions of FILE: BED if named .bed/.bed.gz (0-based, end exclusive), else tab-separated CHR POS [END] (1-based)',
    })
    .option('contigs', { type: 'string', describe: 'Only these contigs, NAME[,NAME...], kept in matrix order (the same as -r NAME,...)' })
    .option('allow-unsorted', { type: 'boolean', describe: 'Accept decreasing POS inside a contig run (with one warning)' })
    .option('progress', { type: 'boolean', describe: 'Show a progress bar on stderr even when it is not a terminal' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'No progress bar and no notes (warnings and errors still print)' });
}

/** Options of the commands that convert a matrix: pairs, which of them, and where the output goes. */
export interface ConversionArgs extends InputArgs {
  pairs?: string;
  samples?: string;
  samplesFile?: string;
  output?: string;
}

/** Declares the input options plus `--pairs`, `-s/-S` and `-o/--output`. */
export function conversionOptions(yargs: Argv) {
  return inputOptions(yargs)
    .option('pairs', { type: 'string', describe: 'Explicit pairs NAME:NAME[,NAME:NAME...]; default: <stem>a/<stem>b columns' })
    .option('samples', {
      alias: 's',
      type: 'string',
      describe: 'Only these samples, NAME[,...] in that order, or ^NAME[,...] all but these (as bcftools -s): pairs; in vcf also haploid samples; alt still sees every haplotype',
    })
    .option('samples-file', { alias: 'S', type: 'string', describe: 'Only the samples named in FILE, one a line (^FILE: all but those)' })
    .option('output', { alias: 'o', type: 'string', describe: 'Output file (default: standard output)' });
}

/** `-r`, `-R` and `--contigs` as load options (`LoadOptions.regions`, `regionsFile`, `contigs`). */
export function selectionOption(argv: InputArgs): SelectionSpec {
  return { contigs: argv.contigs === undefined ? undefined : parseContigList(argv.contigs), regions: argv.regions, regionsFile: argv.regionsFile };
}

/** `-s` or `-S` as the conversions' `samples` option, or undefined when neither is given. */
export function samplesOption(argv: ConversionArgs): SampleSelection | undefined {
  return sampleSelectionOf({ samples: argv.samples, samplesFile: argv.samplesFile });
}

/**
 * `-t/--threads` as given on the command line: a whole number from 1 to 1024, named as typed when
 * it is not one. More threads than usable cores is allowed, with a warning: they take turns.
 */
export function threadsOption(value: unknown): number {
  const given = Array.isArray(value) ? value.at(-1) : value; // the last of a repeated option wins
  const text = String(given);
  const threads = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(threads >= 1 && threads <= 1024)) throw new UsageError(`--threads must be a whole number from 1 to 1024, got '${text}'`);
  const cores = availableParallelism();
  if (threads > cores) warn(`--threads ${threads} is more than the ${cores} usable cores: the threads take turns on them, so the run is slower than with --threads ${cores}`);
  return threads;
}

/** Declares `--low-memory` (every command that converts a matrix). */
export function lowMemoryOption<T>(yargs: Argv<T>) {
  return yargs.option('low-memory', {
    type: 'boolean',
    describe: 'Stream contig by contig: memory for the largest contig, not the whole matrix (default: on when the input is large for the free memory, and for standard input; --no-low-memory to refuse)',
  });
}
