import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { haplotype, HaplotypeFormat } from '../../convert/haplotype.js';
import { openMatrix } from '../../matrix.js';
import { conversionOptions, lowMemoryOption, samplesOption, selectionOption, type ConversionArgs } from '../input-options.js';
import { withExamples } from '../help.js';
import { warn } from '../messages.js';
import { lowMemoryWanted, runStreamed } from '../open-input.js';
import { outputTypeOf, outputTypeOption, type OutputTypeArgs } from '../output-options.js';
import { ProgressBar, progressWanted } from '../progress-bar.js';

interface HaplotypeArgs extends ConversionArgs, OutputTypeArgs {
  lowMemory?: boolean;
  format?: HaplotypeFormat;
}

/** `genomatrix haplotype <matrix>`: the haplotype table. */
export const haplotypeCommand: CommandModule<object, HaplotypeArgs> = {
  command: 'haplotype <matrix>',
  describe: 'Write the haplotype table (contig pos ref alt, then <pair>_PI <pair>_PG_al per pair)',
  builder: (yargs: Argv) =>
    withExamples(
      outputTypeOption(lowMemoryOption(conversionOptions(yargs))).option('format', {
        choices: Object.values(HaplotypeFormat),
        default: HaplotypeFormat.table,
        describe: 'table: contig pos ref alt <pair>_PI <pair>_PG_al; phase-extender: CHROM POS REF all-alleles <pair>:PI <pair>:PG_al, - as *, a pair with an N member missing (.)',
      }),
      [
      { what: 'automatic pairs: columns <stem>a and <stem>b', commands: ['$0 haplotype matrix.tsv.gz -o haplotypes.tsv'] },
      { what: 'a matrix without a header line, and explicit pairs', commands: ['$0 haplotype body.tsv --header names.tsv --pairs 10a:10b,13a:13b'] },
      { what: 'one contig in memory at a time, BGZF output (by the .gz name)', commands: ['$0 haplotype matrix.tsv.gz --low-memory -o haplotypes.tsv.gz'] },
      { what: 'standard input, plain or gzip', commands: ['$0 haplotype - -o haplotypes.tsv < matrix.tsv.gz'] },
      { what: 'input for phase-extender', commands: ['$0 haplotype matrix.tsv --format phase-extender -o haplotypes.txt'] },
      { what: 'a shard: only these contigs (an .arrow input reads only their bytes)', commands: ['$0 haplotype matrix.arrow --contigs chr2,chr3 -o shard.tsv'] },
      { what: 'the sites of a region and of a whole contig, one pair', commands: ['$0 haplotype matrix.tsv.gz -r chr1:160000-165000,chr3 -s 10a10b'] },
    ]) as unknown as Argv<HaplotypeArgs>,
  handler: async (argv: ArgumentsCamelCase<HaplotypeArgs>) => {
    const outputType = outputTypeOf(argv, 'haplotype');
    const { pairs, output } = argv;
    const samples = samplesOption(argv);
    if (lowMemoryWanted(argv)) {
      const { lowMemoryHaplotype } = await import('../../convert/low-memory.js');
      await runStreamed(argv, (options) => lowMemoryHaplotype(argv.matrix, { ...options, pairs, samples, output, outputType, format: argv.format }));
      return;
    }
    const bar = new ProgressBar(progressWanted(argv));
    const input = { header: argv.header, threads: argv.threads, allowUnsorted: argv.allowUnsorted, ...selectionOption(argv), onWarning: warn };
    try {
      const matrix = await openMatrix(argv.matrix, { ...input, onProgress: (_done, _total, progress) => bar.load(progress) });
      try {
        await haplotype(matrix, { pairs, samples, output, outputType, format: argv.format, onProgress: (_done, _total, progress) => bar.convert(progress) });
      } finally {
        await matrix.close();
      }
    } finally {
      bar.stop();
    }
  },
};
