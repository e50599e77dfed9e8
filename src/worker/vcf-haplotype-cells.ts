// One haplotype column read for deletions (docs/vcf.md, "Deletions"): where its runs are, which
// runs are of one group and may join, and where a block of runs is written (anchored, moved left
// as `bcftools norm -f` would move it, at POS 1, after a POS gap, or in the star form).

import { baseCode, join, MAX_SHIFT, RunForm, type AlleleCodes, type Block, type ContigColumns, type DeletionRun, type FastaBase } from './vcf-runs.js';

/**
 * One haplotype column read for deletions. Positions the matrix has no row for (POS gaps) read as
 * cells too when a FASTA is given: the FASTA's base, which every haplotype reads there (docs/vcf.md,
 * "Positions not in the matrix"); without a FASTA they are unknown, and nothing moves over them.
 */

/** Bytes `nextRun` may scan past its limit rather than make a view that ends there. */
const SCAN_PAST_END = 4096;
export class HaplotypeCells {
  private readonly pos: Int32Array;
  private readonly ref: Uint8Array;
  private readonly n: number;

  constructor(
    contig: ContigColumns,
    private readonly column: Uint8Array,
    private readonly codes: AlleleCodes,
    private readonly fasta: FastaBase | undefined,
  ) {
    this.pos = contig.pos;
    this.ref = contig.ref;
    this.n = column.length;
  }

  /** A `-` cell deletes its base unless REF is `-` too (then it is the REF allele). */
  deleted(row: number): boolean {
    return this.column[row] === this.codes.deletion && this.ref[row] !== this.codes.deletion;
  }

  /** Rows `row - 1` and `row` are consecutive positions. */
  private follows(row: number): boolean {
    return row > 0 && this.pos[row] === (this.pos[row - 1] as number) + 1;
  }

  /** The FASTA's base at a position without a row, as a byte of A C G T, or 0 (no FASTA, `N`). */
  private gapBase(position: number): number {
    return this.fasta ? baseCode(this.fasta(position)) : 0;
  }

  /** The last row at or before `position`, looked for from `row` down. */
  private rowAt(position: number, row: number): number {
    while (row >= 0 && (this.pos[row] as number) > position) row--;
    return row;
  }

  /** The REF base at `position` (row `row` when it holds it, else a gap's FASTA base), or 0. */
  private refBase(position: number, row: number): number {
    return row >= 0 && this.pos[row] === position ? (this.codes.base[this.ref[row] as number] as number) : this.gapBase(position);
  }

  /** The haplotype's base at `position` (its cell at row `row` when it holds it, else a gap's FASTA base), or 0. */
  private ownBase(position: number, row: number): number {
    return row >= 0 && this.pos[row] === position ? (this.codes.base[this.column[row] as number] as number) : this.gapBase(position);
  }

  /** First row of the run holding `row`, else of the first run starting in (row, limit) (-1: none). */
  runStart(row: number, limit: number): number {
    if (row < this.n && this.deleted(row)) {
      while (row > 0 && this.deleted(row - 1) && this.follows(row)) row--;
      return row;
    }
    return this.nextRun(row, limit);
  }

  /**
   * First row of the first run starting in [row, limit), or -1. Never reads past `limit`: a task
   * looks only so far, so that a column without `-` costs each task its own rows, not the rest of
   * the contig.
   */
  nextRun(row: number, limit: number): number {
    const end = Math.min(limit, this.n);
    const { deletion } = this.codes;
    // The engine's own scan for the byte, then the REF check (a `-` REF makes a `-` cell REF). The
    // scan runs to the end of what it is given: a view that ends at `end` when the column runs on
    // far past it; the column itself when it ends soon after (a small contig's, where a view per
    // column and task cost more than the scan).
    const cells = this.column.length - end > SCAN_PAST_END ? this.column.subarray(0, end) : this.column;
    for (let r = row; r < end; r++) {
      r = cells.indexOf(deletion, r);
      if (r < 0 || r >= end) return -1;
      if (this.ref[r] !== deletion) return r;
    }
    return -1;
  }

  /** Last row of the run starting at `p`. */
  runEnd(p: number): number {
    let q = p;
    while (q + 1 < this.n && this.deleted(q + 1) && this.follows(q + 1)) q++;
    return q;
  }

  /** Last row of the run before row `p`, when at most MAX_SHIFT positions of single bases lie between; else -1. */
  previousRunEnd(p: number): number {
    let row = p - 1;
    for (let a = (this.pos[p] as number) - 1, kept = 0; a >= 1 && kept <= MAX_SHIFT; a--, kept++) {
      row = this.rowAt(a, row);
      if (row >= 0 && this.pos[row] === a && this.deleted(row)) return row;
      if (this.ownBase(a, row) === 0) return -1;
    }
    return -1;
  }

