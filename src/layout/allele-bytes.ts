// The allele dictionary flattened for the kernels' hot loops: code -> bytes in one heap, and the
// codes of `N` (missing) and `-` (deletion). Built from the shared dictionary once per buffer object and size.

import { AlleleDictionary } from './allele-dictionary.js';

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

const N = new TextEncoder().encode('N');
const DASH = new TextEncoder().encode('-');

/**
 * The tables of each dictionary buffer, with the allele count they were made for. A group of range
 * tasks (worker/task-group.ts) holds one buffer object for all its tasks: the tables are made once
 * per group, not once per small contig. A dictionary only grows, so the same count means the same alleles.
 */
const made = new WeakMap<SharedArrayBuffer, { size: number; tables: AlleleBytes }>();

/** Flattens the shared dictionary into the tables the kernels read (read-only: they may be shared by tasks). */
export function alleleBytes(dictionary: AlleleDictionary | SharedArrayBuffer): AlleleBytes {
  const alleles = dictionary instanceof AlleleDictionary ? dictionary : AlleleDictionary.shared(dictionary);
  const size = alleles.size;
  const known = made.get(alleles.buffer);
  if (known?.size === size) return known.tables;
  const tables = flatten(alleles, size);
  made.set(alleles.buffer, { size, tables });
  return tables;
}

function flatten(alleles: AlleleDictionary, size: number): AlleleBytes {
  const start = new Int32Array(256);
  const length = new Int32Array(256);
  const parts: Uint8Array[] = [];
  let at = 0;
  let maxLength = 0;
  for (let code = 0; code < size; code++) {
    const bytes = alleles.bytesOf(code);
    start[code] = at;
    length[code] = bytes.length;
    parts.push(bytes);
    at += bytes.length;
    maxLength = Math.max(maxLength, bytes.length);
  }
  const heap = new Uint8Array(at);
  parts.forEach((bytes, code) => heap.set(bytes, start[code]));
  return { heap, start, length, maxLength, missing: alleles.find(N, 0, 1), deletion: alleles.find(DASH, 0, 1) };
}
