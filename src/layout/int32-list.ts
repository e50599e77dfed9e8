// 32-bit integers appended one at a time, kept in a typed array replaced by a larger one as it
// fills: for lists with an entry per contig run, which reach 100,000 entries and more. A
// JavaScript array grown by `push` past some 30,000 entries cost 80-120 ns a push on the 2-core
// bench machine (each growth a new large object, copied and faulted in), a typed array doubling
// about 5 ns. Int32, not float64: a reader that runs before V8 optimises it (the main thread's
// loop over a load's runs) gets a small integer from an Int32Array, and a new heap number, for
// the garbage collector, from each float64 it reads.

/** Entries below which a list grows eightfold (4 MB of int32), then twofold. */
const GROW_EIGHTFOLD_BELOW = 1 << 20;

/** A growing list of 32-bit integers. */
export class Int32List {
  /** The entries are `values[0, length)`; the array is replaced as the list grows. */
  values: Int32Array;
  length = 0;

  constructor(capacity = 64) {
    this.values = new Int32Array(Math.max(1, capacity));
  }

  /** Room for `more` entries after the last, without growing. */
  reserve(more: number): void {
    while (this.length + more > this.values.length) this.grow();
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
  sharedCopy(): Int32Array {
    const copy = new Int32Array(new SharedArrayBuffer(4 * this.length));
    copy.set(this.values.subarray(0, this.length));
    return copy;
  }

  private grow(): void {
    // Eightfold below GROW_EIGHTFOLD_BELOW entries: the room not yet used is never written, so
    // its pages are never mapped, while each growth is a copy and new pages faulted in.
    const bigger = new Int32Array((this.values.length < GROW_EIGHTFOLD_BELOW ? 8 : 2) * this.values.length);
    bigger.set(this.values);
    this.values = bigger;
  }
}