  /**
   * The runs ending at row `q1` and starting at row `p2` (ending at `q2`) are of one group, in
   * which blocks may join: the run can move left over the haplotype's own bases between them, or
   * the block of it and the runs that join it after it (within MAX_SHIFT positions) can
   * (docs/vcf.md, "Row ranges and ownership"). Decided from these runs and the cells between and
   * after them alone.
   */
  linked(q1: number, p2: number, q2: number): boolean {
    const m = (this.pos[p2] as number) - 1 - (this.pos[q1] as number);
    if (m < 1 || m > MAX_SHIFT) return false;
    if (this.moves(q1, p2, this.pos[q2] as number, q2)) return true;
    // Only over single bases can a longer block move: most runs stop here, before the runs after them are read.
    for (let a = (this.pos[p2] as number) - 1, row = p2 - 1; a > (this.pos[q1] as number); a--) if (this.ownBase(a, (row = this.rowAt(a, row))) === 0) return false;
    // The runs after it are read up to MAX_SHIFT positions on, so that deciding a group costs no
    // more than that whatever the runs' chain.
    const block: Block = { s: p2, e: this.pos[q2] as number, c: q2, members: [] };
    for (;;) {
      const p3 = this.nextRun(block.c + 1, block.c + MAX_SHIFT + 2);
      if (p3 < 0 || (this.pos[p3] as number) - (this.pos[p2] as number) > MAX_SHIFT) break;
      const q3 = this.runEnd(p3);
      const run: Block = { s: p3, e: this.pos[q3] as number, c: q3, members: [] };
      if (!this.passes(block, run)) break;
      join(block, run, this.pos);
    }
    return block.c !== q2 && this.moves(q1, p2, block.e, this.rowAt(block.e, block.c));
  }

  /**
   * A deletion starting at row `p2` whose last deleted position is `last` (row `lastRow` at or
   * before it) can move left over the positions between it and row `q1` (the haplotype's own bases).
   */
  private moves(q1: number, p2: number, last: number, lastRow: number): boolean {
    const p = this.pos[p2] as number;
    const m = p - 1 - (this.pos[q1] as number);
    if (m < 1 || m > MAX_SHIFT) return false;
    let own = p2 - 1;
    let ref = lastRow;
    for (let j = 0; j < m; j++) {
      own = this.rowAt(p - 1 - j, own);
      ref = this.rowAt(last - j, ref);
      const x = this.ownBase(p - 1 - j, own);
      if (x === 0 || x !== this.refBase(last - j, ref)) return false;
    }
    return true;
  }

  /** Block `later`'s deletion can move left up to `block`'s deleted positions, over the bases the block left (its cells read REF). */
  passes(block: Block, later: Block): boolean {
    const p = this.pos[later.s] as number;
    const q = later.e;
    const cellEnd = this.pos[block.c] as number;
    const m = p - 1 - block.e;
    if (m < 1 || m > MAX_SHIFT) return false;
    let own = later.s - 1;
    let ref = this.rowAt(q, later.c);
    for (let j = 0; j < m; j++) {
      const a = p - 1 - j;
      own = this.rowAt(a, own);
      ref = this.rowAt(q - j, ref);
      const x = a <= cellEnd ? this.refBase(a, own) : this.ownBase(a, own);
      if (x === 0 || x !== this.refBase(q - j, ref)) return false;
    }
    return true;
  }

  /** The haplotype's allele code at `row`, given the block before (its deleted positions give -1). */
  private view(row: number, previous: Block | undefined): number {
    if (previous && row >= previous.s && row <= previous.c) return (this.pos[row] as number) <= previous.e ? -1 : (this.ref[row] as number);
    return this.column[row] as number;
  }

  /** Where a block is written (VCF's rules; docs/vcf.md, "Anchoring"). */
  place(block: Block, previous: Block | undefined): DeletionRun {
    const { pos, codes, fasta } = this;
    const { s, e, c, members } = block;
    const p0 = pos[s] as number;
    const lastRow = this.rowAt(e, c);
    // One object per deletion, its fields set below (every deletion has the same shape).
    const run: DeletionRun = { form: RunForm.star, first: s, last: lastRow, cellFirst: s, cellLast: c, members, recordRow: s, recordPos: p0, spanLastPos: e, allele: null, lastPos: e };
    // An anchor is known when it is bases; an `N` anchor writes the allele `N` (docs/vcf.md, "Anchoring"),
    // unless the last deleted REF base is `N` too (bcftools norm would trim that common `N`).
    const lastRefN = pos[lastRow] === e ? this.ref[lastRow] === codes.missing : fasta?.(e) === 'N';
    const known = (code: number): boolean => code >= 0 && codes.bases[code] === 1 && (code !== codes.missing || !lastRefN);
    if (this.follows(s) && !known(this.view(s - 1, previous))) {
      run.form = RunForm.unknown;
      run.recordRow = s - 1;
      run.recordPos = p0 - 1;
      return run;
    }
    if (!this.follows(s) && p0 === 1) {
      // VCF: a deletion at the contig's first base keeps the base after it: a row's (REF when the
      // block's cells reach it), or the FASTA's when that position is not in the matrix.
      const after = lastRow + 1;
      let allele: string | null = null;
      if (after < this.n && pos[after] === e + 1) {
        const code = after <= c ? (this.ref[after] as number) : (this.column[after] as number);
        if (!known(code)) {
          run.form = RunForm.unknown;
          return run;
        }
        allele = codes.texts[code] as string;
      } else {
        const next = this.gapBase(e + 1);
        if (next !== 0) allele = String.fromCharCode(next);
      }
      if (allele !== null) {
        run.form = RunForm.first;
        run.spanLastPos = e + 1;
        run.allele = allele;
      }
      return run;
    }
    if (!this.follows(s) && fasta?.(p0 - 1) === undefined) return run;
    this.moveLeft(block, previous, run);
    return run;
  }

