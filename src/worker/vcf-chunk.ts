// The VCF kernel: rows of one contig -> VCF 4.2 records, encoded straight to bytes. A row no
// deletion touches is one record, kept by the haplotype-table rule (some cell is neither `N` nor
// REF); its ALT alleles are the distinct VCF forms of those cells in order of first appearance.
// Deletions are anchored indels (vcf-records.ts) unless the task asks for the star form, where
// `-` is the allele `*` row by row. Samples are the pairs (`a|b`) and then the haplotypes in no
// pair (`a`), each member's allele index: 0 = REF, `.` = missing (docs/vcf.md).

import { alleleBytes } from '../layout/allele-bytes.js';
import { AlleleDictionary } from '../layout/allele-dictionary.js';
import { batchViews, type BatchViews } from '../layout/matrix-layout.js';
import { fastaBases } from './fasta-bases.js';
import type { TransferredChunk, VcfTask } from './messages.js';
import { writeDecimal } from '../write/decimal.js';
import { NameScratch } from './name-scratch.js';
import type { AlleleCodes, ContigColumns, FastaBase } from './vcf-runs.js';
import type { SharedRows, SpanRows } from './shared-views.js';
import { rangeRecords, type RangeRecords } from './vcf-records.js';
import type { VcfRecord } from './vcf-row-record.js';

const TAB = 9;
const NL = 10;
const COMMA = 44;
const BAR = 124;
const DOT = 46;
const ZERO = 48;
const UTF8 = new TextEncoder();
/** `\t.\tPASS\t.` : QUAL, FILTER and INFO of every record. */
const FIXED = UTF8.encode('\t.\tPASS\t.');
const FORMAT_GT = UTF8.encode('\tGT');
const BASES = /^[ACGTNacgtn]+$/;

/** Reused between tasks of one worker; grows when a chunk needs more. */
let scratch = new Uint8Array(1 << 20);

/** Strings flattened to one byte heap for the hot loop. */
interface TextTable {
  heap: Uint8Array;
  start: Int32Array;
  length: Int32Array;
  maxLength: number;
}

function textTable(texts: readonly string[]): TextTable {
  const encoded = texts.map((text) => UTF8.encode(text));
  const start = new Int32Array(Math.max(encoded.length, 1));
  const length = new Int32Array(Math.max(encoded.length, 1));
  const heap = new Uint8Array(encoded.reduce((sum, bytes) => sum + bytes.length, 0));
  let at = 0;
  encoded.forEach((bytes, i) => {
    start[i] = at;
    length[i] = bytes.length;
    heap.set(bytes, at);
    at += bytes.length;
  });
  return { heap, start, length, maxLength: encoded.reduce((max, bytes) => Math.max(max, bytes.length), 0) };
}

/**
 * The tables of the last task, kept for the next one when it has the same dictionary (object and
 * size) and the same REF texts: the tasks of a group (worker/task-group.ts) share those objects, and
 * making the tables for each small contig cost more than its records.
 */
let lastCodes: { alleles: SharedArrayBuffer; size: number; refTexts: string[]; codes: AlleleCodes } | undefined;
const textTables = new WeakMap<readonly string[], TextTable>();

/** The text table of `texts`, made once per array object (read-only). */
function textTableOf(texts: readonly string[]): TextTable {
  let table = textTables.get(texts);
  if (!table) textTables.set(texts, (table = textTable(texts)));
  return table;
}

/** The kernel's view of the allele dictionary (read-only: shared by consecutive tasks). */
function alleleCodes(task: VcfTask): AlleleCodes {
  const dictionary = AlleleDictionary.shared(task.alleles);
  const { size } = dictionary;
  if (lastCodes && lastCodes.alleles === task.alleles && lastCodes.size === size && lastCodes.refTexts === task.refTexts) return lastCodes.codes;
  const codes = makeAlleleCodes(dictionary, task.refTexts);
  lastCodes = { alleles: task.alleles, size, refTexts: task.refTexts, codes };
  return codes;
}

