// The haplotype kernel: rows of one contig -> lines of the haplotype table (docs/specification.md, "The haplotype table"), or
// of its phase-extender form (docs/vcf.md, "phase-extender"), encoded straight to bytes. It
// compares one-byte allele codes and copies allele bytes from a code -> bytes table; no string is
// built per site.

import { alleleBytes, type AlleleBytes } from '../layout/allele-bytes.js';
import { ALLELE_BIT, altAlleles, altBits, missingBitOf, RARE_BIT } from '../layout/alt-rule.js';
import { batchViews, type BatchViews } from '../layout/matrix-layout.js';
import type { EncodedChunk, HaplotypeTask } from './messages.js';
import { nativeTasks, NameScratch } from './name-scratch.js';
import { nativeEncode } from '../native.js';
import type { SharedRows, SpanRows } from './shared-views.js';

const TAB = 9;
const NL = 10;
const COMMA = 44;
const BAR = 124;
const DOT = 46;
const STAR = 42;

/** Rows whose alleles are summarised together, column by column (a multiple of 4). */
const BLOCK_ROWS = 1024;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Masks of two cells at once: the codes of two rows (16 bits) -> their two mask bytes. */
let hotPairs: Uint16Array | undefined;
function twoCellMasks(): Uint16Array {
  if (!hotPairs) {
    hotPairs = new Uint16Array(65536);
    for (let v = 0; v < 65536; v++) hotPairs[v] = (ALLELE_BIT[v & 255] as number) | ((ALLELE_BIT[v >>> 8] as number) << 8);
  }
  return hotPairs;
}

/**
 * The scratch tables of the worker's tasks, one task at a time (set up afresh by each task): a group
 * of small contigs (worker/task-group.ts) would otherwise allocate them thousands of times.
 */
const SCRATCH = (() => {
  // A block's rows and up to 3 rows before them, in their words (see `wordMasks`).
  const words = new Uint32Array(BLOCK_ROWS / 4 + 1);
  return { words, mask: new Uint8Array(words.buffer), shownByte: new Uint8Array(256), shown: new Uint8Array(256), seen: new Int32Array(256), alts: new Uint8Array(256), digits: new Uint8Array(12) };
})();
/** Views of fewer rows than this are masked a byte at a time: the word views of every column cost more than they save. */
const WORD_ROWS = 64;
/** A contig name's UTF-8 bytes, as `begin` encodes them. */
const nameScratch = new NameScratch();

/** Each code itself. */
const IDENTITY = new Uint8Array(256).map((_, code) => code);

/** The first byte of each code's allele, per allele table (shared by the tasks of a group: read-only). */
const firstByteTables = new WeakMap<AlleleBytes, Uint8Array>();
function firstBytes(alleles: AlleleBytes): Uint8Array {
  let table = firstByteTables.get(alleles);
  if (!table) {
    const { heap, start } = alleles;
    table = new Uint8Array(256).map((_, code) => heap[start[code] as number] ?? 0);
    firstByteTables.set(alleles, table);
  }
  return table;
}

/** Two ASCII digits for 0-99, for writing POS two digits per division. */
const DIGIT_PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  DIGIT_PAIRS[2 * i] = 48 + Math.floor(i / 10);
  DIGIT_PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** Most bytes one site's line can take: contig, POS, REF (twice in the phase-extender form), every allele as alt, and every pair. */
export function haplotypeRowBound(contigBytes: number, maxAlleleBytes: number, haplotypes: number, pairs: number): number {
  const alts = Math.min(haplotypes, 256);
  return contigBytes + 15 + maxAlleleBytes * (2 + alts) + alts + pairs * (contigBytes + 3 + 2 * maxAlleleBytes) + 1;
}

/**
 * Encodes rows `[task.from, task.to)` of a batch into its output slot; returns the bytes and lines
 * written. With `shared` (a group's small contigs in one column region: worker/shared-views.ts), the
 * encoder of the previous task is kept when it reads the same views: only the contig changes.
 */