  /**
   * Moves a block's deletion left one position at a time while the anchor base equals the last
   * deleted REF base (the haplotype then reads the same), at most MAX_SHIFT times: over rows while
   * the haplotype's anchor cell is one base, onto the haplotype's own `N` (which then anchors it:
   * bcftools norm, which sees REF alone, would move it on), and, with a FASTA, into a POS gap
   * before them (whose positions every haplotype reads as REF), and out of the gap onto rows again
   * (the rows' own cells anchor, as before). It stops at POS 1. Without a FASTA, a deletion that
   * would move into a gap has an unknown place: `run` is left in the star form. Sets `run`.
   */
  private moveLeft(block: Block, previous: Block | undefined, run: DeletionRun): void {
    const { pos, codes, fasta } = this;
    const { s, e, c } = block;
    /** The anchor: a row, or (virtual) the position `anchorPos` of a gap that ends at row `gapRow`. */
    let anchorRow = this.follows(s) ? s - 1 : -1;
    let gapRow = anchorRow < 0 ? s : -1;
    let anchorPos = (pos[s] as number) - 1;
    let lastPos = e;
    /** The row at or before the last deleted position. */
    let lastRow = this.rowAt(e, c);
    const refBase = (position: number): number => this.refBase(position, (lastRow = this.rowAt(position, lastRow)));
    /** A gap position inside the previous block's deletion (never reached: the block would have joined it). */
    const deletedBefore = (position: number): boolean => previous !== undefined && position >= (pos[previous.s] as number) && position <= previous.e;
    for (let shifted = 0; shifted < MAX_SHIFT; shifted++) {
      const x = anchorRow >= 0 ? (codes.base[this.view(anchorRow, previous)] ?? 0) : deletedBefore(anchorPos) ? 0 : this.gapBase(anchorPos);
      if (x === 0 || x !== refBase(lastPos)) break;
      const next = anchorPos - 1;
      if (next < 1) break;
      const rowBefore = anchorRow >= 0 ? anchorRow - 1 : gapRow - 1;
      if (rowBefore >= 0 && pos[rowBefore] === next) {
        // Onto a row (from the row after it, or out of a gap): the haplotype's own cell anchors.
        const before = this.view(rowBefore, previous);
        if (before === codes.missing && refBase(lastPos - 1) !== 0) {
          // Onto the haplotype's `N`: the deletion's allele is that `N`, and it moves no further.
          anchorRow = rowBefore;
          anchorPos = next;
          lastPos--;
          break;
        }
        if ((codes.base[before] ?? 0) === 0) break;
        anchorRow = rowBefore;
      } else {
        // Into (or on in) a gap: the FASTA's base, even N (as bcftools norm pads).
        if (!fasta) return;
        if (fasta(next) === undefined) break;
        if (anchorRow >= 0) gapRow = anchorRow;
        anchorRow = -1;
      }
      anchorPos = next;
      lastPos--;
    }
    // The rows deleted as written: after the anchor, up to the last deleted position (none when only gap positions are).
    const first = anchorRow >= 0 ? anchorRow + 1 : gapRow;
    let last = first - 1;
    while (last + 1 < this.n && (pos[last + 1] as number) <= lastPos) last++;
    run.first = first;
    run.last = last;
    run.recordPos = anchorPos;
    run.spanLastPos = lastPos;
    run.lastPos = lastPos;
    if (anchorRow >= 0) {
      run.form = RunForm.anchored;
      run.recordRow = anchorRow;
      run.allele = codes.texts[this.view(anchorRow, previous)] as string;
    } else {
      // Anchored in the gap before row `gapRow`, on the FASTA's base.
      run.form = RunForm.gap;
      run.recordRow = gapRow;
      run.allele = fasta?.(anchorPos) ?? 'N';
    }
  }
}
