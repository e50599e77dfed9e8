// The alleles of one VCF record whose REF may span several positions (docs/vcf.md, "One record
// per position", "Overlapping events"): each haplotype's allele over the span, from its cell, its
// deletion or its state (Mark) at the row, padded with its own bases, then indexed as REF and ALTs.

import type { AlleleCodes, ContigColumns, DeletionRun } from './vcf-runs.js';
import { inside, type RecordAlleles } from './vcf-spans.js';

/** A haplotype's state at a row, beyond its own cell. */
export const Mark = {
  /** Its cell, as it is. */
  cell: 0,
  /** Inside its deletion written at an earlier record: the spanning-deletion allele `*`. */
  spanned: 1,
  /** Inside a deletion that cannot be written (its anchor is unknown): missing. */
  unknown: 2,
  /** A `-` cell whose deletion was moved left, or a cell the moved deletion passed: the haplotype reads REF here. */
  asRef: 3,
  /** A deletion written in the star form: `*` here, and a record of its own. */
  star: 4,
} as const;

/** One written record: POS, REF, the ALT alleles, and each haplotype's allele index (-1 missing). */
export interface VcfRecord extends RecordAlleles {
  /** Per haplotype column of the VCF: 0 REF, k the k-th ALT, -1 missing. */
  alleles: Int32Array;
}

/**
 * What a record reads of its task's rows besides their cells, worked out for the task
 * (vcf-records.ts `RangeCells`). Methods of one class, not closures made for each task: a closure
 * is a new call target every task, and V8 threw away the code of every function that called one
 * ("wrong call target", `--trace-deopt`) and compiled it again.
 */
export interface RecordCells {
  /** Haplotype h's state (Mark) at `row`. */
  markAt(h: number, row: number): number;
  /** The REF bases of positions fromPos..toPos, read from row `row` on (a row at or before fromPos). */
  refSpan(row: number, fromPos: number, toPos: number): string;
  /** Haplotype h's own bases over positions fromPos..toPos as its records write them (null: unknown), read from row `row` on. */
  ownSpan(h: number, row: number, fromPos: number, toPos: number): string | null;
  /**
   * The haplotypes whose sequence is unknown somewhere in rows `fromRow`.. up to position `toPos`
   * (an `N` cell, or inside a deletion whose anchor is unknown): 1 by haplotype; null when none is.
   * A haplotype that reads REF at a record's first row is missing (`.`) when so: `0` would claim
   * the REF bases there (docs/vcf.md, "Single sites").
   */
  unknownOver(fromRow: number, toPos: number): Uint8Array | null;
  /** The ALT text of a one-row record's allele code, or null when it is written as missing. */
  vcfAlt(code: number): string | null;
}

/** `allele` then the haplotype's own bases after it up to `toPos`; null when either is unknown. */
function padded(allele: string | null, cells: RecordCells, h: number, row: number, fromPos: number, toPos: number): string | null {
  if (allele === null || fromPos > toPos) return allele;
  const rest = cells.ownSpan(h, row, fromPos, toPos);
  return rest === null ? null : allele + rest;
}

/**
 * The record anchored on the FASTA base at `start`, in the POS gap before a row. REF is the FASTA's
 * bases then the rows' REF, up to `last`; a deletion's allele is the anchor base and the haplotype's
 * own bases after it. Other haplotypes read REF there (a position without a row is a reference
 * position), or `*` inside a deletion of theirs that starts further left.
 */
export function gapRecord(
  width: number,
  row: number,
  start: number,
  last: number,
  here: readonly { h: number; run: DeletionRun }[],
  written: readonly DeletionRun[][],
  cells: RecordCells,
): VcfRecord {
  const ref = cells.refSpan(row, start, last);
  const texts = new Array<string | null>(width).fill(ref);
  const unknown = cells.unknownOver(row, last);
  for (let h = 0; h < width; h++) {
    if (inside(written[h] ?? [], start)) texts[h] = '*';
    else if (unknown?.[h] === 1) texts[h] = null;
  }
  for (const { h, run } of here) texts[h] = padded(ref.slice(0, 1), cells, h, row, run.lastPos + 1, last);
  return indexAlleles(start, ref, texts);
}

/** The record starting at `row`, or null when every haplotype reads REF or missing there. */
export function rowRecord(
  contig: ContigColumns,
  codes: AlleleCodes,
  width: number,
  row: number,
  starts: { h: number; run: DeletionRun }[],
  last: number,
  cells: RecordCells,
): VcfRecord | null {
  const at = contig.pos[row] as number;
  const single = last === at;
  const refCode = contig.ref[row] as number;
  // Most rows here are inside some haplotype's deletion and hold nothing else: no record, found
  // before any allele text is made.
  if (starts.length === 0 && !holdsEvent(contig, codes, width, row, cells)) return null;
  const ref = cells.refSpan(row, at, last);
  // A haplotype whose run starts here has its deletion's allele; the others are read from their state and cell.
  const texts = new Array<string | null | undefined>(width);
  for (const { h, run } of starts) texts[h] = padded(run.allele, cells, h, row, run.spanLastPos + 1, last);
  let kept = starts.length > 0;
  // Haplotypes that read REF here, but not over the whole span, are missing.
  const unknown = single ? null : cells.unknownOver(row + 1, last);
  const refOrMissing = (h: number): string | null => (unknown?.[h] === 1 ? null : ref);
  for (let h = 0; h < width; h++) {
    if (texts[h] !== undefined) continue;
    const state = cells.markAt(h, row);
    const code = (contig.haplotypes[h] as Uint8Array)[row] as number;
    if (state === Mark.spanned) texts[h] = '*';
    else if (state === Mark.unknown) texts[h] = null;
    else if (state === Mark.star) {
      texts[h] = '*';
      kept = true;
    } else if (state === Mark.asRef) texts[h] = refOrMissing(h);
    else if (code === codes.missing) texts[h] = null; // before REF: an `N` cell where REF is `N` is missing, as in a row's own record
    else if (code === refCode) texts[h] = refOrMissing(h);
    else {
      kept = true;
      if (single) texts[h] = cells.vcfAlt(code);
      else texts[h] = codes.bases[code] === 1 ? padded(codes.texts[code] as string, cells, h, row, at + 1, last) : null;
    }
  }
  return kept ? indexAlleles(contig.pos[row] as number, ref, texts as (string | null)[]) : null;
}

/** Some haplotype has an allele of its own at `row` (a cell neither REF nor `N`, or a star-form `*`): the rule that keeps a record. */
function holdsEvent(contig: ContigColumns, codes: AlleleCodes, width: number, row: number, cells: RecordCells): boolean {
  const refCode = contig.ref[row] as number;
  for (let h = 0; h < width; h++) {
    const state = cells.markAt(h, row);
    if (state === Mark.star) return true;
    if (state !== Mark.cell) continue;
    const code = (contig.haplotypes[h] as Uint8Array)[row] as number;
    if (code !== refCode && code !== codes.missing) return true;
  }
  return false;
}

/** ALT alleles in order of first appearance over the haplotypes, and each one's index. */
function indexAlleles(pos: number, ref: string, texts: readonly (string | null)[]): VcfRecord {
  const alts: string[] = [];
  const alleles = new Int32Array(texts.length);
  for (let h = 0; h < texts.length; h++) {
    const text = texts[h] as string | null;
    if (text === null) alleles[h] = -1;
    else if (text === ref) alleles[h] = 0;
    else {
      let k = alts.indexOf(text);
      if (k < 0) k = alts.push(text) - 1;
      alleles[h] = k + 1;
    }
  }
  return { pos, ref, alts, alleles };
}