export function runHaplotypeTask(task: HaplotypeTask, shared?: SharedRows): EncodedChunk {
  return runHaplotypeJoined([task], [shared]);
}

/**
 * The joined form (kernels.ts `joinedKernels`): a span's small contigs (dispatch/conversion.ts
 * `ContigSpan`) one after the other into the one output slot, their lines as each alone writes
 * them, with no result, view or copy per contig. The driver sizes the slot for the span's rows.
 */
export function runHaplotypeJoined(tasks: readonly HaplotypeTask[], shared: readonly (SharedRows | undefined)[]): EncodedChunk {
  let length = 0;
  let lines = 0;
  for (let k = 0; k < tasks.length; ) {
    const task = tasks[k] as HaplotypeTask;
    const rows = shared[k];
    const encoder = rows ? encoderOf(task, rows.views) : new RowEncoder(task, batchViews(task, task.batch, task.from, task.to));
    // The binding takes every following task over the same views in the same call: a span of 512
    // small contigs was 512 calls, and 512 of this file's setups around them.
    let end = k + 1;
    if (encoder.native && rows) while (end < tasks.length && shared[end]?.views === rows.views) end++;
    const done = encoder.native ? nativeLines(encoder, tasks, shared, k, end, length) : encodeTask(encoder, task, rows, length);
    length = done.end;
    lines += done.lines;
    k = end;
  }
  return { length, lines };
}

/**
 * The span form (kernels.ts `spanKernels`): the same lines as the joined form, written by the
 * binding straight from the span's numbers; undefined when the binding does not write this table.
 */
export function runHaplotypeSpan(rows: SpanRows<HaplotypeTask>): EncodedChunk | undefined {
  const encoder = encoderOf(rows.head, rows.views);
  if (!encoder.native) return undefined;
  const done = bindingLines(encoder, rows.numbers, rows.names, 0);
  return { length: done.end, lines: done.lines };
}

/** The encoder of a task over a group's shared views: the one made for them, or a new one. */
function encoderOf(task: HaplotypeTask, views: BatchViews): RowEncoder {
  let encoder = groupEncoders.get(views);
  if (!encoder || encoder.output !== task.output || encoder.pairs !== task.pairs) {
    encoder = new RowEncoder(task, views);
    groupEncoders.set(views, encoder);
  }
  return encoder;
}

/**
 * Tasks `[from, to)`, all over `encoder`'s views (each at its `shared` row, else at row 0), through
 * the binding's `haplotypeLines` from output offset `at`: the same lines as `encodeTask` writes.
 */
function nativeLines(encoder: RowEncoder, tasks: readonly HaplotypeTask[], shared: readonly (SharedRows | undefined)[], from: number, to: number, at: number): { end: number; lines: number } {
  const { numbers, names } = nativeTasks(tasks, shared, from, to);
  return bindingLines(encoder, numbers, names, at);
}

/** Tasks as `nativeTasks` gives them, through the binding's `haplotypeLines` from output offset `at`. */
function bindingLines(encoder: RowEncoder, numbers: Float64Array, names: Uint8Array, at: number): { end: number; lines: number } {
  const state = NATIVE_STATE;
  state[0] = encoder.alleles.missing;
  state[1] = encoder.alleles.deletion;
  (nativeEncode as Required<NonNullable<typeof nativeEncode>>).haplotypeLines(encoder.native as object, numbers, names, at, encoder.alleleByte, state);
  return { end: state[0] as number, lines: state[1] as number };
}

