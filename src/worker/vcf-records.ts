// VCF records of the rows a task owns, with deletions as anchored indels (docs/vcf.md). Pure:
// reads one contig's typed arrays and the allele tables, returns what to write.
//
// Ownership: a record belongs to the range holding its POS row (a record anchored in a POS gap,
// to the range holding the first row after the gap). A task therefore reads rows outside its range: back
// to the start of a run it is inside, and up to MAX_SHIFT rows ahead for a run moving left into it.
//
// Rows no deletion touches (no `-` cell, no deleted or anchoring row) are left to the caller's
// single-row encoder; `touched` marks the others, and `records` holds what they become.

import { deletionRuns, RunForm, type AlleleCodes, type ContigColumns, type DeletionRun, type FastaBase } from './vcf-deletions.js';

/** A haplotype's state at a row, beyond its own cell. */
const Mark = {
  /** Its cell, as it is. */
  cell: 0,
  /** Inside its deletion written at an earlier record: the spanning-deletion allele `*`. */
  spanned: 1,
  /** Inside a deletion that cannot be written (its anchor is unknown): missing. */
  unknown: 2,
  /** A `-` cell whose deletion was moved left: the haplotype reads REF here. */
  asRef: 3,
  /** A deletion written in the star form: `*` here, and a record of its own. */
  star: 4,
} as const;

/** One written record: POS, REF, the ALT alleles, and each haplotype's allele index (-1 missing). */
export interface VcfRecord {
  pos: number;
  ref: string;
  alts: string[];
  /** Per haplotype column of the VCF: 0 REF, k the k-th ALT, -1 missing. */
  alleles: Int32Array;
}

/** What a task's rows become. */
export interface RangeRecords {
  /** Rows [from, to) as offsets from `from`: 1 when `records` decides the row (or drops it). */
  touched: Uint8Array;
  /** Records of touched rows, in order; a gap-anchored record comes right before its row's. */
  records: { row: number; record: VcfRecord }[];
  /** Runs written in the star form because their anchor base is unknown, counted where they start. */
  starRuns: number;
}

/** The records of rows [from, to) of one contig whose deletions are written as indels. */
export function rangeRecords(
  contig: ContigColumns,
  codes: AlleleCodes,
  from: number,
  to: number,
  fasta: FastaBase | undefined,
  vcfAlt: (code: number) => string | null,
): RangeRecords {
  const width = contig.haplotypes.length;
  const rows = to - from;
  const touched = new Uint8Array(rows);
  let marks: Uint8Array | undefined;
  /** Events by record row; gap-anchored ones apart, as they precede their row's record. */
  const events = new Map<number, { h: number; run: DeletionRun }[]>();
  const gapEvents = new Map<number, { h: number; run: DeletionRun }[]>();
  /** Each haplotype's written deletions, in order of POS: a gap record inside one gives it `*`. */
  const written: DeletionRun[][] = [];
  let starRuns = 0;
  const mark = (h: number, row: number, value: number): void => {
    if (row < from || row >= to) return;
    marks ??= new Uint8Array(width * rows);
    marks[h * rows + row - from] = value;
    touched[row - from] = 1;
  };
  for (let h = 0; h < width; h++) {
    const column = contig.haplotypes[h] as Uint8Array;
    const own: DeletionRun[] = (written[h] = []);
    for (const run of deletionRuns(contig, column, codes, from, to, fasta)) {
      if (run.form === RunForm.star) {
        for (let k = 0; k < run.members.length; k += 2) {
          const [first, last] = [run.members[k] as number, run.members[k + 1] as number];
          if (first >= from && first < to) starRuns++;
          for (let r = first; r <= last; r++) mark(h, r, Mark.star);
        }
        continue;
      }
      const spanned = run.form === RunForm.unknown ? Mark.unknown : Mark.spanned;
      for (let r = run.cellFirst; r <= run.cellLast; r++) mark(h, r, Mark.asRef);
      for (let r = run.first; r <= run.last; r++) mark(h, r, spanned);
      if (run.form === RunForm.unknown) continue;
      own.push(run);
      if (run.recordRow < from || run.recordRow >= to) continue;
      const byRow = run.form === RunForm.gap ? gapEvents : events;
      const list = byRow.get(run.recordRow) ?? [];
      list.push({ h, run });
      byRow.set(run.recordRow, list);
      touched[run.recordRow - from] = 1;
    }
  }
  const records: { row: number; record: VcfRecord }[] = [];
  if (!marks && events.size === 0 && gapEvents.size === 0) return { touched, records, starRuns };
  const markAt = (h: number, row: number): number => (marks ? (marks[h * rows + row - from] as number) : Mark.cell);
  const { pos } = contig;
  const refSpan: RefSpan = (row, fromPos, toPos) => {
    // The REF bases of positions fromPos..toPos: a row's REF, or in a POS gap the FASTA's base.
    while (row < pos.length && (pos[row] as number) < fromPos) row++;
    let text = '';
    for (let p = fromPos; p <= toPos; p++) {
      if (row < pos.length && pos[row] === p) text += codes.refTexts[contig.ref[row++] as number] as string;
      else text += fasta?.(p) ?? 'N';
    }
    return text;
  };
  for (let row = from; row < to; row++) {
    if (touched[row - from] === 0) continue;
    const gap = gapEvents.get(row);
    if (gap) for (const record of gapRecords(width, row, gap, written, refSpan)) records.push({ row, record });
    const record = rowRecord(contig, codes, width, row, events.get(row) ?? [], markAt, refSpan, vcfAlt);
    if (record) records.push({ row, record });
  }
  return { touched, records, starRuns };
}

