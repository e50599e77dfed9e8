// Seeded matrices of short repeats with deletions, SNPs, missing cells and POS gaps, and the
// reference FASTA beside them: the cases where deletions move, join and overlap (docs/vcf.md,
// "Deletions"). Used by test/vcf-deletions.test.ts and bench/vcf-repeats.ts.

import { seededRandom } from './helpers.js';

/**
 * Two contigs of homopolymers and short tandem repeats; haplotypes with SNPs, runs of 1-4 `-` (a
 * run starts at a cell at rate `deletions`) and (at `missing`) `N` cells; with `gaps`, positions
 * left out of the matrix at that rate (the FASTA, built from the REF column, has `N` there, or
 * with `gapBases` the REF bases the matrix leaves out).
 */
export function repeatMatrix(seed: number, rows: number, missing = 0, gaps = 0, { deletions = 0.03, gapBases = false } = {}): { matrix: string; fasta: string } {
  const random = seededRandom(seed);
  const pick = (bases: string): string => bases[Math.floor(random() * bases.length)] as string;
  const names = ['1a', '1b', '2a', '2b', '3a', '3b', 'out'];
  const lines = [['CHROM', 'POS', 'REF', ...names].join('\t')];
  let fasta = '';
  for (const contig of ['c1', 'c2']) {
    let ref = '';
    while (ref.length < rows) {
      const r = random();
      if (r < 0.3) ref += pick('ACGT').repeat(1 + Math.floor(random() * 6));
      else if (r < 0.5) ref += (pick('ACGT') + pick('ACGT')).repeat(1 + Math.floor(random() * 4));
      else ref += pick('ACGT');
    }
    ref = ref.slice(0, rows);
    const columns = names.map(() => {
      const cells = [...ref];
      for (let i = 0; i < rows; i++) {
        const r = random();
        if (r < deletions) {
          const length = 1 + Math.floor(random() * 4);
          for (let k = 0; k < length && i + k < rows; k++) cells[i + k] = '-';
          i += length;
        } else if (r < deletions + 0.03) cells[i] = pick('ACGT');
        else if (r < deletions + 0.03 + missing) cells[i] = 'N';
      }
      return cells;
    });
    const kept = [...ref].map(() => gaps === 0 || random() >= gaps);
    fasta += `>${contig}\n${gapBases ? ref : [...ref].map((base, i) => (kept[i] ? base : 'N')).join('')}\n`;
    for (let i = 0; i < rows; i++) if (kept[i]) lines.push([contig, i + 1, ref[i], ...columns.map((cells) => cells[i])].join('\t'));
  }
  return { matrix: lines.join('\n') + '\n', fasta };
}
