// The allele dictionary shared by REF and every haplotype column: code (one byte) -> allele bytes.
// It lives in one SharedArrayBuffer so that parse workers running in parallel agree on codes.
//
// Layout (all little-endian, offsets in bytes):
//   0     Int32 lock         0 = free, 1 = held (Atomics spin/wait lock, taken only to insert)
//   4     Int32 count        number of alleles
//   8     Int32 heapUsed     bytes used in the heap
//   64    Int32[256]         heap offset of allele i
//   1088  Int32[256]         byte length of allele i
//   2112  Uint8[HEAP_BYTES]  allele bytes, UTF-8, back to back
// Codes are never reassigned while a parse runs; `canonicalize()` renumbers afterwards.

import { GenomatrixError } from '../errors.js';

/** At most this many distinct alleles: codes are one byte (Arrow `Dictionary<Utf8, Uint8>`). */
export const MAX_ALLELES = 256;
/** Longest allele string accepted, in bytes. */
export const MAX_ALLELE_BYTES = 1024;
/** Alleles every dictionary starts with, in this order, so common codes are fixed: A=0 C=1 G=2 T=3 N=4 -=5. */
export const SEED_ALLELES = ['A', 'C', 'G', 'T', 'N', '-'] as const;

const LOCK = 0;
const COUNT = 1;
const HEAP_USED = 2;
const OFFSETS_AT = 64;
const LENGTHS_AT = OFFSETS_AT + 4 * MAX_ALLELES;
const HEAP_AT = LENGTHS_AT + 4 * MAX_ALLELES;
const HEAP_BYTES = 256 * 1024;
/** Size of the dictionary's SharedArrayBuffer. */
export const ALLELE_DICTIONARY_BYTES = HEAP_AT + HEAP_BYTES;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Thrown by `intern` when a new allele does not fit; the caller adds file and line. */
export class DictionaryFullError extends GenomatrixError {
  constructor(problem: string) {
    super(problem);
  }
}

/** Each dictionary buffer's view in this thread (`AlleleDictionary.shared`). */
const sharedViews = new WeakMap<SharedArrayBuffer, AlleleDictionary>();

/** A view of the shared allele dictionary, usable on the main thread and in workers. */
export class AlleleDictionary {
  readonly buffer: SharedArrayBuffer;
  private readonly header: Int32Array;
  private readonly offsets: Int32Array;
  private readonly lengths: Int32Array;
  private readonly heap: Uint8Array;

  private constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.header = new Int32Array(buffer, 0, 16);
    this.offsets = new Int32Array(buffer, OFFSETS_AT, MAX_ALLELES);
    this.lengths = new Int32Array(buffer, LENGTHS_AT, MAX_ALLELES);
    this.heap = new Uint8Array(buffer, HEAP_AT, HEAP_BYTES);
  }

  /** A new dictionary holding the seed alleles, or the given alleles in code order. */
  static create(alleles: readonly string[] = SEED_ALLELES): AlleleDictionary {
    const dictionary = new AlleleDictionary(new SharedArrayBuffer(ALLELE_DICTIONARY_BYTES));
    for (const allele of alleles) {
      const bytes = encoder.encode(allele);
      dictionary.intern(bytes, 0, bytes.length);
    }
    return dictionary;
  }

  /** Wraps a dictionary buffer received from another thread. */
  static attach(buffer: SharedArrayBuffer): AlleleDictionary {
    return new AlleleDictionary(buffer);
  }

  /** The one view of `buffer` in this thread, made on first use (a view is four typed arrays: asked for per small contig, made once). */
  static shared(buffer: SharedArrayBuffer): AlleleDictionary {
    let view = sharedViews.get(buffer);
    if (!view) sharedViews.set(buffer, (view = new AlleleDictionary(buffer)));
    return view;
  }

  get size(): number {
    return Atomics.load(this.header, COUNT);
  }

  /** The bytes of allele `code` (a view, not a copy). */
  bytesOf(code: number): Uint8Array {
    const offset = this.offsets[code] ?? 0;
    return this.heap.subarray(offset, offset + (this.lengths[code] ?? 0));
  }

  /** The allele strings in code order. */
  toStrings(): string[] {
    const out: string[] = [];
    for (let code = 0; code < this.size; code++) out.push(decoder.decode(this.bytesOf(code).slice()));
    return out;
  }

  /** Code of the allele in `bytes[start, end)`, or -1 when absent. */
  find(bytes: Uint8Array, start: number, end: number): number {
    const count = this.size;
    const length = end - start;
    for (let code = 0; code < count; code++) {
      if (this.lengths[code] !== length) continue;
      const offset = this.offsets[code] ?? 0;
      let k = 0;
      while (k < length && this.heap[offset + k] === bytes[start + k]) k++;
      if (k === length) return code;
    }
    return -1;
  }

  /** Code of the allele in `bytes[start, end)`, inserting it when new. Thread-safe. */
  intern(bytes: Uint8Array, start: number, end: number): number {
    const known = this.find(bytes, start, end);
    if (known >= 0) return known;
    const length = end - start;
    if (length > MAX_ALLELE_BYTES) {
      throw new DictionaryFullError(`allele of ${length} bytes is longer than the ${MAX_ALLELE_BYTES} accepted`);
    }
    this.lock();
    try {
      const again = this.find(bytes, start, end); // another thread may have inserted it meanwhile
      if (again >= 0) return again;
      const count = this.header[COUNT] ?? 0;
      const used = this.header[HEAP_USED] ?? 0;
      if (count >= MAX_ALLELES || used + length > HEAP_BYTES) {
        throw new DictionaryFullError(
          `more than ${MAX_ALLELES} distinct alleles (a one-byte dictionary index holds ${MAX_ALLELES})`,
        );
      }
      this.heap.set(bytes.subarray(start, end), used);
      this.offsets[count] = used;
      this.lengths[count] = length;
      this.header[HEAP_USED] = used + length;
      Atomics.store(this.header, COUNT, count + 1); // publish last: readers scan up to COUNT
      return count;
    } finally {
      this.unlock();
    }
  }

  /**
   * Renumbers the dictionary into its canonical order (seed alleles first, the others sorted by
   * their bytes) so that codes do not depend on which worker met an allele first. Returns the
   * old-code -> new-code map, or null when the order was already canonical.
   */
  canonicalize(): Uint8Array | null {
    const alleles = this.toStrings();
    const order = canonicalAlleles(alleles);
    if (order.every((allele, i) => allele === alleles[i])) return null;
    const map = new Uint8Array(MAX_ALLELES);
    alleles.forEach((allele, oldCode) => (map[oldCode] = order.indexOf(allele)));
    this.header[COUNT] = 0;
    this.header[HEAP_USED] = 0;
    for (const allele of order) {
      const bytes = encoder.encode(allele);
      this.intern(bytes, 0, bytes.length);
    }
    return map;
  }

  private lock(): void {
    while (Atomics.compareExchange(this.header, LOCK, 0, 1) !== 0) Atomics.wait(this.header, LOCK, 1, 10);
  }

  private unlock(): void {
    Atomics.store(this.header, LOCK, 0);
    Atomics.notify(this.header, LOCK, 1);
  }
}

/** Alleles in the canonical order of a dictionary: the seed alleles first, then the others sorted by their bytes. */
export function canonicalAlleles(alleles: readonly string[]): string[] {
  return [...alleles.slice(0, SEED_ALLELES.length), ...alleles.slice(SEED_ALLELES.length).sort(compareBytes)];
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
