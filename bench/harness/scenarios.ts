// The scenarios of `npm run bench` beyond the table against sites: each is a few commands on
// generated inputs, measured interleaved in the same rounds, and the targets (issue 15) computed
// from them: a ratio, a difference or a limit, each beside its baseline.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benchMatrix, type BenchMatrix } from './bench-matrix.js';
import { fastaAlignment } from './fasta-alignment.js';

/** One measured command of a scenario. */
export interface ScenarioCommand {
  name: string;
  label: string;
  program: string;
  args: string[];
  /** Units of work (matrix cells) for throughput targets. */
  cells?: number;
  /** The file its output goes to (`-o`), or where its standard output is kept. */
  output: string;
  /** The x value of the chart this command is a point of (contigs, haplotypes). */
  x?: number;
  /** The chart series it belongs to. */
  series?: string;
}

export const TargetKind = {
  /** subject / baseline median at most `limit`. */
  ratioAtMost: 'ratio at most',
  /** subject - baseline median at most `limit` ms. */
  msOverAtMost: 'ms over baseline at most',
  /** subject median at most `limit` seconds (the baseline is shown for scale). */
  secondsAtMost: 'seconds at most',
  /** subject cells per second / baseline cells per second at least `limit`. */
  throughputAtLeast: 'cells/s ratio at least',
  /** subject peak memory median at most `limit` MiB. */
  mibAtMost: 'peak MiB at most',
} as const;
export type TargetKind = (typeof TargetKind)[keyof typeof TargetKind];

/** One target of issue 15, computed from two commands of a scenario. */
export interface TargetRule {
  title: string;
  subject: string;
  baseline: string;
  kind: TargetKind;
  limit: number;
  goal?: string;
}

/** A group of commands measured in the same rounds, with its targets and output checks. */
export interface Scenario {
  id: string;
  title: string;
  commands: ScenarioCommand[];
  targets: TargetRule[];
  /** Pairs of commands whose outputs must be the same bytes. */
  sameBytes: [string, string][];
  /** The chart drawn from the commands' `x` and `series`, if any. */
  chart?: { file: string; title: string; xLabel: string };
  /** Why it cannot run here. */
  skipped?: string;
}

/** Sizes of the scenarios: the issue's, or small ones for `--quick`. */
export interface ScenarioSizes {
  gzipSites: number;
  vcfSites: number;
  contigSites: number;
  contigCounts: number[];
  manyHaplotypes: { haplotypes: number; sites: number }[];
  seedSites: number;
  infoColumns: number;
}

export const FULL_SIZES: ScenarioSizes = {
  gzipSites: 4_000_000,
  vcfSites: 1_000_000,
  contigSites: 400_000,
  contigCounts: [1, 200, 20_000, 100_000],
  manyHaplotypes: [{ haplotypes: 250, sites: 500_000 }, { haplotypes: 2000, sites: 200_000 }],
  seedSites: 4_000_000,
  infoColumns: 100_000,
};

export const QUICK_SIZES: ScenarioSizes = {
  gzipSites: 400_000,
  vcfSites: 100_000,
  contigSites: 40_000,
  contigCounts: [1, 2000, 10_000],
  manyHaplotypes: [{ haplotypes: 2000, sites: 10_000 }],
  seedSites: 400_000,
  infoColumns: 20_000,
};

/** What a scenario builder needs. */
export interface ScenarioContext {
  root: string;
  dataDir: string;
  outDir: string;
  threads: number;
  log: (line: string) => void;
}

const has = (program: string): boolean => spawnSync(program, ['--version'], { stdio: 'ignore' }).error === undefined;

