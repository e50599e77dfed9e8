// The haplotype kernel: rows of one contig -> lines of the haplotype table (see MISSION.md),
// encoded straight to bytes. It compares one-byte allele codes and copies allele bytes from a
// code -> bytes table; no string is built per site.

import { AlleleDictionary } from '../layout/allele-dictionary.js';
import { batchViews } from '../layout/matrix-layout.js';
import type { EncodedChunk, HaplotypeTask } from './messages.js';

const TAB = 9;
const NL = 10;
const COMMA = 44;
const BAR = 124;

/** Allele code -> bytes, flattened for the hot loop. */
export interface AlleleBytes {
  heap: Uint8Array;
  start: Int32Array;
  length: Int32Array;
  maxLength: number;
  /** Code of `N` and `-`, or -1 when the dictionary lacks them. */
  missing: number;
  deletion: number;
}

/** Flattens the shared dictionary into the tables the kernels read. */
export function alleleBytes(dictionary: AlleleDictionary): AlleleBytes {
  const size = dictionary.size;
  const start = new Int32Array(256);
  const length = new Int32Array(256);
  const parts: Uint8Array[] = [];
  let at = 0;
  let maxLength = 0;
  for (let code = 0; code < size; code++) {
    const bytes = dictionary.bytesOf(code);
    start[code] = at;
    length[code] = bytes.length;
    parts.push(bytes);
    at += bytes.length;
    maxLength = Math.max(maxLength, bytes.length);
  }
  const heap = new Uint8Array(at);
  parts.forEach((bytes, code) => heap.set(bytes, start[code]));
  const N = new TextEncoder().encode('N');
  const dash = new TextEncoder().encode('-');
  return { heap, start, length, maxLength, missing: dictionary.find(N, 0, 1), deletion: dictionary.find(dash, 0, 1) };
}

/** Rows whose alleles are summarised together, column by column (a multiple of 4). */
const BLOCK_ROWS = 1024;
/**
 * A row's allele mask is one byte: codes 0-6 (A C G T N - and the first other allele) own a bit
 * each; every rarer code sets bit 7, and such a row is scanned cell by cell instead.
 */
const RARE = 128;
const HOT = new Uint8Array(256).map((_, code) => (code < 7 ? 1 << code : RARE));
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Masks of two cells at once: the codes of two rows (16 bits) -> their two mask bytes. */
let hotPairs: Uint16Array | undefined;
function twoCellMasks(): Uint16Array {
  if (!hotPairs) {
    hotPairs = new Uint16Array(65536);
    for (let v = 0; v < 65536; v++) hotPairs[v] = (HOT[v & 255] as number) | ((HOT[v >>> 8] as number) << 8);
  }
  return hotPairs;
}

/** Two ASCII digits for 0-99, for writing POS two digits per division. */
const DIGIT_PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  DIGIT_PAIRS[2 * i] = 48 + Math.floor(i / 10);
  DIGIT_PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** Most bytes one site's line can take: contig, POS, REF, every allele as alt, and every pair. */
export function haplotypeRowBound(contigBytes: number, maxAlleleBytes: number, haplotypes: number, pairs: number): number {
  const alts = Math.min(haplotypes, 256);
  return contigBytes + 14 + maxAlleleBytes * (1 + alts) + alts + pairs * (contigBytes + 3 + 2 * maxAlleleBytes) + 1;
}