/** Encodes a task's rows with `encoder` (this file's loop) into its output slot from byte `at`: the end of its bytes, and its lines. */
function encodeTask(encoder: RowEncoder, task: HaplotypeTask, shared: SharedRows | undefined, at: number): { end: number; lines: number } {
  encoder.begin(task, shared?.row ?? 0);
  const rows = task.to - task.from;
  if (encoder.out.length - at < haplotypeRowBound(encoder.contig.length, encoder.alleles.maxLength, encoder.haplotypes.length, encoder.pairA.length) * rows) {
    throw new RangeError('haplotype task: output slot too small for its rows');
  }
  // The work is cut into blocks of rows, each done by small functions called thousands of times a
  // run: V8 then optimises them with complete type feedback, where one long loop per task would be
  // compiled on the fly mid-loop and thrown away again on every path it had not yet seen.
  // A group's small contigs share the encoder and its word views: a contig of 20 sites is masked
  // by the word as a contig of a million is, from wherever in a word its first row lies.
  const words = encoder.wordColumns !== undefined;
  let o = at;
  for (let base = encoder.row, end = encoder.row + rows; base < end; base += BLOCK_ROWS) {
    const n = Math.min(BLOCK_ROWS, end - base);
    if (words) wordMasks(encoder, base, n);
    else {
      encoder.maskShift = 0;
      byteMasks(encoder, base, 0, n);
    }
    o = encodeBlock(encoder, base, n, o);
  }
  return { end: o, lines: encoder.lines };
}

/** `haplotypeLines`' state: the codes of N and - in, the offset after the lines and their count out. */
const NATIVE_STATE = new Float64Array(2);

/** The encoder of each set of shared views, kept as long as the group holds the views. */
const groupEncoders = new WeakMap<BatchViews, RowEncoder>();

/**
 * What the block functions read: the views and tables, built once per task or per run of a group's
 * tasks in shared views (one class, one shape), and the contig and rows of the task at hand (`begin`).
 */
class RowEncoder {
  readonly views: BatchViews;
  readonly output: Uint8Array | undefined;
  readonly pairs: Int32Array;
  readonly pos: Int32Array;
  readonly ref: Uint8Array;
  readonly haplotypes: Uint8Array[];
  /**
   * The haplotype columns as 32-bit words (four rows each), from the word that holds row 0 of the
   * views (at byte `wordLead` of it: the same for every column, whose buffers are 64-byte aligned).
   */
  readonly wordColumns: Uint32Array[] | undefined;
  readonly wordLead: number;
  /** Mask byte of the block's first row: its place in its word (`wordMasks`), or 0. */
  maskShift = 0;
  readonly pairA: Uint8Array[];
  readonly pairB: Uint8Array[];
  readonly alleles: AlleleBytes;
  readonly out: Uint8Array;
  /** Allele masks of the block's rows, one byte each, and the same bytes as words. */
  readonly words = SCRATCH.words;
  readonly mask = SCRATCH.mask;
  /** The mask bit of `N`, cleared from every row's mask. */
  readonly missingBit: number;
  /** The first byte of each code's allele (all of it, when every allele is one byte). */
  readonly alleleByte: Uint8Array;
  /** The byte a pair shows for a code: itself, except N and - which show the row's REF (set per row). */
  readonly shownByte = SCRATCH.shownByte;
  /** The same for alleles of any length, as codes. */
  readonly shown = SCRATCH.shown;
  /** Row each code was last seen as an alt in, and the current row's alts in order. */
  readonly seen = SCRATCH.seen;
  readonly alts = SCRATCH.alts;
  readonly digits = SCRATCH.digits;
  /** Lines in phase-extender's form: REF first in the allele list, `-` as `*`, a pair with an `N` member missing. */
  readonly phaseExtender: boolean;
  /** The task's contig name, and every pair's `\t<contig>\tx|y` with the alleles left blank, for one-byte alleles. */
  contig = new Uint8Array(0);
  contigName: string | undefined;
  pairTemplate = new Uint8Array(0);
  fragment = 0;
  /** Row of the views that is the task's first. */
  row = 0;
  lines = 0;
  /** The binding's views of these columns (table lines of one-byte alleles), else undefined: this file's loop writes them. */
  readonly native: object | undefined;