function makeAlleleCodes(dictionary: AlleleDictionary, refTexts: string[]): AlleleCodes {
  const texts = dictionary.toStrings();
  const { missing, deletion } = alleleBytes(dictionary);
  const base = new Uint8Array(256);
  const bases = new Uint8Array(256);
  texts.forEach((text, code) => {
    if (/^[ACGTacgt]$/.test(text)) base[code] = text.toUpperCase().charCodeAt(0);
    if (BASES.test(text)) bases[code] = 1;
  });
  return { texts, refTexts, base, bases, missing, deletion };
}

/**
 * Encodes the records a task on rows `[task.from, task.to)` owns; the worker entry copies or
 * compresses them (bgzf-task.ts). With `shared` (a group's small contigs in one column region:
 * worker/shared-views.ts), a task whose rows are each their own record reads them there
 * (`ownRecords`), without views of its own.
 */
export function runVcfTask(task: VcfTask, shared?: SharedRows): TransferredChunk {
  const encoder = new RecordEncoder(task, alleleCodes(task));
  return encoder.chunk(encodeTask(encoder, task, shared));
}

/**
 * The joined form (kernels.ts `joinedKernels`): a span's small contigs' records one after the
 * other, as each alone writes them, in one result.
 */
export function runVcfJoined(tasks: readonly VcfTask[], shared: readonly (SharedRows | undefined)[]): TransferredChunk {
  const encoder = new RecordEncoder(tasks[0] as VcfTask, alleleCodes(tasks[0] as VcfTask));
  let starRuns = 0;
  for (let k = 0; k < tasks.length; k++) starRuns += encodeTask(encoder, tasks[k] as VcfTask, shared[k]);
  return encoder.chunk(starRuns);
}

/**
 * The span form (kernels.ts `spanKernels`): the joined form's records, read from the span's
 * numbers and names (task-group.ts `spanRows`) with no task object, views or result per contig.
 * A contig's rows are each their own record in the star form, or when none of its cells is `-`;
 * a contig with one gets views of its rows alone (`rangeRecords` reads a contig's columns whole).
 * For 100,000 contigs of 4 sites, a task restored per contig, with its batch, encoder and result,
 * cost the workers more than their records.
 */
export function runVcfSpan(rows: SpanRows<VcfTask>): TransferredChunk {
  const { head, views, numbers, names } = rows;
  const codes = alleleCodes(head);
  const encoder = new RecordEncoder(head, codes);
  const haplotypes = sharedColumns(views, head.columns);
  const columns: ContigColumns = { pos: views.pos, ref: views.ref, haplotypes };
  const indels = head.deletions === 'indel' && codes.deletion >= 0;
  let starRuns = 0;
  for (let k = 0, count = numbers.length / 4; k < count; k++) {
    const i = 4 * k;
    const from = numbers[i] as number;
    const to = from + (numbers[i + 1] as number);
    if (!indels || !holdsDeletion(haplotypes, codes.deletion, from, to)) {
      encoder.contig(columns, names, numbers[i + 2] as number, numbers[i + 3] as number);
      encoder.rows(from, to);
      continue;
    }
    const own = rowsOf(columns, from, to);
    encoder.contig(own, names, numbers[i + 2] as number, numbers[i + 3] as number);
    starRuns += encodeRows(encoder, codes, head, own, 0, to - from, undefined);
  }
  return encoder.chunk(starRuns);
}

/** Views of rows `[from, to)` of `columns`: a contig's own, out of a span's. */
function rowsOf({ pos, ref, haplotypes }: ContigColumns, from: number, to: number): ContigColumns {
  const own: Uint8Array[] = [];
  for (let h = 0; h < haplotypes.length; h++) own.push((haplotypes[h] as Uint8Array).subarray(from, to));
  return { pos: pos.subarray(from, to), ref: ref.subarray(from, to), haplotypes: own };
}

/** A task's records through `encoder` (after those it holds); returns its runs written in the star form. */
function encodeTask(encoder: RecordEncoder, task: VcfTask, shared: SharedRows | undefined): number {
  const codes = alleleCodes(task);
  if (shared && ownRecords(encoder, task, shared, codes)) return 0;
  const views = batchViews(task, task.batch);
  // Pushed one by one, as batchViews makes its arrays: one elements kind for every task.
  const haplotypes: Uint8Array[] = [];
  for (const c of task.columns) haplotypes.push(views.haplotypes[c] as Uint8Array);
  const columns: ContigColumns = { pos: views.pos, ref: views.ref, haplotypes };
  const fasta = task.fasta ? fastaBases(task.fasta) : undefined;
  try {
    // Written first: a long name gets `contigName` a larger buffer.
    const length = contigName.write(task.contig);
    encoder.contig(columns, contigName.bytes, 0, length);
    return encodeRows(encoder, codes, task, columns, task.from, task.to, fasta?.base);
  } finally {
    fasta?.close();
  }
}

