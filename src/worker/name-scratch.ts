// A kernel's contig name as UTF-8 bytes, written into a buffer the kernel keeps from task to
// task: a task per small contig would otherwise make an array per name (100,000 of them for
// 100,000 contigs).

const UTF8 = new TextEncoder();

/** One name's UTF-8 bytes at a time, at the start of `bytes`, valid until the next `write`. */
export class NameScratch {
  bytes = new Uint8Array(256);

  /** Writes `name`'s bytes at the start of `bytes` (a larger buffer when they may not fit); returns their length. */
  write(name: string): number {
    if (this.bytes.length < 3 * name.length) this.bytes = new Uint8Array(3 * name.length);
    return UTF8.encodeInto(name, this.bytes).written;
  }
}
