// bcftools norm and bcftools consensus on seeded matrices of short repeats (test/repeat-matrix.ts,
// the FASTA holding the bases of the positions the matrix leaves out): how many records
// `norm -c e -f` realigns, and how many haplotype sequences of a contig `consensus -H` does not
// rebuild (a haplotype's `N` matches any base). docs/vcf.md, "What bcftools norm still moves" and
// "Overlapping events", gives the figures. Needs bcftools and bgzip.
//
//   node dist/bench/vcf-repeats.js [--seeds 1-10] [--rows 1500] [--missing 0.3] [--gaps 0.05] [--deletions 0.08] [--no-fasta]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMatrix, vcf } from '../src/index.js';
import { repeatMatrix } from '../test/repeat-matrix.js';

const args = process.argv.slice(2);
const option = (name: string, otherwise: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] as string) : otherwise;
};
const [firstSeed, lastSeed] = option('--seeds', '1-10').split('-').map(Number) as [number, number];
const rows = Number(option('--rows', '1500'));
const missing = Number(option('--missing', '0.3'));
const gaps = Number(option('--gaps', '0.05'));
const deletions = Number(option('--deletions', '0.08'));
const withFasta = !args.includes('--no-fasta');

function run(command: string, commandArgs: string[]): { stdout: string; stderr: string } {
  const result = spawnSync(command, commandArgs, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')}: ${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

/** Each haplotype's sequence per contig: the FASTA with its cells in place and its deleted bases left out. */
function expectedSequences(matrix: string, fasta: string): Map<string, Map<string, string>> {
  const sequences = new Map(fasta.split('>').filter(Boolean).map((entry) => entry.trim().split('\n') as [string, string]));
  const [header, ...lines] = matrix.trimEnd().split('\n');
  const names = (header as string).split('\t').slice(3);
  const cells = new Map<string, Map<number, string[]>>();
  for (const line of lines) {
    const [contig, pos, , ...row] = line.split('\t') as [string, string, string, ...string[]];
    if (!cells.has(contig)) cells.set(contig, new Map());
    cells.get(contig)?.set(Number(pos), row);
  }
  const expected = new Map<string, Map<string, string>>();
  names.forEach((name, c) => {
    const byContig = new Map<string, string>();
    for (const [contig, sequence] of sequences) {
      const at = cells.get(contig) as Map<number, string[]>;
      byContig.set(contig, [...sequence].map((base, i) => at.get(i + 1)?.[c] ?? base).filter((base) => base !== '-').join(''));
    }
    expected.set(name, byContig);
  });
  return expected;
}

/** `built` is `expected` where `expected` has no `N`. */
const rebuilt = (built: string | undefined, expected: string): boolean =>
  built !== undefined && built.length === expected.length && [...expected].every((base, i) => base === 'N' || built[i] === base);

const dir = mkdtempSync(join(tmpdir(), 'vcf-repeats-'));
let records = 0;
let realigned = 0;
let sequences = 0;
let notRebuilt = 0;
try {
  for (let seed = firstSeed; seed <= lastSeed; seed++) {
    const { matrix, fasta } = repeatMatrix(seed, rows, missing, gaps, { deletions, gapBases: true });
    const matrixFile = join(dir, `repeats-${seed}.tsv`);
    const fastaFile = join(dir, `repeats-${seed}.fa`);
    const out = join(dir, `repeats-${seed}.vcf`);
    writeFileSync(matrixFile, matrix);
    writeFileSync(fastaFile, fasta);
    const loaded = await loadMatrix(matrixFile, { threads: 1 });
    try {
      await vcf(loaded, { output: out, ...(withFasta ? { fastaRef: fastaFile } : {}) });
    } finally {
      await loaded.close();
    }
    const counts = /(\d+)\/(\d+)\/(\d+)\/(\d+)/.exec(run('bcftools', ['norm', '-c', 'e', '-f', fastaFile, out]).stderr);
    records += Number(counts?.[1]);
    realigned += Number(counts?.[3]);
    let seedNotRebuilt = 0;
    if (withFasta) {
      writeFileSync(`${out}.gz`, spawnSync('bgzip', ['-c', out]).stdout);
      run('bcftools', ['index', '-f', `${out}.gz`]);
      for (const [name, byContig] of expectedSequences(matrix, fasta)) {
        // The pairs are 1a1b, 2a2b, 3a3b (member a is -H 1, b is -H 2); `out` is a haploid sample.
        const [sample, haplotype] = name === 'out' ? ['out', '1'] : [`${name[0]}a${name[0]}b`, name.endsWith('a') ? '1' : '2'];
        const output = run('bcftools', ['consensus', '-f', fastaFile, '-s', sample, '-H', haplotype, `${out}.gz`]).stdout;
        const built = new Map(output.split('>').filter(Boolean).map((entry) => {
          const [contig, ...lines] = entry.trim().split('\n');
          return [contig as string, lines.join('')] as const;
        }));
        for (const [contig, sequence] of byContig) {
          sequences++;
          if (!rebuilt(built.get(contig), sequence)) seedNotRebuilt++;
        }
      }
    }
    notRebuilt += seedNotRebuilt;
    console.log(`seed ${seed}: norm ${counts?.[0]}${withFasta ? `, consensus does not rebuild ${seedNotRebuilt} haplotype sequences` : ''}`);
  }
  console.log(`records ${records}, realigned ${realigned}${withFasta ? `; haplotype sequences not rebuilt ${notRebuilt} of ${sequences}` : ''}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