/** Rows `[from, to)` of the encoder's contig `columns` through it, deletions as the task asks; returns the runs written in the star form. */
function encodeRows(encoder: RecordEncoder, codes: AlleleCodes, task: VcfTask, columns: ContigColumns, from: number, to: number, fasta: FastaBase | undefined): number {
  const indels = task.deletions === 'indel' ? rangeRecords(columns, codes, from, to, fasta, { of: task.altOf, texts: task.altTexts }) : undefined;
  if (indels) encodeRange(encoder, indels, from, to);
  else encoder.rows(from, to);
  return indels?.starRuns ?? 0;
}

/**
 * The records of a task whose rows are each their own record, read from the views its group
 * shares: in the star form, or a whole contig none of whose cells is `-` (no run to write, so
 * `rangeRecords` would find nothing). False for any other task: the kernel reads it whole.
 */
function ownRecords(encoder: RecordEncoder, task: VcfTask, shared: SharedRows, codes: AlleleCodes): boolean {
  const rows = task.to - task.from;
  if (task.deletions !== 'star' && !(task.from === 0 && task.to === task.batch.rows)) return false;
  const { views, row } = shared;
  const haplotypes = sharedColumns(views, task.columns);
  if (task.deletions !== 'star' && holdsDeletion(haplotypes, codes.deletion, row, row + rows)) return false;
  const length = contigName.write(task.contig);
  encoder.contig({ pos: views.pos, ref: views.ref, haplotypes }, contigName.bytes, 0, length);
  encoder.rows(row, row + rows);
  return true;
}

/** The columns of a group's shared views a VCF writes, made once per views and column list (the group's tasks share both). */
let lastShared: { views: BatchViews; columns: readonly number[]; haplotypes: Uint8Array[] } | undefined;

function sharedColumns(views: BatchViews, columns: readonly number[]): Uint8Array[] {
  if (lastShared?.views === views && lastShared.columns === columns) return lastShared.haplotypes;
  const haplotypes: Uint8Array[] = [];
  for (const c of columns) haplotypes.push(views.haplotypes[c] as Uint8Array);
  lastShared = { views, columns, haplotypes };
  return haplotypes;
}

/** Whether some cell of `columns` in rows `[from, to)` is `-` (code `deletion`, -1 when the dictionary has none). */
function holdsDeletion(columns: readonly Uint8Array[], deletion: number, from: number, to: number): boolean {
  if (deletion < 0) return false;
  for (let h = 0; h < columns.length; h++) {
    const column = columns[h] as Uint8Array;
    for (let r = from; r < to; r++) if (column[r] === deletion) return true;
  }
  return false;
}

/**
 * Rows `[from, to)`: the records `rangeRecords` made for the rows it touched, a row's own record
 * for the others. A function of its own: as a loop in `runVcfTask` (called once per task) it ran
 * optimised only from inside the loop, and V8 dropped back to the interpreter at the task's end,
 * every task (`node --trace-deopt`); one 1M-site contig took 0.93x the time this way (10 pairs).
 */
function encodeRange(encoder: RecordEncoder, indels: RangeRecords, from: number, to: number): void {
  const { touched, records } = indels;
  let next = 0;
  for (let r = from; r < to; r++) {
    if (touched[r - from] === 1) {
      while (next < records.length && (records[next] as { row: number }).row === r) encoder.record((records[next++] as { record: VcfRecord }).record);
    } else encoder.row(r);
  }
}

/** The record encoder's tables, reset for each contig's columns. */
const SCRATCH = { seenAlt: new Int32Array(256), indexOf: new Int32Array(256), listed: new Int32Array(256), gt: new Int32Array(0) };

/** The contig name of the task being encoded. */
const contigName = new NameScratch();

/**
 * Writes records into the worker's scratch buffer: of one task, or of the contigs of a span one
 * after the other, each given by `contig` (its columns and name) before its rows.
 */
