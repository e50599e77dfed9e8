// The deletions of one haplotype column a task needs, and the VCF record each becomes (docs/vcf.md,
// "Deletions"). A run is a maximal stretch of `-` cells over consecutive positions. It is written
// anchored on the base before it, moved left while the haplotype's anchor base equals the last
// deleted base (what `bcftools norm -f` does), at POS 1 anchored on the base after it, and after a
// POS gap anchored on the reference FASTA's base (or, without a FASTA, left in the star form). A
// run that can move left up to the haplotype's previous deletion joins it: one deletion (a
// "block"); with a FASTA, over a POS gap's bases too. Blocks join as a stack: one that has grown
// may then join the one before it.
//
// Pure functions over one contig's typed arrays: the rows of the whole contig are readable, so a
// task on rows [from, to) sees runs that begin before `from` or move left across `to`. Runs join
// only inside a group, and which runs are of one group is decided from two runs, the cells
// between them and the runs after them alone (HaplotypeCells.linked), so every task that looks at
// a run places it the same way.

import { HaplotypeCells } from './vcf-haplotype-cells.js';
import { join, MAX_SHIFT, type AlleleCodes, type Block, type ContigColumns, type DeletionRun, type FastaBase } from './vcf-runs.js';

/**
 * The deletions of `column` a task on rows [from, to) needs: those whose runs reach into
 * [from, to] (from the first run of their group on), and those of the groups on to the one that
 * holds the first block after `to` (it may move left into the range; later ones cannot pass it).
 */
export function deletionRuns(
  contig: ContigColumns,
  column: Uint8Array,
  codes: AlleleCodes,
  from: number,
  to: number,
  fasta: FastaBase | undefined,
): DeletionRun[] {
  const out: DeletionRun[] = [];
  if (codes.deletion < 0) return out;
  const h = new HaplotypeCells(contig, column, codes, fasta);
  let p = h.runStart(from, to + MAX_SHIFT + 1);
  if (p < 0 || p > to + MAX_SHIFT) return out;
  let q = h.runEnd(p);
  // Back to the first run of the group: joins happen only between runs of one group (`linked`).
  for (;;) {
    const e = h.previousRunEnd(p);
    if (e < 0 || !h.linked(e, p, q)) break;
    q = e;
    p = h.runStart(e, e + 1);
  }
  // The group's blocks, in order, kept until the group ends: a block that grows may then join
  // the one before it, and that one the one before (a stack).
  const blocks: Block[] = [{ s: p, e: contig.pos[q] as number, c: q, members: [p, q] }];
  let runEnd = q;
  for (;;) {
    const p2 = h.nextRun(runEnd + 1, Math.max(runEnd, to) + MAX_SHIFT + 1);
    const q2 = p2 < 0 ? -1 : h.runEnd(p2);
    if (p2 >= 0 && h.linked(runEnd, p2, q2)) {
      blocks.push({ s: p2, e: contig.pos[q2] as number, c: q2, members: [p2, q2] });
      for (let k = blocks.length - 1; k > 0 && h.passes(blocks[k - 1] as Block, blocks[k] as Block); k--) join(blocks[k - 1] as Block, blocks.pop() as Block, contig.pos);
    } else {
      // The group ends: its blocks are settled. The first after `to` may move left into the range; later ones cannot pass it.
      blocks.forEach((block, k) => out.push(h.place(block, blocks[k - 1])));
      const last = blocks[blocks.length - 1] as Block;
      if (last.s > to || p2 < 0 || p2 > to + MAX_SHIFT) break;
      blocks.length = 0;
      blocks.push({ s: p2, e: contig.pos[q2] as number, c: q2, members: [p2, q2] });
    }
    runEnd = q2;
  }
  return out;
}