  constructor(task: HaplotypeTask, views: BatchViews) {
    const { pos, ref, haplotypes } = views;
    this.views = views;
    this.output = task.output;
    this.pairs = task.pairs;
    this.pos = pos;
    this.ref = ref;
    this.haplotypes = haplotypes;
    const lead = (haplotypes[0]?.byteOffset ?? 0) & 3;
    this.wordLead = lead;
    this.wordColumns = LITTLE_ENDIAN && pos.length >= WORD_ROWS && haplotypes.length > 0 && haplotypes.every((h) => (h.byteOffset & 3) === lead)
      ? haplotypes.map((h) => new Uint32Array(h.buffer, h.byteOffset - lead, (lead + h.length) >>> 2))
      : undefined;
    const pairCount = task.pairs.length >> 1;
    this.pairA = Array.from({ length: pairCount }, (_, p) => haplotypes[task.pairs[2 * p] as number] as Uint8Array);
    this.pairB = Array.from({ length: pairCount }, (_, p) => haplotypes[task.pairs[2 * p + 1] as number] as Uint8Array);
    this.alleles = alleleBytes(task.alleles);
    if (!task.output) throw new RangeError('haplotype task without an output slot');
    this.out = task.output;
    this.phaseExtender = task.format === 'phase-extender';
    const { missing } = this.alleles;
    this.missingBit = missingBitOf(missing);
    this.alleleByte = firstBytes(this.alleles);
    const native = nativeEncode?.rowViews;
    this.native = native && this.alleles.maxLength === 1 && !this.phaseExtender ? native(haplotypes, pos, ref, task.pairs, this.out) : undefined;
  }

  /** Starts a task: its contig (the pair template made again when it changes) and its first row in the views. */
  begin(task: HaplotypeTask, row: number): void {
    this.row = row;
    this.lines = 0;
    // The scratch tables start as this encoder's: N and - are rewritten per row, everything else
    // stays, and `seen` holds rows of its views, which its tasks do not share. So only an encoder
    // taking over the tables resets them, not each of a group's small contigs.
    if (scratchOwner !== this) {
      scratchOwner = this;
      this.shownByte.set(this.alleleByte);
      this.shown.set(IDENTITY);
      this.seen.fill(-1);
    }
    if (task.contig === this.contigName) return;
    this.contigName = task.contig;
    const length = nameScratch.write(task.contig);
    const pairCount = this.pairA.length;
    // The next contig's name is mostly as long as this one's (chr10000 to chr19999): its bytes
    // then go into the same arrays, and a group of 512 small contigs makes no arrays per contig.
    if (this.contig.length !== length) {
      this.contig = new Uint8Array(length);
      this.fragment = length + 5;
      this.pairTemplate = new Uint8Array(pairCount * this.fragment);
    }
    const { contig, pairTemplate: template, fragment } = this;
    const name = nameScratch.bytes;
    for (let i = 0; i < length; i++) contig[i] = name[i] as number;
    // Byte by byte: a contig's name is a few bytes, and a `set` call per pair cost more.
    for (let p = 0, at = 0; p < pairCount; p++, at += fragment) {
      template[at] = TAB;
      for (let i = 0; i < length; i++) template[at + 1 + i] = contig[i] as number;
      template[at + length + 1] = TAB;
      template[at + length + 3] = BAR;
    }
  }
}

/** The encoder whose task last set up the worker's scratch tables. */
let scratchOwner: RowEncoder | undefined;

// A row's mask ORs the bits of its cells' codes; with N and REF's bits cleared, what remains are
// its alt alleles (the alt rule of layout/alt-rule.ts, read from the mask). One bit left (the common case) is the whole alt list; otherwise the row is
// scanned left to right for the order of first appearance. Masks are built column by column.

/**
 * Masks of rows `[base, base + n)`, four rows per 32-bit word, from the word holding row `base`:
 * the block's first row has mask byte `e.maskShift` (0-3; the bytes before it are other rows',
 * unused). Rows past the views' last whole word are masked a byte at a time.
 */