/** The REF bases of positions fromPos..toPos, read from row `row` on (a row at or before fromPos). */
type RefSpan = (row: number, fromPos: number, toPos: number) => string;

/**
 * The records anchored on FASTA bases in the POS gap before a row, one per POS. REF is the FASTA's
 * bases then the rows' REF, as long as the longest deletion; a deletion's allele is the anchor base
 * and the REF after it. Other haplotypes read REF there (a position without a row is a reference
 * position), or `*` inside a deletion of theirs that starts further left.
 */
function gapRecords(width: number, row: number, gap: readonly { h: number; run: DeletionRun }[], written: readonly DeletionRun[][], refSpan: RefSpan): VcfRecord[] {
  const starts = [...new Set(gap.map((event) => event.run.recordPos))].sort((x, y) => x - y);
  return starts.map((start) => {
    const here = gap.filter((event) => event.run.recordPos === start);
    const longest = here.reduce((a, b) => (b.run.lastPos > a.run.lastPos ? b : a));
    const ref = refSpan(row, start, longest.run.lastPos);
    const texts = new Array<string | null>(width).fill(ref);
    for (let h = 0; h < width; h++) if (inside(written[h] ?? [], start)) texts[h] = '*';
    for (const { h, run } of here) texts[h] = ref.slice(0, 1) + ref.slice(1 + run.lastPos - start);
    return indexAlleles(start, ref, texts);
  });
}

/** Some deletion of `runs` (in order of POS) was written before `position` and deletes it. */
function inside(runs: readonly DeletionRun[], position: number): boolean {
  // The last run written before `position`, by halving: runs do not overlap, so it is the only candidate.
  let low = 0;
  let high = runs.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((runs[middle] as DeletionRun).recordPos < position) low = middle + 1;
    else high = middle;
  }
  const run = runs[low - 1];
  return run !== undefined && run.lastPos >= position;
}

/** The record starting at `row`, or null when every haplotype reads REF or missing there. */
function rowRecord(
  contig: ContigColumns,
  codes: AlleleCodes,
  width: number,
  row: number,
  starts: { h: number; run: DeletionRun }[],
  markAt: (h: number, row: number) => number,
  refSpan: RefSpan,
  vcfAlt: (code: number) => string | null,
): VcfRecord | null {
  const at = contig.pos[row] as number;
  let last = at;
  for (const { run } of starts) last = Math.max(last, run.spanLastPos);
  const single = last === at;
  const refCode = contig.ref[row] as number;
  const ref = refSpan(row, at, last);
  const own = new Array<DeletionRun | undefined>(width);
  for (const { h, run } of starts) own[h] = run;
  const texts = new Array<string | null>(width);
  let kept = starts.length > 0;
  for (let h = 0; h < width; h++) {
    const run = own[h];
    if (run) {
      texts[h] = (run.allele as string) + (run.spanLastPos < last ? refSpan(row, run.spanLastPos + 1, last) : '');
      continue;
    }
    const state = markAt(h, row);
    const code = (contig.haplotypes[h] as Uint8Array)[row] as number;
    if (state === Mark.spanned) texts[h] = '*';
    else if (state === Mark.unknown) texts[h] = null;
    else if (state === Mark.star) {
      texts[h] = '*';
      kept = true;
    } else if (state === Mark.asRef || code === refCode) texts[h] = ref;
    else if (code === codes.missing) texts[h] = null;
    else {
      kept = true;
      if (single) texts[h] = vcfAlt(code);
      else texts[h] = codes.bases[code] === 1 ? (codes.texts[code] as string) + refSpan(row, at + 1, last) : null;
    }
  }
  return kept ? indexAlleles(contig.pos[row] as number, ref, texts) : null;
}

/** ALT alleles in order of first appearance over the haplotypes, and each one's index. */
function indexAlleles(pos: number, ref: string, texts: readonly (string | null)[]): VcfRecord {
  const alts: string[] = [];
  const alleles = new Int32Array(texts.length);
  texts.forEach((text, h) => {
    if (text === null) alleles[h] = -1;
    else if (text === ref) alleles[h] = 0;
    else {
      let k = alts.indexOf(text);
      if (k < 0) k = alts.push(text) - 1;
      alleles[h] = k + 1;
    }
  });
  return { pos, ref, alts, alleles };
}