/** The scenarios named in `only` (all by default), their inputs generated (or reused) in the data directory. */
export function scenarios(context: ScenarioContext, sizes: ScenarioSizes, only: readonly string[] = ['startup', 'compressed', 'vcf', 'contigs', 'haplotypes']): Scenario[] {
  const { root, dataDir, outDir, threads, log } = context;
  const node = process.execPath;
  const cli = join(root, 'dist', 'src', 'cli', 'main.js');
  const generator = join(root, 'dist', 'scripts', 'generate-matrix.js');
  const matrix = (sites: number, contigs: number, haplotypes: number, nameDigits = 0): BenchMatrix =>
    benchMatrix(dataDir, generator, { sites, contigs, haplotypes, seed: 1, nameDigits }, log);
  const out = (name: string): string => join(outDir, name);
  const t = ['--threads', String(threads)];
  const genomatrix = (name: string, label: string, args: string[], extra: Partial<ScenarioCommand> = {}): ScenarioCommand => {
    const output = out(`${name}.out`);
    return { name, label, program: node, args: [cli, ...args, ...t, '-q'], output, ...extra };
  };
  const list: Scenario[] = [];

  if (only.includes('startup')) {
    // Start-up.
    list.push({
      id: 'startup',
      title: 'Start-up: genomatrix --version against node -e 0',
      commands: [
        { name: 'node', label: 'node -e 0', program: node, args: ['-e', '0'], output: out('node.out') },
        { name: 'version', label: 'genomatrix --version', program: node, args: [cli, '--version'], output: out('version.out') },
      ],
      targets: [{ title: '`--version` start-up', subject: 'version', baseline: 'node', kind: TargetKind.msOverAtMost, limit: 50 }],
      sameBytes: [],
    });
  }
  if (only.includes('compressed')) {
    // Compressed input and output.
    const seed = matrix(sizes.gzipSites, 4, 31);
    const gz = `${seed.path}.gz`;
    const bgz = `${seed.path}.bgz`;
    if (!existsSync(gz)) compress('gzip', ['-6', '-c', seed.path], gz, log);
    const bgzip = has('bgzip');
    if (bgzip && !existsSync(bgz)) compress('bgzip', ['-@', '2', '-c', seed.path], bgz, log);
    const compressed: ScenarioCommand[] = [
      genomatrix('plain', 'haplotype, plain input', ['haplotype', seed.path, '-o', out('plain.out')]),
      genomatrix('gzip', 'haplotype, gzip input', ['haplotype', gz, '-o', out('gzip.out')]),
    ];
    if (bgzip) compressed.push(genomatrix('bgzf', 'haplotype, BGZF input (bgzip)', ['haplotype', bgz, '-o', out('bgzf.out')]));
    compressed.push(genomatrix('vcf-plain', 'vcf -O v', ['vcf', seed.path, '-O', 'v', '-o', out('vcf-plain.out')]));
    compressed.push(genomatrix('vcf-bgzf', 'vcf -O z (BGZF)', ['vcf', seed.path, '-O', 'z', '-o', out('vcf-bgzf.out')]));
    list.push({
      id: 'compressed',
      title: `Compressed input and output (${seed.sites.toLocaleString('en-US')} sites, ${seed.contigs} contigs)`,
      commands: compressed,
      targets: [
        { title: 'gzip input vs plain input', subject: 'gzip', baseline: 'plain', kind: TargetKind.ratioAtMost, limit: 1.25 },
        ...(bgzip ? [{ title: 'BGZF input vs plain input', subject: 'bgzf', baseline: 'plain', kind: TargetKind.ratioAtMost, limit: 1.25 }] : []),
        { title: 'BGZF VCF output vs plain VCF output', subject: 'vcf-bgzf', baseline: 'vcf-plain', kind: TargetKind.ratioAtMost, limit: 1.3 },
      ],
      sameBytes: [['gzip', 'plain'], ...(bgzip ? ([['bgzf', 'plain']] as [string, string][]) : [])],
    });
  }
  if (only.includes('vcf')) {
    // VCF of one contig against snp-sites on the same haplotypes as a FASTA alignment. snp-sites
    // writes a gap as the allele `*` at each of its positions, which is `--deletions star`: the
    // target compares that form. genomatrix's default writes a run of gaps as one anchored indel
    // (normalised as bcftools norm does, docs/vcf.md), more work than snp-sites does; its ratio is
    // shown beside it, held against the same limit.
    const contig = matrix(sizes.vcfSites, 1, 31);
    const fasta = `${contig.path}.fa`;
    const snpSites = has('snp-sites') || existsSync('/usr/bin/snp-sites');
    if (snpSites && !existsSync(fasta)) fastaAlignment(contig.path, fasta);
    list.push({
      id: 'vcf',
      title: `VCF of one ${contig.sites.toLocaleString('en-US')}-site contig, 31 haplotypes`,
      commands: [
        genomatrix('vcf-star', 'genomatrix vcf --deletions star -O v', ['vcf', contig.path, '--deletions', 'star', '-O', 'v', '-o', out('vcf-star.out')]),
        genomatrix('vcf', 'genomatrix vcf -O v (anchored indels)', ['vcf', contig.path, '-O', 'v', '-o', out('vcf.out')]),
        { name: 'snp-sites', label: 'snp-sites -v (FASTA alignment)', program: 'snp-sites', args: ['-v', '-o', out('snp-sites.out'), fasta], output: out('snp-sites.out') },
      ],
      targets: [
        { title: 'VCF of one contig vs snp-sites (both: `*` alleles)', subject: 'vcf-star', baseline: 'snp-sites', kind: TargetKind.ratioAtMost, limit: 1.5, goal: 'faster' },
        { title: 'VCF of one contig, anchored indels (the default), vs snp-sites', subject: 'vcf', baseline: 'snp-sites', kind: TargetKind.ratioAtMost, limit: 1.5, goal: 'faster' },
      ],
      sameBytes: [],
      ...(snpSites ? {} : { skipped: 'snp-sites is not installed (Debian package snp-sites)' }),
    });
  }
  if (only.includes('contigs')) {
    // The same bytes as one contig and as many: every contig's name as long (chr000001 for
    // 100,000 contigs, and for one), so the text and the output differ only in where contigs change.
    const contigCommands: ScenarioCommand[] = [];
    const nameDigits = String(Math.max(...sizes.contigCounts)).length;
    for (const count of sizes.contigCounts) {
      const m = matrix(sizes.contigSites, count, 31, nameDigits);
      // Past 20,000 contigs only haplotype and vcf, the linear-cost targets (stats writes some 190 lines per contig: 75 MB at 20,000).
      for (const job of count > 20_000 ? (['haplotype', 'vcf'] as const) : (['haplotype', 'vcf', 'stats', 'pack'] as const)) {
        const output = out(`${job}-c${count}.out`);
        const args = job === 'pack' ? ['pack', m.path, '-o', `${output}.arrow`] : job === 'vcf' ? ['vcf', m.path, '-O', 'v', '-o', output] : [job, m.path, '-o', output];
        contigCommands.push(genomatrix(`${job}-c${count}`, `${job}, ${count.toLocaleString('en-US')} contigs`, args, { x: count, series: job }));
      }
    }
    const many = sizes.contigCounts.find((n) => n >= 20_000) ?? sizes.contigCounts[sizes.contigCounts.length - 1];
    list.push({
      id: 'contigs',
      title: `${sizes.contigSites.toLocaleString('en-US')} sites x 31 haplotypes as 1 contig or many`,
      commands: contigCommands,
      targets: (['haplotype', 'pack', 'vcf', 'stats'] as const).flatMap((job) => [
        { title: `${job}: ${many?.toLocaleString('en-US')} contigs vs 1`, subject: `${job}-c${many}`, baseline: `${job}-c1`, kind: TargetKind.ratioAtMost, limit: 1.3 },
        ...sizes.contigCounts
          .filter((n) => n > (many ?? 0) && (job === 'haplotype' || job === 'vcf'))
          .map((n) => ({ title: `${job}: ${n.toLocaleString('en-US')} contigs vs 1 (linear cost)`, subject: `${job}-c${n}`, baseline: `${job}-c1`, kind: TargetKind.ratioAtMost, limit: 1.3 })),
      ]),
      sameBytes: [],
      chart: { file: 'contigs-chart.svg', title: 'against contigs (same bytes)', xLabel: 'contigs' },
    });
  }
  if (only.includes('haplotypes')) {
    // Many haplotypes: cells per second against the seed shape; info of very many columns.
    const seedShape = matrix(sizes.seedSites, 4, 31);
    const cellsOf = (m: BenchMatrix): number => m.sites * (m.haplotypes + 1);
    const columnCommands: ScenarioCommand[] = [
      genomatrix('h31', `haplotype, 31 haplotypes x ${seedShape.sites.toLocaleString('en-US')} sites`, ['haplotype', seedShape.path, '-o', out('h31.out')], { cells: cellsOf(seedShape), x: 31, series: 'haplotype' }),
    ];
    for (const shape of sizes.manyHaplotypes) {
      const m = matrix(shape.sites, 1, shape.haplotypes);
      columnCommands.push(genomatrix(`h${shape.haplotypes}`, `haplotype, ${shape.haplotypes} haplotypes x ${shape.sites.toLocaleString('en-US')} sites`, ['haplotype', m.path, '-o', out(`h${shape.haplotypes}.out`)], { cells: cellsOf(m), x: shape.haplotypes, series: 'haplotype' }));
    }
    const wide = matrix(20, 1, sizes.infoColumns);
    columnCommands.push(genomatrix('info-wide', `info, ${sizes.infoColumns.toLocaleString('en-US')} columns x 20 sites`, ['info', wide.path]));
    columnCommands.push({ name: 'node-wide', label: 'node -e 0', program: node, args: ['-e', '0'], output: out('node-wide.out') });
    const widest = sizes.manyHaplotypes[sizes.manyHaplotypes.length - 1];
    list.push({
      id: 'haplotypes',
      title: 'Many haplotypes (columns)',
      commands: columnCommands,
      targets: [
        ...(widest ? [{ title: `${widest.haplotypes} haplotypes: cells/s vs seed shape`, subject: `h${widest.haplotypes}`, baseline: 'h31', kind: TargetKind.throughputAtLeast, limit: 0.7 }] : []),
        { title: `info of ${sizes.infoColumns.toLocaleString('en-US')} columns`, subject: 'info-wide', baseline: 'node-wide', kind: TargetKind.secondsAtMost, limit: 2 },
      ],
      sameBytes: [],
      chart: { file: 'haplotypes-chart.svg', title: 'against haplotypes', xLabel: 'haplotypes' },
    });
  }
  return list;
}

function compress(program: string, args: string[], target: string, log: (line: string) => void): void {
  log(`${program} ${args.join(' ')} > ${target}`);
  const result = spawnSync('sh', ['-c', `"$0" "$@" > "${target}.partial" && mv "${target}.partial" "${target}"`, program, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${program} failed: ${result.stderr}`);
}
