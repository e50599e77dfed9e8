// Inflates one group of BGZF blocks in a worker, with the start of the line that runs on into the
// next group: a parse chunk owns the lines that start inside it, as a byte range of a plain file does.
//
// The compressed and the inflated bytes go into buffers the worker keeps from group to group (grown
// when a group needs more), so a load leaves no garbage per group behind: with new buffers each
// time, each parse worker held 20-40 MB of dead buffers between its collections.

import { closeSync, openSync, readSync } from 'node:fs';
import type { BgzfRangeSource } from './messages.js';
import { DamagedGzip, gunzipInto } from '../read/inflate.js';

const NL = 10;
/** A BGZF block is at most 64 KiB, compressed and inflated. */
const MAX_BLOCK = 1 << 16;

/** This worker's buffers: a group's compressed bytes, its inflated bytes, and one block's of each. */
let compressed: Buffer = Buffer.allocUnsafe(0);
let inflated: Buffer = Buffer.allocUnsafe(0);
const block = Buffer.allocUnsafe(MAX_BLOCK);
const blockInflated = Buffer.allocUnsafe(MAX_BLOCK);

/**
 * The inflated bytes of the group's lines: from the first line that starts in it (or its start,
 * for the first group) to the end of its last line. A view of this worker's buffer, valid until
 * its next call. Throws `DamagedGzip` (with the byte offset) for a block that does not inflate.
 */
export function inflateBgzfRange(source: BgzfRangeSource): Uint8Array {
  const fd = openSync(source.path, 'r');
  try {
    const length = source.end - source.start;
    if (compressed.length < length) compressed = Buffer.allocUnsafe(length);
    readFully(fd, compressed.subarray(0, length), source.start);
    const size = inflatedSize(compressed, length, source.start);
    // Room for the tail of the last line too, which is most often inside the next block.
    if (inflated.length < size + MAX_BLOCK) inflated = Buffer.allocUnsafe(size + MAX_BLOCK);
    let end = inflate(compressed.subarray(0, length), inflated.subarray(0, size), source.start);
    // Skip the header line (first group), or the end of a line the previous group owns.
    let skip = source.before < 0 ? source.headerLines : 0;
    if (source.before >= 0) {
      const previous = inflateBlockAt(fd, source.before);
      if (previous.length > 0 && previous[previous.length - 1] !== NL) skip = 1;
    }
    let from = 0;
    for (let k = 0; k < skip; k++) {
      const nl = inflated.indexOf(NL, from);
      if (nl < 0 || nl >= end) return new Uint8Array(0); // no line starts in this group
      from = nl + 1;
    }
    // Complete the last line from the following blocks, one at a time.
    if (end > 0 && inflated[end - 1] !== NL) {
      let at = source.end;
      let ended = false;
      while (at < source.size && !ended) {
        const piece = inflateBlockAt(fd, at);
        at += block.readUInt16LE(16) + 1;
        const nl = piece.indexOf(NL);
        const take = nl < 0 ? piece.length : nl + 1;
        if (end + take > inflated.length) inflated = grown(inflated, end, end + take);
        inflated.set(piece.subarray(0, take), end);
        end += take;
        ended = nl >= 0;
      }
      if (!ended) {
        // The last line of the file has no line end.
        if (end + 1 > inflated.length) inflated = grown(inflated, end, end + 1);
        inflated[end++] = NL;
      }
    }
    return inflated.subarray(from, end);
  } finally {
    closeSync(fd);
  }
}

/** The inflated size of the blocks in `bytes[0, length)`: their trailers' ISIZE added up. */
function inflatedSize(bytes: Buffer, length: number, fileAt: number): number {
  let size = 0;
  for (let at = 0; at < length; ) {
    const blockSize = at + 18 <= length ? bytes.readUInt16LE(at + 16) + 1 : 0;
    if (blockSize < 26 || at + blockSize > length) throw new DamagedGzip(`corrupt BGZF block at byte ${fileAt + at}`);
    const isize = bytes.readUInt32LE(at + blockSize - 4);
    if (isize > MAX_BLOCK) throw new DamagedGzip(`corrupt BGZF block at byte ${fileAt + at}: it says it inflates to ${isize} bytes`);
    size += isize;
    at += blockSize;
  }
  return size;
}

/** Inflates `src` (whole blocks starting at byte `fileAt` of the file) into `dst`, which it must fill exactly. */
function inflate(src: Uint8Array, dst: Uint8Array, fileAt: number): number {
  let written: number;
  try {
    written = gunzipInto(src, dst);
  } catch (error) {
    if (error instanceof DamagedGzip) throw damagedBlock(src, fileAt, error);
    throw error;
  }
  if (written !== dst.length) throw new DamagedGzip(`corrupt BGZF data in the blocks from byte ${fileAt}: ${written} bytes inflated, their trailers give ${dst.length}`);
  return written;
}

/** The error for the first block of `src` that does not inflate (found block by block: a damaged file is rare). */
function damagedBlock(src: Uint8Array, fileAt: number, groupError: DamagedGzip): DamagedGzip {
  const bytes = Buffer.from(src.buffer, src.byteOffset, src.length);
  for (let at = 0; at < bytes.length; ) {
    const size = bytes.readUInt16LE(at + 16) + 1;
    const isize = bytes.readUInt32LE(at + size - 4);
    try {
      if (isize > MAX_BLOCK || gunzipInto(bytes.subarray(at, at + size), blockInflated.subarray(0, isize)) !== isize) throw new DamagedGzip(`it does not inflate to the ${isize} bytes its trailer gives`);
    } catch (error) {
      if (error instanceof DamagedGzip) return new DamagedGzip(`corrupt BGZF block at byte ${fileAt + at}: ${error.message}`);
      throw error;
    }
    at += size;
  }
  return new DamagedGzip(`corrupt BGZF data in the blocks from byte ${fileAt}: ${groupError.message}`);
}

/** The block starting at byte `at`, inflated (a view of this worker's block buffer); its compressed bytes stay in `block`. */
function inflateBlockAt(fd: number, at: number): Buffer {
  const n = readSync(fd, block, 0, MAX_BLOCK, at);
  const size = n >= 18 ? block.readUInt16LE(16) + 1 : 0;
  if (size < 26 || size > n) throw new DamagedGzip(`corrupt BGZF block at byte ${at}`);
  const isize = block.readUInt32LE(size - 4);
  if (isize > MAX_BLOCK) throw new DamagedGzip(`corrupt BGZF block at byte ${at}: it says it inflates to ${isize} bytes`);
  return blockInflated.subarray(0, inflate(block.subarray(0, size), blockInflated.subarray(0, isize), at));
}

/** A bigger buffer holding `bytes[0, keep)`. */
function grown(bytes: Buffer, keep: number, needed: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(needed, 2 * bytes.length));
  bytes.copy(bigger, 0, 0, keep);
  return bigger;
}

function readFully(fd: number, into: Buffer, position: number): void {
  for (let done = 0; done < into.length; ) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new DamagedGzip(`BGZF range: unexpected end of file at byte ${position + done}`);
    done += n;
  }
}
