import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { lowMemoryVcf } from '../../convert/low-memory.js';
import { vcf } from '../../convert/vcf.js';
import { conversionOptions, lowMemoryOption, samplesOption, type ConversionArgs } from '../input-options.js';
import { withExamples } from '../help.js';
import { runInput } from '../open-input.js';
import { outputTypeOf, outputTypeOption, type OutputTypeArgs } from '../output-options.js';

interface VcfArgs extends ConversionArgs, OutputTypeArgs {
  lowMemory?: boolean;
}

/** `genomatrix vcf <matrix>`: VCF 4.2, one phased diploid sample per pair. */
export const vcfCommand: CommandModule<object, VcfArgs> = {
  command: 'vcf <matrix>',
  describe: 'Write VCF 4.2: one record per site with an alt allele, one phased GT sample per pair',
  builder: (yargs: Argv) =>
    withExamples(outputTypeOption(lowMemoryOption(conversionOptions(yargs))), [
      { what: 'BGZF output (by the .gz name), then an index', commands: ['$0 vcf matrix.tsv.gz -o matrix.vcf.gz', 'bcftools index matrix.vcf.gz'] },
      { what: 'one contig in memory at a time', commands: ['$0 vcf matrix.tsv.gz --low-memory -o low.vcf.gz'] },
      { what: 'explicit pairs, plain VCF on standard output', commands: ['$0 vcf matrix.tsv --pairs 10a:10b | bcftools view -H | head -n 3'] },
      { what: 'the sites of a region, all pairs but one', commands: ['$0 vcf matrix.arrow -r chr1:160000-165000 -s ^3a3b -o part.vcf.gz'] },
    ]) as unknown as Argv<VcfArgs>,
  handler: async (argv: ArgumentsCamelCase<VcfArgs>) => {
    const outputType = outputTypeOf(argv, 'vcf');
    const { pairs, output } = argv;
    const samples = samplesOption(argv);
    await runInput(argv, {
      memory: (matrix) => vcf(matrix, { pairs, samples, output, outputType }),
      streamed: (options) => lowMemoryVcf(argv.matrix, { ...options, pairs, samples, output, outputType }),
    });
  },
};