function wordMasks(e: RowEncoder, base: number, n: number): void {
  const words = e.words;
  const columns = e.wordColumns as Uint32Array[];
  const hot2 = twoCellMasks();
  const at = base + e.wordLead;
  const lead = at & 3;
  const first = at >>> 2;
  const count = Math.min((lead + n + 3) >>> 2, (columns[0] as Uint32Array).length - first);
  words.fill(0, 0, count);
  for (let h = 0; h < columns.length; h++) {
    const column = columns[h] as Uint32Array;
    for (let k = 0; k < count; k++) {
      const v = column[first + k] as number;
      words[k] = (words[k] as number) | (hot2[v & 0xffff] as number) | ((hot2[v >>> 16] as number) << 16);
    }
  }
  e.maskShift = lead;
  if (4 * count < lead + n) byteMasks(e, base - lead, Math.max(4 * count, lead), lead + n);
}

/** Masks of rows `base + [from, to)`, a byte at a time. */
function byteMasks(e: RowEncoder, base: number, from: number, to: number): void {
  const mask = e.mask;
  const haplotypes = e.haplotypes;
  mask.fill(0, from, to);
  for (let h = 0; h < haplotypes.length; h++) {
    const column = haplotypes[h] as Uint8Array;
    for (let k = from; k < to; k++) mask[k] = (mask[k] as number) | (ALLELE_BIT[column[base + k] as number] as number);
  }
}

/** Writes the lines of the block's rows that have an alt, from output offset `o`; returns the new offset. */
function encodeBlock(e: RowEncoder, base: number, n: number, o: number): number {
  const { out, mask, ref, pos, contig, alts, pairA, pairB, maskShift } = e;
  const { heap, start, length, missing, deletion } = e.alleles;
  const missingBit = e.missingBit;
  const oneByte = e.alleles.maxLength === 1;
  let lines = 0;
  for (let k = 0; k < n; k++) {
    const r = base + k;
    const refCode = ref[r] as number;
    const m = altBits(mask[maskShift + k] as number, refCode, missingBit);
    if (m === 0) continue;
    let altCount = 1;
    if ((m & (m - 1)) === 0 && m !== RARE_BIT) alts[0] = 31 - Math.clz32(m);
    else {
      altCount = scanAlts(e, r, refCode);
      if (altCount === 0) continue;
    }
    if (e.phaseExtender) {
      o = writePhaseExtenderRow(e, r, refCode, altCount, o);
      lines++;
      continue;
    }
    // contig \t pos \t ref \t alt[,alt...]
    out.set(contig, o);
    o += contig.length;
    out[o++] = TAB;
    o = writePos(out, o, pos[r] as number, e.digits);
    out[o++] = TAB;
    o = put(out, o, heap, start[refCode] as number, length[refCode] as number);
    out[o++] = TAB;
    for (let i = 0; i < altCount; i++) {
      if (i > 0) out[o++] = COMMA;
      const c = alts[i] as number;
      o = put(out, o, heap, start[c] as number, length[c] as number);
    }
    // per pair: \t contig \t x|y, a missing or deleted cell shown as REF
    if (oneByte) {
      // Copy the constant part of every pair's fragment at once, then write the alleles in.
      const shownByte = e.shownByte;
      const refByte = e.alleleByte[refCode] as number;
      if (missing >= 0) shownByte[missing] = refByte;
      if (deletion >= 0) shownByte[deletion] = refByte;
      out.set(e.pairTemplate, o);
      const fragment = e.fragment;
      for (let p = 0, at = o + contig.length + 2; p < pairA.length; p++, at += fragment) {
        out[at] = shownByte[(pairA[p] as Uint8Array)[r] as number] as number;
        out[at + 2] = shownByte[(pairB[p] as Uint8Array)[r] as number] as number;
      }
      o += e.pairTemplate.length;
    } else {
      o = writePairs(e, r, refCode, o);
    }
    out[o++] = NL;
    lines++;
  }
  e.lines += lines;
  return o;
}

/** The alts of row `r` in order of first appearance, into `e.alts`; returns how many (the alt rule, layout/alt-rule.ts). */
function scanAlts(e: RowEncoder, r: number, refCode: number): number {
  return altAlleles(e.haplotypes, r, refCode, e.alleles.missing, e.seen, e.alts);
}

