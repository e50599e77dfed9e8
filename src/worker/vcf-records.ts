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
  /** A `-` cell whose deletion was moved left, or a cell the moved deletion passed: the haplotype reads REF here. */
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
  const touched = new Uint8Array(to - from);
  /** Events by record row; gap-anchored ones apart, as they precede their row's record. */
  const events = new Map<number, { h: number; run: DeletionRun }[]>();
  const gapEvents = new Map<number, { h: number; run: DeletionRun }[]>();
  /** Each haplotype's deletions, in order of POS: a record inside one gives it `*`. */
  const written: DeletionRun[][] = [];
  const runs = contig.haplotypes.map((column) => deletionRuns(contig, column, codes, from, to, fasta));
  /** Runs are known for rows before `fetchedTo` (and the first run after it); `fetch` learns more. */
  let fetchedTo = to;
  const fetch = (end: number): void => {
    if (end <= fetchedTo) return;
    runs.forEach((list, h) => {
      const seen = list.length > 0 ? (list[list.length - 1] as DeletionRun).cellLast : -1;
      for (const run of deletionRuns(contig, contig.haplotypes[h] as Uint8Array, codes, fetchedTo, end, fasta)) if (run.cellFirst > seen) list.push(run);
    });
    fetchedTo = end;
  };
  let starRuns = 0;
  /** Each haplotype's state (Mark) at rows [markFrom, markTo), when some row has one. */
  const markStates = (markFrom: number, markTo: number, count: boolean): Uint8Array | undefined => {
    const rows = markTo - markFrom;
    let marks: Uint8Array | undefined;
    const mark = (h: number, row: number, value: number): void => {
      if (row < markFrom || row >= markTo) return;
      marks ??= new Uint8Array(width * rows);
      marks[h * rows + row - markFrom] = value;
      if (count) touched[row - from] = 1;
    };
    runs.forEach((list, h) => {
      for (const run of list) {
        if (run.form === RunForm.star) {
          for (let k = 0; k < run.members.length; k += 2) {
            const [first, last] = [run.members[k] as number, run.members[k + 1] as number];
            if (count && first >= from && first < to) starRuns++;
            for (let r = first; r <= last; r++) mark(h, r, Mark.star);
          }
          continue;
        }
        const spanned = run.form === RunForm.unknown ? Mark.unknown : Mark.spanned;
        // Cells a moved deletion passed read REF (each equals the REF base it lands on), as its `-` cells do.
        for (let r = Math.min(run.cellFirst, run.last + 1); r <= run.cellLast; r++) mark(h, r, Mark.asRef);
        for (let r = run.first; r <= run.last; r++) mark(h, r, spanned);
      }
    });
    return marks;
  };
  const marks = markStates(from, to, true);
  runs.forEach((list, h) => {
    const own: DeletionRun[] = (written[h] = []);
    for (const run of list) {
      if (run.form === RunForm.star || run.form === RunForm.unknown) continue;
      own.push(run);
      if (run.recordRow < from || run.recordRow >= to) continue;
      const byRow = run.form === RunForm.gap ? gapEvents : events;
      const list = byRow.get(run.recordRow) ?? [];
      list.push({ h, run });
      byRow.set(run.recordRow, list);
      touched[run.recordRow - from] = 1;
    }
  });
  const records: { row: number; record: VcfRecord }[] = [];
  if (!marks && events.size === 0 && gapEvents.size === 0) return { touched, records, starRuns };
  const { pos } = contig;
  let tail: Uint8Array | undefined;
  let tailTo = to;
  const markAt = (h: number, row: number): number => {
    if (row < to) return marks ? (marks[h * (to - from) + row - from] as number) : Mark.cell;
    return tail && row < tailTo ? (tail[h * (tailTo - to) + row - to] as number) : Mark.cell;
  };
  // A record's span closes over the events of its haplotypes that carry an allele other than REF:
  // a deletion of theirs that starts inside it and ends after it lengthens it (docs/vcf.md,
  // "Overlapping events"), so that their allele holds all of their sequence over the span.
  /** Closed spans by record: a row's (key: the row) and a gap's (key: `-1 - POS`). */
  const spans = new Map<number, Span>();
  const close = (key: number, row: number, at: number, base: number, carriers: Set<number>): void => {
    let last = base;
    for (let grown = true; grown; ) {
      grown = false;
      let lastRow = row;
      while (lastRow + 1 < pos.length && (pos[lastRow + 1] as number) <= last) lastRow++;
      fetch(lastRow + 1);
      tailTo = Math.max(tailTo, lastRow + 1);
      for (const h of carriers) {
        const end = overrun(runs[h] as DeletionRun[], pos, at, last);
        if (end > last) {
          last = end;
          grown = true;
        }
      }
    }
    spans.set(key, { base, closed: last, carriers });
  };
  for (const [row, starts] of events) {
    const at = pos[row] as number;
    let last = at;
    for (const { run } of starts) last = Math.max(last, run.spanLastPos);
    if (last === at) continue;
    const carriers = new Set(starts.map((event) => event.h));
    contig.haplotypes.forEach((column, h) => {
      const code = column[row] as number;
      if (markAt(h, row) === Mark.cell && code !== contig.ref[row] && code !== codes.missing && codes.bases[code] === 1) carriers.add(h);
    });
    close(row, row, at, last, carriers);
  }
  for (const [row, gap] of gapEvents) {
    for (const { run } of gap) {
      const here = gap.filter((event) => event.run.recordPos === run.recordPos);
      const last = Math.max(...here.map((event) => event.run.lastPos));
      close(-1 - run.recordPos, row, run.recordPos, last, new Set(here.map((event) => event.h)));
    }
  }
  if (tailTo > to) {
    fetch(tailTo);
    tail = markStates(to, tailTo, false);
  }
  runs.forEach((list, h) => (written[h] = list.filter((run) => run.form !== RunForm.star && run.form !== RunForm.unknown)));
  /** Row `r` has no record: every cell is REF or `N`, and no deletion is written from it. */
  const quiet = (r: number): boolean => {
    const refCode = contig.ref[r] as number;
    for (let h = 0; h < width; h++) {
      const state = markAt(h, r);
      const code = (contig.haplotypes[h] as Uint8Array)[r] as number;
      if (state === Mark.star || (state === Mark.cell && code !== refCode && code !== codes.missing)) return false;
    }
    return written.every((list) => !list.some((run) => run.recordRow === r));
  };
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
  const ownSpan: OwnSpan = (h, row, fromPos, toPos) => {
    // The haplotype's own bases over fromPos..toPos, as its records write them: deleted positions
    // left out, REF where a moved deletion left its cells, `N` as `N`; null when one is unknown.
    while (row < pos.length && (pos[row] as number) < fromPos) row++;
    const column = contig.haplotypes[h] as Uint8Array;
    let text = '';
    for (let p = fromPos; p <= toPos; p++) {
      if (row < pos.length && pos[row] === p) {
        const state = markAt(h, row);
        const code = column[row] as number;
        const refCode = contig.ref[row++] as number;
        if (state === Mark.spanned || state === Mark.star) continue;
        if (state === Mark.unknown) return null;
        if (state === Mark.asRef || code === refCode) text += codes.refTexts[refCode] as string;
        else if (codes.bases[code] === 1) text += codes.texts[code] as string;
        else return null;
      } else if (!inside(written[h] ?? [], p)) text += fasta?.(p) ?? 'N';
    }
    return text;
  };
  /** `record` (starting at `row`) trimmed as bcftools norm trims it, or undefined when that is not safe (see above). */
  const trimmed = (record: VcfRecord, row: number | undefined, carriers: ReadonlySet<number>): VcfRecord | undefined => {
    let alleles = [record.ref, ...record.alts];
    let at = record.pos;
    const shared = (end: boolean): boolean => {
      const base = (allele: string): string | undefined => (end ? allele[allele.length - 1] : allele[0]);
      return alleles.every((allele) => allele.length > 1 && base(allele) === base(alleles[0] as string));
    };
    while (shared(true)) alleles = alleles.map((allele) => allele.slice(0, -1));
    while (shared(false)) {
      alleles = alleles.map((allele) => allele.slice(1));
      at++;
    }
    const result = { ...record, pos: at, ref: alleles[0] as string, alts: alleles.slice(1) };
    if (!normLeaves(result)) return undefined;
    // A gap's record (no row) keeps its POS: other records of the gap may follow it.
    for (let k = 1; k <= at - record.pos; k++) if (row === undefined || pos[row + k] !== record.pos + k || !quiet(row + k)) return undefined;
    // Past the trimmed end every carrier reads REF in the closed allele; an event of one that
    // starts there would be applied again.
    const last = at + result.ref.length - 1;
    const closedLast = record.pos + record.ref.length - 1;
    for (const h of carriers) if ((runs[h] as DeletionRun[]).some((run) => run.form !== RunForm.unknown && runStart(pos, run) > last && runStart(pos, run) <= closedLast)) return undefined;
    return result;
  };
  for (let row = from; row < to; row++) {
    if (touched[row - from] === 0) continue;
    const gap = gapEvents.get(row);
    if (gap) {
      for (const start of [...new Set(gap.map((event) => event.run.recordPos))].sort((x, y) => x - y)) {
        const here = gap.filter((event) => event.run.recordPos === start);
        const span = spans.get(-1 - start) as Span;
        const record = gapRecord(width, row, start, span.closed, here, written, refSpan, ownSpan);
        const settled = span.closed > span.base && !normLeaves(record) ? (trimmed(record, undefined, span.carriers) ?? gapRecord(width, row, start, span.base, here, written, refSpan, ownSpan)) : record;
        records.push({ row, record: settled });
      }
    }
    const starts = events.get(row) ?? [];
    const span = spans.get(row);
    let record = rowRecord(contig, codes, width, row, starts, span?.closed ?? (pos[row] as number), markAt, refSpan, ownSpan, vcfAlt);
    if (record && span && span.closed > span.base && !normLeaves(record)) {
      // A closed span whose alleles all end (or all begin) with the same base: trimmed as bcftools
      // norm would trim it, when that cuts no carrier's event and moves onto rows without a record
      // of their own. Otherwise the span is left open, and the carriers' later events are records
      // consensus skips (docs/vcf.md, "Overlapping events").
      record = trimmed(record, row, span.carriers) ?? rowRecord(contig, codes, width, row, starts, span.base, markAt, refSpan, ownSpan, vcfAlt);
    }
    if (record) records.push({ row, record });
  }
  return { touched, records, starRuns };
}

