import type { Argv } from 'yargs';
import { parseContigList } from '../layout/select-contigs.js';
import type { SelectionSpec } from '../select/regions.js';
import { sampleSelectionOf, type SampleSelection } from '../select/samples.js';

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
    .option('threads', { alias: 't', type: 'number', describe: 'Worker threads (default: usable cores)' })
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
      describe: 'Only these pairs, PAIR[,...] in that order, or ^PAIR[,...] all but these (as bcftools -s); alt still sees every haplotype',
    })
    .option('samples-file', { alias: 'S', type: 'string', describe: 'Only the pairs named in FILE, one a line (^FILE: all but those)' })
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