class RecordEncoder {
  out = scratch;
  o = 0;
  lines = 0;
  private readonly refs: TextTable;
  private readonly alts: TextTable;
  private readonly missing: number;
  private columns: ContigColumns | undefined;
  /** The contig name's UTF-8 bytes: `contigLength` of `contig`'s from `contigStart`. */
  private contigBytes: Uint8Array = new Uint8Array(0);
  private contigStart = 0;
  private contigLength = 0;
  /** Most bytes of a record but its contig name's. */
  private readonly recordBound: number;
  private rowBound = 0;
  // The worker's scratch tables, one task at a time (a group of small contigs would make them per contig).
  /** Alt id -> the row it was last listed in. */
  private readonly seenAlt = SCRATCH.seenAlt;
  /** Alt id -> its 1-based index in the current row's ALT list. */
  private readonly indexOf = SCRATCH.indexOf;
  private readonly listed = SCRATCH.listed;
  /** Each haplotype's allele index in the record being written (-1 missing). */
  private readonly gt: Int32Array;
  private readonly sampleMembers: SampleMembers;

  /** An encoder of records of `task`'s columns (every task of a span has the same). */
  constructor(
    private readonly task: VcfTask,
    codes: AlleleCodes,
  ) {
    this.missing = codes.missing;
    const width = task.columns.length;
    if (SCRATCH.gt.length < width) SCRATCH.gt = new Int32Array(width);
    this.gt = SCRATCH.gt;
    this.sampleMembers = sampleMembersOf(task.samples);
    this.refs = textTableOf(task.refTexts);
    this.alts = textTableOf(task.altTexts);
    this.recordBound =
      16 + this.refs.maxLength + (this.alts.maxLength + 1) * Math.min(width, task.altTexts.length) + FIXED.length + FORMAT_GT.length + 9 * width + task.samples.length + 2;
  }

  /** The rows that follow are of `columns`, contig name `name[start, start + length)`. */
  contig(columns: ContigColumns, name: Uint8Array, start: number, length: number): void {
    // Rows index the columns: what rows of other columns left in the tables must not match.
    if (columns !== this.columns) this.seenAlt.fill(-1);
    this.columns = columns;
    this.contigBytes = name;
    this.contigStart = start;
    this.contigLength = length;
    this.rowBound = length + this.recordBound;
  }

  /** Rows `[from, to)`, each as its own record (`row`). A loop of its own, compiled alone. */
  rows(from: number, to: number): void {
    for (let r = from; r < to; r++) this.row(r);
  }

  /** The records written, as the task's result (`starRuns`: its runs written in the star form). */
  chunk(starRuns: number): TransferredChunk {
    return { bytes: this.out.subarray(0, this.o), lines: this.lines, starRuns };
  }

  /** Room for `bytes` more. */
  private reserve(bytes: number): void {
    if (this.o + bytes <= this.out.length) return;
    const bigger = new Uint8Array(Math.max(2 * this.out.length, this.o + bytes));
    bigger.set(this.out.subarray(0, this.o));
    this.out = scratch = bigger;
  }

  /**
   * Row `r` as one record, when some cell is neither `N` nor REF. One pass over the cells gives
   * each haplotype's allele index and the ALT list in order of first appearance (the alt rule of
   * layout/alt-rule.ts, over the alleles' VCF forms).
   */
  row(r: number): void {
    const { haplotypes, pos, ref } = this.columns as ContigColumns;
    const { seenAlt, indexOf, listed, missing, gt } = this;
    const altOf = this.task.altOf;
    const refCode = ref[r] as number;
    let altCount = 0;
    let variant = false;
    for (let h = 0; h < haplotypes.length; h++) {
      const code = (haplotypes[h] as Uint8Array)[r] as number;
      if (code === missing) {
        gt[h] = -1; // before REF: an N cell at a site whose REF is N is missing
        continue;
      }
      if (code === refCode) {
        gt[h] = 0;
        continue;
      }
      variant = true;
      const id = altOf[code] as number;
      if (id < 0) {
        gt[h] = -1; // an allele VCF cannot carry
        continue;
      }
      if (seenAlt[id] !== r) {
        seenAlt[id] = r;
        listed[altCount] = id;
        indexOf[id] = ++altCount;
      }
      gt[h] = indexOf[id] as number;
    }
    if (!variant) return;
    this.reserve(this.rowBound);
    const out = this.out;
    this.start(pos[r] as number);
    this.o = put(out, this.o, this.refs, refCode);
    out[this.o++] = TAB;
    if (altCount === 0) out[this.o++] = DOT; // every non-REF cell is an allele VCF cannot carry
    for (let k = 0; k < altCount; k++) {
      if (k > 0) out[this.o++] = COMMA;
      this.o = put(out, this.o, this.alts, listed[k] as number);
    }
    this.finish();
  }