/** A record's span: the last position its events reach, and that position closed over its carriers' events. */
interface Span {
  base: number;
  closed: number;
  /** The haplotypes whose allele is not REF: the record's deletions and the SNPs at its POS. */
  carriers: Set<number>;
}

/** The REF bases of positions fromPos..toPos, read from row `row` on (a row at or before fromPos). */
type RefSpan = (row: number, fromPos: number, toPos: number) => string;

/** Haplotype h's own bases over positions fromPos..toPos as its records write them (null: unknown), read from row `row` on. */
type OwnSpan = (h: number, row: number, fromPos: number, toPos: number) => string | null;

/** `allele` then the haplotype's own bases after it up to `toPos`; null when either is unknown. */
function padded(allele: string | null, ownSpan: OwnSpan, h: number, row: number, fromPos: number, toPos: number): string | null {
  if (allele === null || fromPos > toPos) return allele;
  const rest = ownSpan(h, row, fromPos, toPos);
  return rest === null ? null : allele + rest;
}

/**
 * The record anchored on the FASTA base at `start`, in the POS gap before a row. REF is the FASTA's
 * bases then the rows' REF, up to `last`; a deletion's allele is the anchor base and the haplotype's
 * own bases after it. Other haplotypes read REF there (a position without a row is a reference
 * position), or `*` inside a deletion of theirs that starts further left.
 */
