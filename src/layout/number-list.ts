// Numbers appended one at a time, kept in a typed array replaced by a larger one as it fills: for
// lists with an entry per contig or per contig run, which reach 100,000 entries and more. A
// JavaScript array grown by `push` past some 30,000 entries cost 80-120 ns a push on the 2-core
// bench machine (each growth a new large object, copied and faulted in), a typed array doubling
// about 5 ns; growing eightfold, 100,000 contigs' grouping took 56 ms instead of 77-84 ms.

/** Entries below which a list grows eightfold (8 MB of float64), then twofold. */
const GROW_EIGHTFOLD_BELOW = 1 << 20;

/** A growing list of numbers (float64: exact integers to 2^53). */
export class NumberList {
  /** The entries are `values[0, length)`; the array is replaced as the list grows. */
  values: Float64Array;
  length = 0;

  constructor(capacity = 64) {
    this.values = new Float64Array(Math.max(1, capacity));
  }

  push(value: number): void {
    if (this.length === this.values.length) this.grow();
    this.values[this.length++] = value;
  }

  /**
   * The entries, in shared memory of their own: a message passes a SharedArrayBuffer as it is,
   * where an array of its own would be copied into the message and out again (and a view of
   * `values` would send all of it).
   */
  sharedCopy(): Float64Array {
    const copy = new Float64Array(new SharedArrayBuffer(8 * this.length));
    copy.set(this.values.subarray(0, this.length));
    return copy;
  }

  private grow(): void {
    // Eightfold below GROW_EIGHTFOLD_BELOW entries: the room not yet used is never written, so
    // its pages are never mapped, while each growth is a copy and new pages faulted in.
    const bigger = new Float64Array((this.values.length < GROW_EIGHTFOLD_BELOW ? 8 : 2) * this.values.length);
    bigger.set(this.values);
    this.values = bigger;
  }
}
