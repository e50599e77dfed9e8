import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { haplotype } from '../../convert/haplotype.js';
import { lowMemoryHaplotype } from '../../convert/low-memory-haplotype.js';
import { openMatrix } from '../../matrix.js';
import { conversionOptions, samplesOption, selectionOption, type ConversionArgs } from '../input-options.js';
import { warn } from '../messages.js';
import { lowMemoryWanted } from '../open-input.js';
import { ProgressBar, progressWanted } from '../progress-bar.js';

interface HaplotypeArgs extends ConversionArgs {
  lowMemory?: boolean;
}

/** `genomatrix haplotype <matrix>`: the haplotype table. */
export const haplotypeCommand: CommandModule<object, HaplotypeArgs> = {
  command: 'haplotype <matrix>',
  describe: 'Write the haplotype table (contig pos ref alt, then <pair>_PI <pair>_PG_al per pair)',
  builder: (yargs: Argv) =>
    conversionOptions(yargs)
      .option('low-memory', {
        type: 'boolean',
        describe: 'Stream contig by contig: memory for the largest contig, not the whole matrix (default: on when the input is large for the free memory; --no-low-memory to refuse)',
      })
      .example('$0 haplotype matrix.tsv.gz -o haplotypes.tsv', 'automatic pairs')
      .example('$0 haplotype matrix.tsv --header names.tsv --pairs 10a:10b,13a:13b', 'explicit pairs')
      .example('$0 haplotype huge.tsv --low-memory -o haplotypes.tsv', 'one contig in memory at a time')
      .example('$0 haplotype matrix.arrow --contigs chr2,chr3 -o shard.tsv', 'a shard: reads only these contigs')
      .example('$0 haplotype matrix.tsv.gz -r chr1:10000-20000,chr2 -s 10a10b', 'sites of a region, one pair') as unknown as Argv<HaplotypeArgs>,
  handler: async (argv: ArgumentsCamelCase<HaplotypeArgs>) => {
    const bar = new ProgressBar(progressWanted(argv));
    const input = { header: argv.header, threads: argv.threads, allowUnsorted: argv.allowUnsorted, ...selectionOption(argv), onWarning: warn };
    const samples = samplesOption(argv);
    try {
      if (lowMemoryWanted(argv)) {
        await lowMemoryHaplotype(argv.matrix, { ...input, pairs: argv.pairs, samples, output: argv.output, onProgress: (progress) => bar.load(progress) });
        return;
      }
      const matrix = await openMatrix(argv.matrix, { ...input, onProgress: (_done, _total, progress) => bar.load(progress) });
      try {
        await haplotype(matrix, { pairs: argv.pairs, samples, output: argv.output, onProgress: (_done, _total, progress) => bar.convert(progress) });
      } finally {
        await matrix.close();
      }
    } finally {
      bar.stop();
    }
  },
};