function gapRecord(
  width: number,
  row: number,
  start: number,
  last: number,
  here: readonly { h: number; run: DeletionRun }[],
  written: readonly DeletionRun[][],
  refSpan: RefSpan,
  ownSpan: OwnSpan,
): VcfRecord {
  const ref = refSpan(row, start, last);
  const texts = new Array<string | null>(width).fill(ref);
  for (let h = 0; h < width; h++) if (inside(written[h] ?? [], start)) texts[h] = '*';
  for (const { h, run } of here) texts[h] = padded(ref.slice(0, 1), ownSpan, h, row, run.lastPos + 1, last);
  return indexAlleles(start, ref, texts);
}

/** Where a run's records start: its record's POS; for the star form, the position before its first `-`. */
function runStart(pos: Int32Array, run: DeletionRun): number {
  return run.form === RunForm.star ? (pos[run.members[0] as number] as number) - 1 : run.recordPos;
}

/**
 * The last position deleted by a run of `runs` (one haplotype's, in order) that starts after
 * position `at` and at or before `last`, when it is after `last`; else `last`.
 */
function overrun(runs: readonly DeletionRun[], pos: Int32Array, at: number, last: number): number {
  let low = 0;
  let high = runs.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((runs[middle] as DeletionRun).lastPos <= at) low = middle + 1;
    else high = middle;
  }
  let end = last;
  for (let k = low; k < runs.length; k++) {
    const run = runs[k] as DeletionRun;
    if (run.form === RunForm.unknown) continue;
    const start = runStart(pos, run);
    if (start > last) break;
    const runEnd = run.form === RunForm.star ? (pos[run.members[run.members.length - 1] as number] as number) : run.lastPos;
    if (start > at && runEnd > end) end = runEnd;
  }
  return end;
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
  last: number,
  markAt: (h: number, row: number) => number,
  refSpan: RefSpan,
  ownSpan: OwnSpan,
  vcfAlt: (code: number) => string | null,
): VcfRecord | null {
  const at = contig.pos[row] as number;
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
      texts[h] = padded(run.allele, ownSpan, h, row, run.spanLastPos + 1, last);
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
      else texts[h] = codes.bases[code] === 1 ? padded(codes.texts[code] as string, ownSpan, h, row, at + 1, last) : null;
    }
  }
  return kept ? indexAlleles(contig.pos[row] as number, ref, texts) : null;
}

/** bcftools norm leaves the record as it is (docs/vcf.md, "How bcftools norm decides"). */
function normLeaves(record: VcfRecord): boolean {
  const { ref, alts } = record;
  if (alts.length === 0 || alts.some((alt) => alt === '*' || alt.startsWith('<'))) return true;
  const end = ref[ref.length - 1];
  const start = ref[0];
  const sameEnd = alts.every((alt) => alt[alt.length - 1] === end);
  const sameStart = ref.length > 1 && alts.every((alt) => alt.length > 1 && alt[0] === start);
  return !sameEnd && !sameStart;
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
