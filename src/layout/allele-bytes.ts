// The allele dictionary flattened for the kernels' hot loops: code -> bytes in one heap, and the
// codes of `N` (missing) and `-` (deletion). Built once per task from the shared dictionary.

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

/** Flattens the shared dictionary into the tables the kernels read. */
export function alleleBytes(dictionary: AlleleDictionary | SharedArrayBuffer): AlleleBytes {
  const alleles = dictionary instanceof AlleleDictionary ? dictionary : AlleleDictionary.attach(dictionary);
  const size = alleles.size;
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
