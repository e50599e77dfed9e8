// VCF records of the rows a task owns, with deletions as anchored indels (docs/vcf.md). Pure:
// reads one contig's typed arrays and the allele tables, returns what to write.
//
// Ownership: a record belongs to the range holding its POS row (a record anchored in a POS gap,
// to the range holding the first row after the gap). A task therefore reads rows outside its range: back
// to the start of a run it is inside, up to MAX_SHIFT rows ahead for a run moving left into it, and
// on to the end of a record's span that reaches past the range (vcf-spans.ts).
//
// Rows no deletion touches (no `-` cell, no deleted or anchoring row) are left to the caller's
// single-row encoder; `touched` marks the others, and `records` holds what they become.

import { deletionRuns } from './vcf-deletions.js';
import { RunForm, type AlleleCodes, type ContigColumns, type DeletionRun, type FastaBase } from './vcf-runs.js';
import { inside, normLeaves, normTrimmed, overrun, runStart, type Span } from './vcf-spans.js';
import { gapRecord, Mark, rowRecord, type RecordCells, type VcfRecord } from './vcf-row-record.js';

/** The carriers of a span that closes over nothing (never read). */
const NO_CARRIERS: Set<number> = new Set();

/** What a task's rows become. */
export interface RangeRecords {
  /** Rows [from, to) as offsets from `from`: 1 when `records` decides the row (or drops it). */
  touched: Uint8Array;
  /** Records of touched rows, in order; a gap-anchored record comes right before its row's. */
  records: { row: number; record: VcfRecord }[];
  /** Runs written in the star form because their anchor base is unknown, counted where they start. */
  starRuns: number;
}

/** The ALT texts a one-row record's allele codes are written as (`VcfTask.altOf`, `altTexts`). */
export interface AltTexts {
  /** Allele code -> index into `texts`, or -1 when the allele is written as missing. */
  of: Int16Array;
  texts: readonly string[];
}

/**
 * What a task's records read of its rows besides their cells (vcf-row-record.ts `RecordCells`):
 * each haplotype's state at a row, and the REF and haplotype texts over a span of positions.
 * `rangeRecords` sets the states as it works them out.
 */
class RangeCells implements RecordCells {
  /** Each haplotype's state (Mark) at rows [from, to), when some row has one. */
  marks: Uint8Array | undefined;
  /** The same at rows [to, tailTo), past the range: what records closing past it read. */
  tail: Uint8Array | undefined;
  tailTo: number;
  /** Some run's anchor is unknown: its rows are marked Mark.unknown. */
  anyUnknown = false;
  private readonly pos: Int32Array;
  private readonly width: number;

  constructor(
    private readonly contig: ContigColumns,
    private readonly codes: AlleleCodes,
    private readonly fasta: FastaBase | undefined,
    private readonly alts: AltTexts,
    private readonly from: number,
    private readonly to: number,
    /** Each haplotype's deletions written, in order of POS. */
    private readonly written: readonly DeletionRun[][],
  ) {
    this.pos = contig.pos;
    this.width = contig.haplotypes.length;
    this.tailTo = to;
  }

  markAt(h: number, row: number): number {
    const { from, to } = this;
    if (row < to) return this.marks ? (this.marks[h * (to - from) + row - from] as number) : Mark.cell;
    return this.tail && row < this.tailTo ? (this.tail[h * (this.tailTo - to) + row - to] as number) : Mark.cell;
  }

  refSpan(row: number, fromPos: number, toPos: number): string {
    // A row's REF, or in a POS gap the FASTA's base.
    const { pos, contig, codes, fasta } = this;
    while (row < pos.length && (pos[row] as number) < fromPos) row++;
    let text = '';
    for (let p = fromPos; p <= toPos; p++) {
      if (row < pos.length && pos[row] === p) text += codes.refTexts[contig.ref[row++] as number] as string;
      else text += fasta?.(p) ?? 'N';
    }
    return text;
  }

