import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { vcf, VcfDeletions, VcfUnpaired } from '../../convert/vcf.js';
import { conversionOptions, type ConversionArgs } from '../input-options.js';
import { warn } from '../messages.js';
import { withInput } from '../open-input.js';

interface VcfArgs extends ConversionArgs {
  outputType?: 'v' | 'z';
  deletions?: VcfDeletions;
  unpaired?: VcfUnpaired;
  fastaRef?: string;
  fai?: string;
}

/** `genomatrix vcf <matrix>`: VCF 4.2, one phased diploid sample per pair, one haploid sample per unpaired haplotype. */
export const vcfCommand: CommandModule<object, VcfArgs> = {
  command: 'vcf <matrix>',
  describe: 'Write VCF 4.2: deletions as anchored indels, one phased GT sample per pair, haploid samples for unpaired haplotypes',
  builder: (yargs: Argv) =>
    conversionOptions(yargs)
      .option('output-type', {
        alias: 'O',
        choices: ['v', 'z'] as const,
        describe: 'v: plain VCF, z: BGZF-compressed (default: z when the output name ends in .gz or .bgz)',
      })
      .option('deletions', {
        choices: Object.values(VcfDeletions),
        default: VcfDeletions.indel,
        describe: 'indel: a run of - cells is one deletion anchored on the base before it (bcftools, GATK); star: one * allele per deleted base (snp-sites, treetime)',
      })
      .option('unpaired', {
        choices: Object.values(VcfUnpaired),
        default: VcfUnpaired.haploid,
        describe: 'haploid: a haplotype in no pair is a haploid sample (GT 1, 0 or .); drop: leave it and its alleles out',
      })
      .option('fasta-ref', {
        type: 'string',
        describe: 'Reference FASTA (plain, with its .fai if it has one): anchor bases after POS gaps, ##reference, contig lengths',
      })
      .option('fai', { type: 'string', describe: 'faidx index (.fai) giving the contig lengths and ##reference, without --fasta-ref' })
      .example('$0 vcf matrix.tsv.gz -o matrix.vcf.gz', 'BGZF output, ready for bcftools index')
      .example('$0 vcf matrix.tsv --fasta-ref ref.fa -o matrix.vcf.gz', 'deletions after POS gaps anchored on the reference')
      .example('$0 vcf matrix.tsv --deletions star --unpaired drop -O v', 'the snp-sites form: * for each deleted base')
      .example('$0 vcf matrix.tsv --pairs 10a:10b,13a:13b | bcftools view -H', 'explicit pairs, plain VCF on stdout') as unknown as Argv<VcfArgs>,
  handler: async (argv: ArgumentsCamelCase<VcfArgs>) => {
    await withInput(argv, async (matrix) => {
      const bgzf = argv.outputType === undefined ? undefined : argv.outputType === 'z';
      await vcf(matrix, {
        pairs: argv.pairs,
        output: argv.output,
        bgzf,
        deletions: argv.deletions,
        unpaired: argv.unpaired,
        fastaRef: argv.fastaRef,
        fai: argv.fai,
        command: shellWords(process.argv.slice(2)),
        onWarning: warn,
      });
    });
  },
};

/** Arguments joined as a shell would read them back: quoted when they hold anything but plain characters. */
function shellWords(args: readonly string[]): string {
  return args.map((arg) => (/^[A-Za-z0-9_./:=,@+%-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