/** Encodes rows `[task.from, task.to)` of a batch into its output slot; returns the bytes and lines written. */
export function runHaplotypeTask(task: HaplotypeTask): EncodedChunk {
  const { pos, ref, haplotypes } = batchViews(task, task.batch, task.from, task.to);
  const alleles = alleleBytes(AlleleDictionary.attach(task.alleles));
  const { heap, start, length, missing, deletion } = alleles;
  const contig = new TextEncoder().encode(task.contig);
  const pairs = task.pairs;
  const pairA = pairs.map(([a]) => haplotypes[a] as Uint8Array);
  const pairB = pairs.map(([, b]) => haplotypes[b] as Uint8Array);
  const width = haplotypes.length;

  // A row's mask ORs the bits of its cells' codes; with N and REF's bits cleared, what remains
  // are its alt alleles. One bit left (the common case) is the whole alt list; otherwise the row
  // is scanned left to right for the order of first appearance. Masks are built column by
  // column, four rows per 32-bit word when the columns are 4-byte aligned.
  const missingBit = missing >= 0 ? (HOT[missing] as number) & ~RARE : 0;
  const words = new Uint32Array(BLOCK_ROWS / 4);
  const mask = new Uint8Array(words.buffer);
  const hot2 = twoCellMasks();
  const wordColumns = LITTLE_ENDIAN && haplotypes.every((h) => h.byteOffset % 4 === 0)
    ? haplotypes.map((h) => new Uint32Array(h.buffer, h.byteOffset, h.length >>> 2))
    : undefined;
  // What a pair shows for a code: itself, except N and - which show the row's REF.
  const shown = new Uint8Array(256).map((_, code) => code);
  // Every allele one byte long (the usual case): pair fragments are `\t<contig>\tx|y`, fixed size.
  const oneByte = alleles.maxLength === 1;
  const alleleByte = new Uint8Array(256).map((_, code) => heap[start[code] as number] ?? 0);
  // The byte a pair shows for a code, N and - showing the row's REF (set per row).
  const shownByte = alleleByte.slice();
  const fragment = contig.length + 5;
  const pairTemplate = new Uint8Array(pairs.length * fragment);
  for (let p = 0; p < pairs.length; p++) {
    const at = p * fragment;
    pairTemplate[at] = TAB;
    pairTemplate.set(contig, at + 1);
    pairTemplate[at + contig.length + 1] = TAB;
    pairTemplate[at + contig.length + 3] = BAR;
  }
  const seen = new Int32Array(256).fill(-1);
  const alts = new Uint8Array(256);
  const digits = new Uint8Array(12);
  const rows = pos.length;
  const out = new Uint8Array(task.output);
  if (out.length < haplotypeRowBound(contig.length, alleles.maxLength, width, pairs.length) * rows) {
    throw new RangeError('haplotype task: output slot too small for its rows');
  }
  let o = 0;
  let lines = 0;
  for (let base = 0; base < rows; base += BLOCK_ROWS) {
    const n = Math.min(BLOCK_ROWS, rows - base);
    words.fill(0);
    let scalarFrom = 0;
    if (wordColumns) {
      const n4 = n >>> 2;
      const b4 = base >>> 2;
      for (let h = 0; h < width; h++) {
        const column = wordColumns[h] as Uint32Array;
        for (let k = 0; k < n4; k++) {
          const v = column[b4 + k] as number;
          words[k] = (words[k] as number) | (hot2[v & 0xffff] as number) | ((hot2[v >>> 16] as number) << 16);
        }
      }
      scalarFrom = 4 * n4;
    }
    for (let h = 0; h < width; h++) {
      const column = haplotypes[h] as Uint8Array;
      for (let k = scalarFrom; k < n; k++) mask[k] = (mask[k] as number) | (HOT[column[base + k] as number] as number);
    }
    for (let k = 0; k < n; k++) {
      const r = base + k;
      const refCode = ref[r] as number;
      let m = (mask[k] as number) & ~missingBit;
      if (refCode < 7) m &= ~(1 << refCode);
      if (m === 0) continue;
      let altCount = 0;
      if ((m & (m - 1)) === 0 && m !== RARE) {
        alts[0] = 31 - Math.clz32(m);
        altCount = 1;
      } else {
        for (let h = 0; h < width; h++) {
          const c = (haplotypes[h] as Uint8Array)[r] as number;
          if (c !== missing && c !== refCode && seen[c] !== r) {
            seen[c] = r;
            alts[altCount++] = c;
          }
        }
        if (altCount === 0) continue;
      }
      // contig \t pos \t ref \t alt[,alt...]
      for (let i = 0; i < contig.length; i++) out[o++] = contig[i] as number;
      out[o++] = TAB;
      let value = pos[r] as number;
      let d = 12;
      while (value >= 100) {
        const q = (value / 100) | 0;
        const pair = 2 * (value - 100 * q);
        digits[--d] = DIGIT_PAIRS[pair + 1] as number;
        digits[--d] = DIGIT_PAIRS[pair] as number;
        value = q;
      }
      if (value >= 10) {
        digits[--d] = DIGIT_PAIRS[2 * value + 1] as number;
        digits[--d] = DIGIT_PAIRS[2 * value] as number;
      } else {
        digits[--d] = 48 + value;
      }
      while (d < 12) out[o++] = digits[d++] as number;
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
        const refByte = alleleByte[refCode] as number;
        if (missing >= 0) shownByte[missing] = refByte;
        if (deletion >= 0) shownByte[deletion] = refByte;
        out.set(pairTemplate, o);
        for (let p = 0, at = o + contig.length + 2; p < pairs.length; p++, at += fragment) {
          out[at] = shownByte[(pairA[p] as Uint8Array)[r] as number] as number;
          out[at + 2] = shownByte[(pairB[p] as Uint8Array)[r] as number] as number;
        }
        o += pairTemplate.length;
        out[o++] = NL;
        lines++;
        continue;
      }
      if (missing >= 0) shown[missing] = refCode;
      if (deletion >= 0) shown[deletion] = refCode;
      for (let p = 0; p < pairs.length; p++) {
        out[o++] = TAB;
        for (let i = 0; i < contig.length; i++) out[o++] = contig[i] as number;
        out[o++] = TAB;
        const a = shown[(pairA[p] as Uint8Array)[r] as number] as number;
        const b = shown[(pairB[p] as Uint8Array)[r] as number] as number;
        o = put(out, o, heap, start[a] as number, length[a] as number);
        out[o++] = BAR;
        o = put(out, o, heap, start[b] as number, length[b] as number);
      }
      out[o++] = NL;
      lines++;
    }
  }
  return { length: o, lines };
}

function put(out: Uint8Array, o: number, heap: Uint8Array, from: number, length: number): number {
  if (length === 1) {
    out[o] = heap[from] as number;
    return o + 1;
  }
  for (let k = 0; k < length; k++) out[o + k] = heap[from + k] as number;
  return o + length;
}