  ownSpan(h: number, row: number, fromPos: number, toPos: number): string | null {
    // Deleted positions left out, REF where a moved deletion left its cells, `N` as `N`; null when one is unknown.
    const { pos, contig, codes, fasta } = this;
    while (row < pos.length && (pos[row] as number) < fromPos) row++;
    const column = contig.haplotypes[h] as Uint8Array;
    let text = '';
    for (let p = fromPos; p <= toPos; p++) {
      if (row < pos.length && pos[row] === p) {
        const state = this.markAt(h, row);
        const code = column[row] as number;
        const refCode = contig.ref[row++] as number;
        if (state === Mark.spanned || state === Mark.star) continue;
        if (state === Mark.unknown) return null;
        if (state === Mark.asRef || code === refCode) text += codes.refTexts[refCode] as string;
        else if (codes.bases[code] === 1) text += codes.texts[code] as string;
        else return null;
      } else if (!inside(this.written[h] ?? [], p)) text += fasta?.(p) ?? 'N';
    }
    return text;
  }

  unknownOver(fromRow: number, toPos: number): Uint8Array | null {
    const { pos, contig, codes, width } = this;
    let unknown: Uint8Array | null = null;
    // The cell first: most are not `N`, and need no state.
    for (let r = fromRow; r < pos.length && (pos[r] as number) <= toPos; r++) {
      for (let h = 0; h < width; h++) {
        const missing = (contig.haplotypes[h] as Uint8Array)[r] === codes.missing;
        if (!missing && !this.anyUnknown) continue;
        const state = this.markAt(h, r);
        if (state === Mark.unknown || (missing && state === Mark.cell)) (unknown ??= new Uint8Array(width))[h] = 1;
      }
    }
    return unknown;
  }

  vcfAlt(code: number): string | null {
    const id = this.alts.of[code] as number;
    return id < 0 ? null : (this.alts.texts[id] as string);
  }
}

/**
 * The records of rows [from, to) of one contig whose deletions are written as indels; undefined
 * when no deletion run touches them (each row is then its own record, for the single-row encoder).
 */
