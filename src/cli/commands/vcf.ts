import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { vcf } from '../../convert/vcf.js';
import { conversionOptions, samplesOption, type ConversionArgs } from '../input-options.js';
import { withInput } from '../open-input.js';

interface VcfArgs extends ConversionArgs {
  outputType?: 'v' | 'z';
}

/** `genomatrix vcf <matrix>`: VCF 4.2, one phased diploid sample per pair. */
export const vcfCommand: CommandModule<object, VcfArgs> = {
  command: 'vcf <matrix>',
  describe: 'Write VCF 4.2: one record per site with an alt allele, one phased GT sample per pair',
  builder: (yargs: Argv) =>
    conversionOptions(yargs)
      .option('output-type', {
        alias: 'O',
        choices: ['v', 'z'] as const,
        describe: 'v: plain VCF, z: BGZF-compressed (default: z when the output name ends in .gz or .bgz)',
      })
      .example('$0 vcf matrix.tsv.gz -o matrix.vcf.gz', 'BGZF output, ready for bcftools index')
      .example('$0 vcf matrix.tsv --pairs 10a:10b,13a:13b | bcftools view -H', 'explicit pairs, plain VCF on stdout')
      .example('$0 vcf matrix.arrow -R targets.bed -s ^3a3b -o part.vcf.gz', 'the sites of a BED file, all pairs but one') as unknown as Argv<VcfArgs>,
  handler: async (argv: ArgumentsCamelCase<VcfArgs>) => {
    const samples = samplesOption(argv);
    await withInput(argv, async (matrix) => {
      const bgzf = argv.outputType === undefined ? undefined : argv.outputType === 'z';
      await vcf(matrix, { pairs: argv.pairs, samples, output: argv.output, bgzf });
    });
  },
};
