// A first look at an input's bytes before any parsing: a binary file (an image, a BAM, a
// compressed format that is not gzip) or text in a legacy encoding gets one clear message at once,
// instead of a confusing complaint about fields or alleles somewhere further down.

import { InputError } from '../errors.js';

/** Bytes of the (decompressed) start of an input that are checked. */
export const TEXT_SAMPLE_BYTES = 1 << 16;

const NL = 10;

/** Offset of the first byte that is not valid UTF-8 in `bytes`, or -1; a sequence cut by the sample's end is accepted unless `complete`. */
export function firstInvalidUtf8(bytes: Uint8Array, complete: boolean): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return complete ? i : -1; // a character cut by the sample's end
      if ((c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Throws when the first bytes of an input are not text: a NUL byte, or bytes that are not UTF-8.
 * `complete` says the sample is the whole input (so a cut multi-byte character is an error).
 */
export function assertTextSample(sample: Uint8Array, file: string, complete: boolean): void {
  const nul = sample.indexOf(0);
  const invalid = firstInvalidUtf8(nul < 0 ? sample : sample.subarray(0, nul), complete);
  const at = invalid >= 0 ? invalid : nul;
  if (at < 0) return;
  let line = 1;
  for (let k = sample.indexOf(NL); k >= 0 && k < at; k = sample.indexOf(NL, k + 1)) line++;
  const byte = `0x${(sample[at] as number).toString(16).padStart(2, '0')}`;
  const what = invalid >= 0 ? `a byte that is not UTF-8 text (${byte} at byte ${at + 1})` : `a NUL byte (at byte ${at + 1})`;
  throw new InputError({ file, line }, `${what}: expected a tab-separated text genome matrix (plain or gzip); is this a binary file?`);
}