  /** A record worked out by `rangeRecords`. */
  record(record: VcfRecord): void {
    const { ref, alts } = record;
    let chars = ref.length + 2;
    for (let k = 0; k < alts.length; k++) chars += (alts[k] as string).length + 1;
    this.reserve(this.rowBound + 3 * chars); // UTF-8 takes at most 3 bytes per UTF-16 unit
    this.start(record.pos);
    this.text(ref);
    this.out[this.o++] = TAB;
    if (alts.length === 0) this.out[this.o++] = DOT;
    for (let k = 0; k < alts.length; k++) {
      if (k > 0) this.out[this.o++] = COMMA;
      this.text(alts[k] as string);
    }
    const gt = this.gt;
    for (let h = 0; h < record.alleles.length; h++) gt[h] = record.alleles[h] as number;
    this.finish();
  }

  /** A REF or ALT string: byte by byte while it is ASCII (bases: no encoder call and no view per string). */
  private text(text: string): void {
    const out = this.out;
    let o = this.o;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) {
        this.o = o + UTF8.encodeInto(text.slice(i), out.subarray(o)).written;
        return;
      }
      out[o++] = c;
    }
    this.o = o;
  }

  /** `CHROM \t POS \t . \t` */
  private start(pos: number): void {
    const out = this.out;
    const { contigBytes, contigStart, contigLength } = this;
    for (let k = 0; k < contigLength; k++) out[this.o + k] = contigBytes[contigStart + k] as number;
    this.o += contigLength;
    out[this.o++] = TAB;
    this.o = writeDecimal(out, this.o, pos);
    out[this.o++] = TAB;
    out[this.o++] = DOT;
    out[this.o++] = TAB;
  }

  /** `\t . \t PASS \t . [\t GT \t a|b ... \t a ...] \n`, from each haplotype's allele index in `gt` (-1 missing). */
  private finish(): void {
    const { out, gt } = this;
    const { first, members } = this.sampleMembers;
    let o = this.o;
    out.set(FIXED, o);
    o += FIXED.length;
    if (first.length > 1) {
      out.set(FORMAT_GT, o);
      o += FORMAT_GT.length;
    }
    for (let s = 0; s + 1 < first.length; s++) {
      out[o++] = TAB;
      for (let m = first[s] as number, end = first[s + 1] as number; m < end; m++) {
        if (m > (first[s] as number)) out[o++] = BAR;
        const index = gt[members[m] as number] as number;
        if (index < 0) out[o++] = DOT;
        else if (index < 10) out[o++] = ZERO + index;
        else o = writeDecimal(out, o, index);
      }
    }
    out[o++] = NL;
    this.o = o;
    this.lines++;
  }
}

/** The samples' members flat: sample `s` is `members[first[s] .. first[s + 1])`. */
interface SampleMembers {
  first: Int32Array;
  members: Int32Array;
}

/** Each task's samples flat, made once per samples array (the tasks of a group share theirs). */
const flatSamples = new WeakMap<readonly (readonly number[])[], SampleMembers>();
function sampleMembersOf(samples: readonly (readonly number[])[]): SampleMembers {
  let flat = flatSamples.get(samples);
  if (!flat) {
    const first = new Int32Array(samples.length + 1);
    samples.forEach((members, s) => (first[s + 1] = (first[s] as number) + members.length));
    flat = { first, members: Int32Array.from(samples.flat()) };
    flatSamples.set(samples, flat);
  }
  return flat;
}

function put(out: Uint8Array, o: number, table: TextTable, i: number): number {
  const from = table.start[i] as number;
  const length = table.length[i] as number;
  for (let k = 0; k < length; k++) out[o + k] = table.heap[from + k] as number;
  return o + length;
}
