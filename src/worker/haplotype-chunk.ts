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

/** Reused between tasks of one worker; grows when a chunk needs more. */
let scratch = new Uint8Array(1 << 20);

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

/** Encodes rows `[task.from, task.to)` of a batch; returns the bytes and the number of lines kept. */
export function runHaplotypeTask(task: HaplotypeTask): EncodedChunk {
  const { pos, ref, haplotypes } = batchViews(task, task.batch, task.from, task.to);
  const alleles = alleleBytes(AlleleDictionary.attach(task.alleles));
  const { heap, start, length, missing, deletion } = alleles;
  const contig = new TextEncoder().encode(task.contig);
  const pairs = task.pairs;
  const pairA = pairs.map(([a]) => haplotypes[a] as Uint8Array);
  const pairB = pairs.map(([, b]) => haplotypes[b] as Uint8Array);
  const width = haplotypes.length;
  const rowBound =
    contig.length + 14 + alleles.maxLength * (2 + Math.min(width, 256)) + width +
    pairs.length * (contig.length + 3 + 2 * alleles.maxLength) + 1;

  const seen = new Int32Array(256).fill(-1);
  const alts = new Uint8Array(256);
  const digits = new Uint8Array(12);
  let out = scratch;
  let o = 0;
  let lines = 0;
  const rows = pos.length;
  for (let r = 0; r < rows; r++) {
    const refCode = ref[r] as number;
    let altCount = 0;
    for (let h = 0; h < width; h++) {
      const c = (haplotypes[h] as Uint8Array)[r] as number;
      if (c !== missing && c !== refCode && seen[c] !== r) {
        seen[c] = r;
        alts[altCount++] = c;
      }
    }
    if (altCount === 0) continue;
    if (o + rowBound > out.length) {
      const bigger = new Uint8Array(Math.max(2 * out.length, o + rowBound));
      bigger.set(out.subarray(0, o));
      out = scratch = bigger;
    }
    // contig \t pos \t ref \t alt[,alt...]
    for (let k = 0; k < contig.length; k++) out[o++] = contig[k] as number;
    out[o++] = TAB;
    let value = pos[r] as number;
    let n = 0;
    do {
      digits[n++] = 48 + (value % 10);
      value = (value / 10) | 0;
    } while (value > 0);
    while (n > 0) out[o++] = digits[--n] as number;
    out[o++] = TAB;
    o = put(out, o, heap, start[refCode] as number, length[refCode] as number);
    out[o++] = TAB;
    for (let k = 0; k < altCount; k++) {
      if (k > 0) out[o++] = COMMA;
      const c = alts[k] as number;
      o = put(out, o, heap, start[c] as number, length[c] as number);
    }
    // per pair: \t contig \t x|y, a missing or deleted cell shown as REF
    for (let p = 0; p < pairs.length; p++) {
      out[o++] = TAB;
      for (let k = 0; k < contig.length; k++) out[o++] = contig[k] as number;
      out[o++] = TAB;
      let a = (pairA[p] as Uint8Array)[r] as number;
      if (a === missing || a === deletion) a = refCode;
      let b = (pairB[p] as Uint8Array)[r] as number;
      if (b === missing || b === deletion) b = refCode;
      o = put(out, o, heap, start[a] as number, length[a] as number);
      out[o++] = BAR;
      o = put(out, o, heap, start[b] as number, length[b] as number);
    }
    out[o++] = NL;
    lines++;
  }
  return { bytes: out.slice(0, o), lines };
}

function put(out: Uint8Array, o: number, heap: Uint8Array, from: number, length: number): number {
  if (length === 1) {
    out[o] = heap[from] as number;
    return o + 1;
  }
  for (let k = 0; k < length; k++) out[o + k] = heap[from + k] as number;
  return o + length;
}
