import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { haplotype } from '../../convert/haplotype.js';
import { lowMemoryHaplotype } from '../../convert/low-memory.js';
import { openMatrix } from '../../matrix.js';
import { contigsOption, conversionOptions, lowMemoryOption, type ConversionArgs } from '../input-options.js';
import { warn } from '../messages.js';
import { lowMemoryWanted, runStreamed } from '../open-input.js';
import { outputTypeOf, outputTypeOption, type OutputTypeArgs } from '../output-options.js';
import { ProgressBar, progressWanted } from '../progress-bar.js';

interface HaplotypeArgs extends ConversionArgs, OutputTypeArgs {
  lowMemory?: boolean;
}

/** `genomatrix haplotype <matrix>`: the haplotype table. */
export const haplotypeCommand: CommandModule<object, HaplotypeArgs> = {
  command: 'haplotype <matrix>',
  describe: 'Write the haplotype table (contig pos ref alt, then <pair>_PI <pair>_PG_al per pair)',
  builder: (yargs: Argv) =>
    outputTypeOption(lowMemoryOption(conversionOptions(yargs)))
      .example('$0 haplotype matrix.tsv.gz -o haplotypes.tsv', 'automatic pairs')
      .example('$0 haplotype matrix.tsv --header names.tsv --pairs 10a:10b,13a:13b', 'explicit pairs')
      .example('$0 haplotype huge.tsv --low-memory -o haplotypes.tsv.gz', 'one contig in memory at a time, BGZF output')
      .example('zcat matrix.tsv.gz | $0 haplotype - -o haplotypes.tsv', 'standard input')
      .example('$0 haplotype matrix.arrow --contigs chr2,chr3 -o shard.tsv', 'a shard: reads only these contigs') as unknown as Argv<HaplotypeArgs>,
  handler: async (argv: ArgumentsCamelCase<HaplotypeArgs>) => {
    const outputType = outputTypeOf(argv, 'haplotype');
    const { pairs, output } = argv;
    if (lowMemoryWanted(argv)) {
      await runStreamed(argv, (options) => lowMemoryHaplotype(argv.matrix, { ...options, pairs, output, outputType }));
      return;
    }
    const bar = new ProgressBar(progressWanted(argv));
    const input = { header: argv.header, threads: argv.threads, allowUnsorted: argv.allowUnsorted, contigs: contigsOption(argv), onWarning: warn };
    try {
      const matrix = await openMatrix(argv.matrix, { ...input, onProgress: (_done, _total, progress) => bar.load(progress) });
      try {
        await haplotype(matrix, { pairs, output, outputType, onProgress: (_done, _total, progress) => bar.convert(progress) });
      } finally {
        await matrix.close();
      }
    } finally {
      bar.stop();
    }
  },
};