export function rangeRecords(
  contig: ContigColumns,
  codes: AlleleCodes,
  from: number,
  to: number,
  fasta: FastaBase | undefined,
  alts: AltTexts,
): RangeRecords | undefined {
  const width = contig.haplotypes.length;
  /** Events by record row; gap-anchored ones apart, as they precede their row's record. */
  const events = new Map<number, { h: number; run: DeletionRun }[]>();
  const gapEvents = new Map<number, { h: number; run: DeletionRun }[]>();
  /** Each haplotype's deletions, in order of POS: a record inside one gives it `*`. */
  const written: DeletionRun[][] = [];
  // Pushed one by one: one elements kind for every task (see batchViews).
  const runs: DeletionRun[][] = [];
  // Over a whole contig, a column without a `-` cell has no run: the engine's scan for the byte
  // tells, without the tables `deletionRuns` sets up (a small contig's deletions are in a column or
  // two of 31). Over part of a contig, the scan could run on through the rest of it, every task.
  const whole = from === 0 && to === contig.pos.length;
  for (const column of contig.haplotypes) runs.push(whole && column.indexOf(codes.deletion) < 0 ? [] : deletionRuns(contig, column, codes, from, to, fasta));
  // No run in the rows, before them or just after: none of the tables and closures below.
  if (runs.every((list) => list.length === 0)) return undefined;
  const touched = new Uint8Array(to - from);
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
  const cells = new RangeCells(contig, codes, fasta, alts, from, to, written);
  /** Rows [from, to) where a record of some run starts (its POS row, the row after its gap, a star run's first row). */
  const starting = new Uint8Array(to - from);
  /**
   * Each haplotype's state (Mark) at rows [markFrom, markTo), when some row has one. The first
   * call (`count`) also gathers the events of the range, the runs written, and `starting`.
   */
  const markStates = (markFrom: number, markTo: number, count: boolean): Uint8Array | undefined => {
    const rows = markTo - markFrom;
    let marks: Uint8Array | undefined;
    const mark = (h: number, row: number, value: number): void => {
      if (row < markFrom || row >= markTo) return;
      marks ??= new Uint8Array(width * rows);
      marks[h * rows + row - markFrom] = value;
      if (count) touched[row - from] = 1;
    };
    for (let h = 0; h < width; h++) {
      const own: DeletionRun[] = count ? (written[h] = []) : [];
      for (const run of runs[h] as DeletionRun[]) {
        if (run.form === RunForm.star) {
          for (let k = 0; k < run.members.length; k += 2) {
            const [first, last] = [run.members[k] as number, run.members[k + 1] as number];
            if (count && first >= from && first < to) {
              starRuns++;
              starting[first - from] = 1;
            }
            for (let r = first; r <= last; r++) mark(h, r, Mark.star);
          }
          continue;
        }
        const spanned = run.form === RunForm.unknown ? Mark.unknown : Mark.spanned;
        if (run.form === RunForm.unknown) cells.anyUnknown = true;
        // Cells a moved deletion passed read REF (each equals the REF base it lands on), as its `-` cells do.
        for (let r = Math.min(run.cellFirst, run.last + 1); r <= run.cellLast; r++) mark(h, r, Mark.asRef);
        for (let r = run.first; r <= run.last; r++) mark(h, r, spanned);
        if (!count || run.form === RunForm.unknown) continue;
        own.push(run);
        if (run.recordRow < from || run.recordRow >= to) continue;
        const byRow = run.form === RunForm.gap ? gapEvents : events;
        const list = byRow.get(run.recordRow) ?? [];
        list.push({ h, run });
        byRow.set(run.recordRow, list);
        touched[run.recordRow - from] = 1;
        starting[run.recordRow - from] = 1;
      }
    }
    return marks;
  };
  const marks = markStates(from, to, true);
  const records: { row: number; record: VcfRecord }[] = [];
  if (!marks && events.size === 0 && gapEvents.size === 0) return { touched, records, starRuns };
  const { pos } = contig;
  cells.marks = marks;
  // A record's span closes over the events of its haplotypes that carry an allele other than REF:
  // a deletion of theirs that starts inside it and ends after it lengthens it (docs/vcf.md,
  // "Overlapping events"), so that their allele holds all of their sequence over the span.
  /** Closed spans by record: a row's (key: the row) and a gap's (key: `-1 - POS`). */
  const spans = new Map<number, Span>();
  /**
   * Haplotype h may have a run whose record starts after the record at `row` and by `lastRow`: read
   * from the events of the range (`starting`); past the range, or for a star run, any haplotype may.
   * Most spans have none, and need no closing.
   */
  const mayStartIn = (row: number, lastRow: number, h: number): boolean => {
    if (lastRow + 1 >= to) return true;
    for (let r = row + 1; r <= lastRow + 1; r++) {
      if (starting[r - from] === 0) continue;
      const here = events.get(r) ?? gapEvents.get(r);
      if (!here || here.some((event) => event.h === h) || (gapEvents.get(r)?.some((event) => event.h === h) ?? false)) return true;
    }
    return false;
  };
  const noneStartIn = (row: number, lastRow: number): boolean => {
    if (lastRow + 1 >= to) return false;
    for (let r = row + 1; r <= lastRow + 1; r++) if (starting[r - from] === 1) return false;
    return true;
  };
  const close = (key: number, row: number, at: number, base: number, carriers: () => Set<number>): void => {
    let last = base;
    let who: Set<number> | undefined;
    for (let grown = true; grown; ) {
      grown = false;
      let lastRow = row;
      while (lastRow + 1 < pos.length && (pos[lastRow + 1] as number) <= last) lastRow++;
      fetch(lastRow + 1);
      cells.tailTo = Math.max(cells.tailTo, lastRow + 1);
      if (noneStartIn(row, lastRow)) break;
      for (const h of (who ??= carriers())) {
        if (!mayStartIn(row, lastRow, h)) continue;
        const end = overrun(runs[h] as DeletionRun[], pos, at, last);
        if (end > last) {
          last = end;
          grown = true;
        }
      }
    }
    if (last > base) spans.set(key, { base, closed: last, carriers: who as Set<number> });
    else spans.set(key, { base, closed: last, carriers: NO_CARRIERS });
  };
  for (const [row, starts] of events) {
    const at = pos[row] as number;
    let last = at;
    for (const { run } of starts) last = Math.max(last, run.spanLastPos);
    if (last === at) continue;
    close(row, row, at, last, () => {
      const carriers = new Set(starts.map((event) => event.h));
      contig.haplotypes.forEach((column, h) => {
        const code = column[row] as number;
        if (cells.markAt(h, row) === Mark.cell && code !== contig.ref[row] && code !== codes.missing && codes.bases[code] === 1) carriers.add(h);
      });
      return carriers;
    });
  }
  for (const [row, gap] of gapEvents) {
    // The row's runs by record position (many haplotypes may share one), gathered in one pass and
    // each record closed once: a filter of the row's runs and a close per run cost the square of
    // the haplotypes with a run here. A close reads only what it fetches for itself, so closing a
    // record once gives what closing it once per run gave.
    const records = new Map<number, { last: number; carriers: number[] }>();
    for (const { h, run } of gap) {
      const record = records.get(run.recordPos);
      if (record) {
        record.last = Math.max(record.last, run.lastPos);
        record.carriers.push(h);
      } else records.set(run.recordPos, { last: run.lastPos, carriers: [h] });
    }
    for (const [recordPos, { last, carriers }] of records) close(-1 - recordPos, row, recordPos, last, () => new Set(carriers));
  }
  if (cells.tailTo > to) {
    fetch(cells.tailTo);
    cells.tail = markStates(to, cells.tailTo, false);
  }
  if (fetchedTo > to) runs.forEach((list, h) => (written[h] = list.filter((run) => run.form !== RunForm.star && run.form !== RunForm.unknown)));
  /** Row `r` holds no allele of its own: every cell is REF or `N` (or read as REF), none in the star form. */
  const cellsQuiet = (r: number): boolean => {
    const refCode = contig.ref[r] as number;
    for (let h = 0; h < width; h++) {
      const state = cells.markAt(h, r);
      const code = (contig.haplotypes[h] as Uint8Array)[r] as number;
      if (state === Mark.star || (state === Mark.cell && code !== refCode && code !== codes.missing)) return false;
    }
    return true;
  };
  /** Row `r` has no record: every cell is REF or `N`, and no deletion is written from it. */
  const quiet = (r: number): boolean => {
    if (!cellsQuiet(r)) return false;
    if (r < to) return starting[r - from] === 0;
    return written.every((list) => !list.some((run) => run.recordRow === r));
  };
  /**
   * `record` (starting at `row`, or for a record of a POS gap before row `row`, at one of the gap's
   * record starts `gapStarts`) trimmed as bcftools norm trims it, or undefined when that is not
   * safe (see above).
   *
   * The alleles are trimmed as text, as norm trims them; so are the genotypes of the haplotypes
   * with an allele. A haplotype without an event here that is missing for an `N` (or a deletion of
   * unknown anchor) only on trimmed-off positions reads REF over what is left (docs/vcf.md,
   * "Overlapping events"). A carrier's missing allele stays missing: its text past its own
   * deletions is not one base per position.
   */
  const trimmed = (record: VcfRecord, row: number, carriers: ReadonlySet<number>, gapStarts?: readonly number[]): VcfRecord | undefined => {
    const result = { ...record, ...normTrimmed(record) };
    const at = result.pos;
    if (!normLeaves(result)) return undefined;
    if (gapStarts) {
      // A gap's record moves over gap positions where no other record of the gap starts (they
      // follow it in order), then onto the row after the gap and the rows after that, each with no
      // record of its own (the row after the gap owns the gap's records: it has none of its own
      // when it has no event and no allele).
      for (let p = record.pos + 1, r = row; p <= at; p++) {
        if (p < (pos[row] as number)) {
          if (gapStarts.includes(p)) return undefined;
          continue;
        }
        if (pos[r] !== p || !(r === row ? cellsQuiet(r) && !events.has(r) : quiet(r))) return undefined;
        r++;
      }
    } else for (let k = 1; k <= at - record.pos; k++) if (pos[row + k] !== record.pos + k || !quiet(row + k)) return undefined;
    // Past the trimmed end every carrier reads REF in the closed allele; an event of one that
    // starts there would be applied again.
    const last = at + result.ref.length - 1;
    const closedLast = record.pos + record.ref.length - 1;
    for (const h of carriers) if ((runs[h] as DeletionRun[]).some((run) => run.form !== RunForm.unknown && runStart(pos, run) > last && runStart(pos, run) <= closedLast)) return undefined;
    let atRow = row;
    while ((pos[atRow] as number) < at) atRow++;
    const unknown = cells.unknownOver(atRow, last);
    const refCode = contig.ref[row] as number;
    /** Haplotype h's cell at the record's own row is an allele (not REF, not `N`): it stays missing there. */
    const ownAllele = (h: number): boolean => {
      const code = (contig.haplotypes[h] as Uint8Array)[row] as number;
      return !gapStarts && atRow === row && cells.markAt(h, row) === Mark.cell && code !== refCode && code !== codes.missing;
    };
    let alleles: Int32Array | undefined;
    for (let h = 0; h < width; h++) {
      if (result.alleles[h] !== -1 || carriers.has(h) || unknown?.[h] === 1 || ownAllele(h)) continue;
      (alleles ??= result.alleles.slice())[h] = 0;
    }
    return alleles ? { ...result, alleles } : result;
  };
  // Made before the loop: V8 compiles this function in the middle of the loop, and a statement
  // after it that needs type feedback (the object literal's stores) had none yet, which threw the
  // code away at the end of every task (15 times a run of the seed shape, 20 ms of compiling each).
  const result: RangeRecords = { touched, records, starRuns };
  for (let row = from; row < to; row++) {
    if (touched[row - from] === 0) continue;
    const gap = gapEvents.get(row);
    if (gap) {
      const gapStarts = [...new Set(gap.map((event) => event.run.recordPos))].sort((x, y) => x - y);
      for (const start of gapStarts) {
        const here = gap.filter((event) => event.run.recordPos === start);
        const span = spans.get(-1 - start) as Span;
        const record = gapRecord(width, row, start, span.closed, here, written, cells);
        const settled = span.closed > span.base && !normLeaves(record) ? (trimmed(record, row, span.carriers, gapStarts) ?? gapRecord(width, row, start, span.base, here, written, cells)) : record;
        records.push({ row, record: settled });
      }
    }
    const starts = events.get(row) ?? [];
    const span = spans.get(row);
    let record = rowRecord(contig, codes, width, row, starts, span?.closed ?? (pos[row] as number), cells);
    if (record && span && span.closed > span.base && !normLeaves(record)) {
      // A closed span whose alleles all end (or all begin) with the same base: trimmed as bcftools
      // norm would trim it, when that cuts no carrier's event and moves onto rows without a record
      // of their own. Otherwise the span is left open, and the carriers' later events are records
      // consensus skips (docs/vcf.md, "Overlapping events").
      record = trimmed(record, row, span.carriers) ?? rowRecord(contig, codes, width, row, starts, span.base, cells);
    }
    if (record) records.push({ row, record });
  }
  return result;
}







