// The VCF kernel: rows of one contig -> VCF 4.2 records, encoded straight to bytes. A site is
// kept by the haplotype-table rule (some cell is neither `N` nor REF); its ALT alleles are the
// distinct VCF forms of those cells in order of first appearance, and each pair's genotype is
// `a|b`, the members' allele indices (0 = REF, `.` = missing). See convert/vcf-alleles.ts.

import { alleleBytes } from '../layout/allele-bytes.js';
import { altAlleles, altScratch } from '../layout/alt-rule.js';
import { batchViews } from '../layout/matrix-layout.js';
import type { TransferredChunk, VcfTask } from './messages.js';

const TAB = 9;
const NL = 10;
const COMMA = 44;
const BAR = 124;
const DOT = 46;
const ZERO = 48;
/** `\t.\tPASS\t.` : QUAL, FILTER and INFO of every record. */
const FIXED = new TextEncoder().encode('\t.\tPASS\t.');
const FORMAT_GT = new TextEncoder().encode('\tGT');

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
  const encoded = texts.map((text) => new TextEncoder().encode(text));
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

/** Encodes rows `[task.from, task.to)` of a batch as VCF records. */
export function runVcfTask(task: VcfTask): TransferredChunk {
  const { pos, ref, haplotypes } = batchViews(task, task.batch, task.from, task.to);
  const missing = alleleBytes(task.alleles).missing;
  const refs = textTable(task.refTexts);
  const alts = textTable(task.altTexts);
  const altOf = task.altOf;
  const contig = new TextEncoder().encode(task.contig);
  const pairs = task.pairs;
  const pairA = pairs.map(([a]) => haplotypes[a] as Uint8Array);
  const pairB = pairs.map(([, b]) => haplotypes[b] as Uint8Array);
  const width = haplotypes.length;
  const rowBound =
    contig.length + 16 + refs.maxLength + (alts.maxLength + 1) * Math.min(width, task.altTexts.length) +
    FIXED.length + FORMAT_GT.length + 9 * pairs.length + 2;

  const { seen, alts: codes } = altScratch();
  const seenAlt = new Int32Array(256).fill(-1); // alt id -> the row it was last listed in
  const indexOf = new Int32Array(256); // alt id -> its 1-based index in this site's ALT list
  const listed = new Int32Array(256);
  const digits = new Uint8Array(12);
  let out = scratch;
  let o = 0;
  let lines = 0;
  const rows = pos.length;
  for (let r = 0; r < rows; r++) {
    const refCode = ref[r] as number;
    // The site's alt alleles (the alt rule), then their distinct VCF forms in the same order.
    const altCodes = altAlleles(haplotypes, r, refCode, missing, seen, codes);
    if (altCodes === 0) continue;
    let altCount = 0;
    for (let k = 0; k < altCodes; k++) {
      const id = altOf[codes[k] as number] as number;
      if (id >= 0 && seenAlt[id] !== r) {
        seenAlt[id] = r;
        listed[altCount] = id;
        indexOf[id] = ++altCount;
      }
    }
    if (o + rowBound > out.length) {
      const bigger = new Uint8Array(Math.max(2 * out.length, o + rowBound));
      bigger.set(out.subarray(0, o));
      out = scratch = bigger;
    }
    // CHROM \t POS \t . \t REF \t ALT[,ALT...]
    for (let k = 0; k < contig.length; k++) out[o++] = contig[k] as number;
    out[o++] = TAB;
    o = putNumber(out, o, pos[r] as number, digits);
    out[o++] = TAB;
    out[o++] = DOT;
    out[o++] = TAB;
    o = put(out, o, refs, refCode);
    out[o++] = TAB;
    if (altCount === 0) out[o++] = DOT; // every non-REF cell is an allele VCF cannot carry
    for (let k = 0; k < altCount; k++) {
      if (k > 0) out[o++] = COMMA;
      o = put(out, o, alts, listed[k] as number);
    }
    // \t . \t PASS \t . [\t GT \t a|b ...]
    out.set(FIXED, o);
    o += FIXED.length;
    if (pairs.length > 0) {
      out.set(FORMAT_GT, o);
      o += FORMAT_GT.length;
    }
    for (let p = 0; p < pairs.length; p++) {
      out[o++] = TAB;
      o = putGenotype(out, o, (pairA[p] as Uint8Array)[r] as number, refCode, missing, altOf, indexOf, digits);
      out[o++] = BAR;
      o = putGenotype(out, o, (pairB[p] as Uint8Array)[r] as number, refCode, missing, altOf, indexOf, digits);
    }
    out[o++] = NL;
    lines++;
  }
  // A view of the scratch buffer: the worker entry copies or compresses it (worker/bgzf-task.ts).
  return { bytes: out.subarray(0, o), lines };
}

/** One member's allele index: `.` for `N` or an allele VCF cannot carry, 0 for REF, 1.. for ALT. */
function putGenotype(
  out: Uint8Array,
  o: number,
  code: number,
  refCode: number,
  missing: number,
  altOf: Int16Array,
  indexOf: Int32Array,
  digits: Uint8Array,
): number {
  if (code === missing) {
    out[o] = DOT;
    return o + 1;
  }
  if (code === refCode) {
    out[o] = ZERO;
    return o + 1;
  }
  const id = altOf[code] as number;
  if (id < 0) {
    out[o] = DOT;
    return o + 1;
  }
  return putNumber(out, o, indexOf[id] as number, digits);
}

function putNumber(out: Uint8Array, o: number, value: number, digits: Uint8Array): number {
  let n = 0;
  do {
    digits[n++] = ZERO + (value % 10);
    value = (value / 10) | 0;
  } while (value > 0);
  while (n > 0) out[o++] = digits[--n] as number;
  return o;
}

function put(out: Uint8Array, o: number, table: TextTable, i: number): number {
  const from = table.start[i] as number;
  const length = table.length[i] as number;
  for (let k = 0; k < length; k++) out[o + k] = table.heap[from + k] as number;
  return o + length;
}
