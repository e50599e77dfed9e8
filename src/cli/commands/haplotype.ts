import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { haplotype, HaplotypeFormat } from '../../convert/haplotype.js';
import { lowMemoryHaplotype } from '../../convert/low-memory-haplotype.js';
import { openMatrix } from '../../matrix.js';
import { contigsOption, conversionOptions, type ConversionArgs } from '../input-options.js';
import { warn } from '../messages.js';
import { lowMemoryWanted } from '../open-input.js';
import { ProgressBar, progressWanted } from '../progress-bar.js';

interface HaplotypeArgs extends ConversionArgs {
  lowMemory?: boolean;
  format?: HaplotypeFormat;
}

/** `genomatrix haplotype <matrix>`: the haplotype table. */
export const haplotypeCommand: CommandModule<object, HaplotypeArgs> = {
  command: 'haplotype <matrix>',
  describe: 'Write the haplotype table (contig pos ref alt, then <pair>_PI <pair>_PG_al per pair)',
  builder: (yargs: Argv) =>
    conversionOptions(yargs)
      .option('format', {
        choices: Object.values(HaplotypeFormat),
        default: HaplotypeFormat.table,
        describe: 'table: contig pos ref alt <pair>_PI <pair>_PG_al; phase-extender: CHROM POS REF all-alleles <pair>:PI <pair>:PG_al, - as *, a pair with an N member missing (.)',
      })
      .option('low-memory', {
        type: 'boolean',
        describe: 'Stream contig by contig: memory for the largest contig, not the whole matrix (default: on when the input is large for the free memory; --no-low-memory to refuse)',
      })
      .example('$0 haplotype matrix.tsv.gz -o haplotypes.tsv', 'automatic pairs')
      .example('$0 haplotype matrix.tsv --header names.tsv --pairs 10a:10b,13a:13b', 'explicit pairs')
      .example('$0 haplotype matrix.tsv --format phase-extender -o haplotypes.txt', 'input for phase-extender')
      .example('$0 haplotype huge.tsv --low-memory -o haplotypes.tsv', 'one contig in memory at a time')
      .example('$0 haplotype matrix.arrow --contigs chr2,chr3 -o shard.tsv', 'a shard: reads only these contigs') as unknown as Argv<HaplotypeArgs>,
  handler: async (argv: ArgumentsCamelCase<HaplotypeArgs>) => {
    const bar = new ProgressBar(progressWanted(argv));
    const input = { header: argv.header, threads: argv.threads, allowUnsorted: argv.allowUnsorted, contigs: contigsOption(argv), onWarning: warn };
    try {
      if (lowMemoryWanted(argv)) {
        await lowMemoryHaplotype(argv.matrix, { ...input, pairs: argv.pairs, output: argv.output, format: argv.format, onProgress: (progress) => bar.load(progress) });
        return;
      }
      const matrix = await openMatrix(argv.matrix, { ...input, onProgress: (_done, _total, progress) => bar.load(progress) });
      try {
        await haplotype(matrix, { pairs: argv.pairs, output: argv.output, format: argv.format, onProgress: (_done, _total, progress) => bar.convert(progress) });
      } finally {
        await matrix.close();
      }
    } finally {
      bar.stop();
    }
  },
};