/** Every pair's `\t<contig>\tx|y` of row `r`, for alleles of any length. */
function writePairs(e: RowEncoder, r: number, refCode: number, o: number): number {
  const { out, contig, shown, pairA, pairB } = e;
  const { heap, start, length, missing, deletion } = e.alleles;
  if (missing >= 0) shown[missing] = refCode;
  if (deletion >= 0) shown[deletion] = refCode;
  for (let p = 0; p < pairA.length; p++) {
    out[o++] = TAB;
    out.set(contig, o);
    o += contig.length;
    out[o++] = TAB;
    const a = shown[(pairA[p] as Uint8Array)[r] as number] as number;
    const b = shown[(pairB[p] as Uint8Array)[r] as number] as number;
    o = put(out, o, heap, start[a] as number, length[a] as number);
    out[o++] = BAR;
    o = put(out, o, heap, start[b] as number, length[b] as number);
  }
  return o;
}

/**
 * Row `r` as phase-extender reads it: `CHROM POS REF all-alleles`, then per pair `\t<contig>\tx|y`,
 * or `\t.\t.` when a member is `N`; `-` is written `*` in the allele list and the genotypes.
 */
function writePhaseExtenderRow(e: RowEncoder, r: number, refCode: number, altCount: number, o: number): number {
  const { out, pos, contig, alts, pairA, pairB } = e;
  const { missing } = e.alleles;
  out.set(contig, o);
  o += contig.length;
  out[o++] = TAB;
  o = writePos(out, o, pos[r] as number, e.digits);
  out[o++] = TAB;
  o = putAllele(e, out, o, refCode, false);
  out[o++] = TAB;
  o = putAllele(e, out, o, refCode, true);
  for (let i = 0; i < altCount; i++) {
    out[o++] = COMMA;
    o = putAllele(e, out, o, alts[i] as number, true);
  }
  for (let p = 0; p < pairA.length; p++) {
    const a = (pairA[p] as Uint8Array)[r] as number;
    const b = (pairB[p] as Uint8Array)[r] as number;
    out[o++] = TAB;
    if (a === missing || b === missing) {
      out[o++] = DOT;
      out[o++] = TAB;
      out[o++] = DOT;
      continue;
    }
    out.set(contig, o);
    o += contig.length;
    out[o++] = TAB;
    o = putAllele(e, out, o, a, true);
    out[o++] = BAR;
    o = putAllele(e, out, o, b, true);
  }
  out[o++] = NL;
  return o;
}

/** The bytes of allele `code`; `-` as `*` when `star`. */
function putAllele(e: RowEncoder, out: Uint8Array, o: number, code: number, star: boolean): number {
  const { heap, start, length, deletion } = e.alleles;
  if (star && code === deletion) {
    out[o] = STAR;
    return o + 1;
  }
  return put(out, o, heap, start[code] as number, length[code] as number);
}

/** POS in decimal, two digits per division. */
function writePos(out: Uint8Array, o: number, value: number, digits: Uint8Array): number {
  let d = 12;
  while (value >= 100) {
    const q = (value / 100) | 0;
    const pair = 2 * (value - 100 * q);
    d -= 2;
    digits[d] = DIGIT_PAIRS[pair] as number;
    digits[d + 1] = DIGIT_PAIRS[pair + 1] as number;
    value = q;
  }
  if (value >= 10) {
    d -= 2;
    digits[d] = DIGIT_PAIRS[2 * value] as number;
    digits[d + 1] = DIGIT_PAIRS[2 * value + 1] as number;
  } else {
    d -= 1;
    digits[d] = 48 + value;
  }
  for (; d < 12; d++) out[o++] = digits[d] as number;
  return o;
}

function put(out: Uint8Array, o: number, heap: Uint8Array, from: number, length: number): number {
  if (length === 1) {
    out[o] = heap[from] as number;
    return o + 1;
  }
  for (let k = 0; k < length; k++) out[o + k] = heap[from + k] as number;
  return o + length;
}
