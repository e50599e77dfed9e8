// A minimal, bounds-checked reader of FlatBuffers tables: just what Arrow IPC metadata (Footer,
// Message, Schema, RecordBatch) needs. It keeps the CLI's start-up free of the flatbuffers and
// apache-arrow modules (the .arrow loader must open a matrix in milliseconds).
//
// FlatBuffers in brief: a buffer starts with a uint32 offset to the root table. A table starts
// with an int32 `soffset`; its vtable is at `table - soffset` and lists, per field slot, a uint16
// offset from the table start (0 = field absent). Offset fields (tables, strings, vectors) hold a
// uint32 relative to where they are stored. Strings and vectors start with a uint32 length.

/** The metadata is malformed; the caller adds the file name. */
export class FlatBufferError extends Error {}

/** One table of a FlatBuffers buffer. */
export class FlatTable {
  private constructor(
    private readonly view: DataView,
    private readonly at: number,
    private readonly vtable: number,
    private readonly vtableBytes: number,
  ) {}

  /** The root table of `bytes`. */
  static root(bytes: Uint8Array): FlatTable {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return FlatTable.at(view, checkedUint32(view, 0));
  }

  private static at(view: DataView, at: number): FlatTable {
    check(view, at, 4);
    const vtable = at - view.getInt32(at, true);
    check(view, vtable, 4);
    const vtableBytes = view.getUint16(vtable, true);
    check(view, vtable, vtableBytes);
    return new FlatTable(view, at, vtable, vtableBytes);
  }

  /** Byte position of field `slot`, or 0 when it is absent. */
  private field(slot: number): number {
    const entry = 4 + 2 * slot;
    if (entry + 2 > this.vtableBytes) return 0;
    const offset = this.view.getUint16(this.vtable + entry, true);
    return offset === 0 ? 0 : this.at + offset;
  }

  uint8(slot: number, otherwise = 0): number {
    const at = this.field(slot);
    return at === 0 ? otherwise : (check(this.view, at, 1), this.view.getUint8(at));
  }

  bool(slot: number, otherwise = false): boolean {
    return this.uint8(slot, otherwise ? 1 : 0) !== 0;
  }

  int16(slot: number, otherwise = 0): number {
    const at = this.field(slot);
    return at === 0 ? otherwise : (check(this.view, at, 2), this.view.getInt16(at, true));
  }

  int32(slot: number, otherwise = 0): number {
    const at = this.field(slot);
    return at === 0 ? otherwise : (check(this.view, at, 4), this.view.getInt32(at, true));
  }

  /** An int64 field as a number (it must be a safe integer). */
  int64(slot: number, otherwise = 0): number {
    const at = this.field(slot);
    return at === 0 ? otherwise : readInt64(this.view, at);
  }

  table(slot: number): FlatTable | undefined {
    const at = this.field(slot);
    return at === 0 ? undefined : FlatTable.at(this.view, at + checkedUint32(this.view, at));
  }

  string(slot: number): string | undefined {
    const at = this.field(slot);
    if (at === 0) return undefined;
    const start = at + checkedUint32(this.view, at);
    const length = checkedUint32(this.view, start);
    check(this.view, start + 4, length);
    return Buffer.from(this.view.buffer, this.view.byteOffset + start + 4, length).toString('utf8');
  }

  /** The tables of a vector-of-tables field (empty when absent). */
  tables(slot: number): FlatTable[] {
    const { start, length } = this.vector(slot, 4);
    return Array.from({ length }, (_, i) => {
      const element = start + 4 * i;
      return FlatTable.at(this.view, element + checkedUint32(this.view, element));
    });
  }

  /**
   * The int64 members of a vector-of-structs field, struct by struct: `fields` int64 members per
   * struct of `stride` bytes, at byte offsets `0, 8, ...` unless `offsets` says otherwise.
   */
  structs(slot: number, stride: number, offsets: readonly number[], widths: readonly (4 | 8)[]): number[][] {
    const { start, length } = this.vector(slot, stride);
    return Array.from({ length }, (_, i) =>
      offsets.map((offset, k) => {
        const at = start + stride * i + offset;
        return widths[k] === 4 ? (check(this.view, at, 4), this.view.getInt32(at, true)) : readInt64(this.view, at);
      }),
    );
  }

  private vector(slot: number, elementBytes: number): { start: number; length: number } {
    const at = this.field(slot);
    if (at === 0) return { start: 0, length: 0 };
    const position = at + checkedUint32(this.view, at);
    const length = checkedUint32(this.view, position);
    check(this.view, position + 4, length * elementBytes);
    return { start: position + 4, length };
  }
}

function check(view: DataView, at: number, bytes: number): void {
  if (at < 0 || bytes < 0 || at + bytes > view.byteLength) throw new FlatBufferError(`metadata offset ${at} (+${bytes}) is outside its ${view.byteLength} bytes`);
}

function checkedUint32(view: DataView, at: number): number {
  check(view, at, 4);
  return view.getUint32(at, true);
}

function readInt64(view: DataView, at: number): number {
  check(view, at, 8);
  const value = view.getBigInt64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new FlatBufferError(`int64 ${value} is too large`);
  return Number(value);
}
