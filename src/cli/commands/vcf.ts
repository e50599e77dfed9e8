import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { vcf, VcfDeletions, VcfUnpaired, type VcfConversionOptions } from '../../convert/vcf.js';
import { conversionOptions, lowMemoryOption, samplesOption, type ConversionArgs } from '../input-options.js';
import { withExamples } from '../help.js';
import { warn } from '../messages.js';
import { runInput } from '../open-input.js';
import { outputTypeOf, outputTypeOption, type OutputTypeArgs } from '../output-options.js';

interface VcfArgs extends ConversionArgs, OutputTypeArgs {
  lowMemory?: boolean;
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
    withExamples(
      outputTypeOption(lowMemoryOption(conversionOptions(yargs)))
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
        .option('fai', { type: 'string', describe: 'faidx index (.fai) giving the contig lengths and ##reference, without --fasta-ref' }),
      [
        { what: 'BGZF output (by the .gz name), then an index', commands: ['$0 vcf matrix.tsv.gz -o matrix.vcf.gz', 'bcftools index matrix.vcf.gz'] },
        { what: 'one contig in memory at a time', commands: ['$0 vcf matrix.tsv.gz --low-memory -o low.vcf.gz'] },
        { what: 'deletions after POS gaps anchored on the reference', commands: ['$0 vcf matrix.tsv --fasta-ref ref.fa -o matrix.vcf.gz'] },
        { what: 'the snp-sites form: * for each deleted base, unpaired haplotypes left out', commands: ['$0 vcf matrix.tsv --deletions star --unpaired drop -O v -o matrix.vcf'] },
        { what: 'explicit pairs, plain VCF on standard output', commands: ['$0 vcf matrix.tsv --pairs 10a:10b | bcftools view -H | head -n 3'] },
        { what: 'the sites of a region, all pairs but one', commands: ['$0 vcf matrix.arrow -r chr1:160000-165000 -s ^3a3b -o part.vcf.gz'] },
      ],
    ) as unknown as Argv<VcfArgs>,
  handler: async (argv: ArgumentsCamelCase<VcfArgs>) => {
    const outputType = outputTypeOf(argv, 'vcf');
    const { pairs, output } = argv;
    const samples = samplesOption(argv);
    const records: VcfConversionOptions = {
      deletions: argv.deletions,
      unpaired: argv.unpaired,
      fastaRef: argv.fastaRef,
      fai: argv.fai,
      command: shellWords(process.argv.slice(2)),
      onWarning: warn,
    };
    await runInput(argv, {
      memory: (matrix) => vcf(matrix, { pairs, samples, output, outputType, ...records }),
      streamed: async (options) => (await import('../../convert/low-memory.js')).lowMemoryVcf(argv.matrix, { ...options, pairs, samples, output, outputType, ...records }),
    });
  },
};

/** Arguments joined as a shell would read them back: quoted when they hold anything but plain characters. */
function shellWords(args: readonly string[]): string {
  return args.map((arg) => (/^[A-Za-z0-9_./:=,@+%-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
