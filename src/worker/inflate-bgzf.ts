// Inflates one group of BGZF blocks in a worker, a few blocks at a time, and hands their lines to
// the parse, with the end of the line that runs on into the next group: a parse chunk owns the
// lines that start inside it, as a byte range of a plain file does.
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

/**
 * Inflated bytes parsed at a time: a few blocks, so that the worker's buffer stays small (a whole
 * group was 8 MiB a worker) and the parse reads bytes just inflated. Against a whole group at a
 * time, the seed shape's load took the same time (10 pairs) at a peak 13 MiB lower.
 */
const PIECE_BYTES = 1 << 20;

/** This worker's buffers: a group's compressed bytes, the inflated bytes being parsed, and one block's of each. */
let compressed: Buffer = Buffer.allocUnsafe(0);
let inflated: Buffer = Buffer.allocUnsafe(0);
const block = Buffer.allocUnsafe(MAX_BLOCK);
const blockInflated = Buffer.allocUnsafe(MAX_BLOCK);

/**
 * Hands `consume` the group's lines, from the first line that starts in it (or its start, for the
 * first group) to the end of its last line, completed from the blocks after the group, a few
 * blocks at a time: `consume(bytes, p, end)` gets whole lines `[p, end)` and returns where it
 * stopped (`end`). The bytes are a view of this worker's buffer, valid during the call. Throws
 * `DamagedGzip` (with the byte offset) for a block that does not inflate.
 */
export function parseBgzfRange(source: BgzfRangeSource, consume: (bytes: Uint8Array, p: number, end: number) => number): void {
  const fd = openSync(source.path, 'r');
  try {
    const length = source.end - source.start;
    if (compressed.length < length) compressed = Buffer.allocUnsafe(length);
    readFully(fd, compressed.subarray(0, length), source.start);
    // Skip the header line (first group), or the end of a line the previous group owns.
    let skip = source.before < 0 ? source.headerLines : 0;
    if (source.before >= 0) {
      const previous = inflateBlockAt(fd, source.before);
      if (previous.length > 0 && previous[previous.length - 1] !== NL) skip = 1;
    }
    let filled = 0;
    let from = 0;
    for (let at = 0; at < length; ) {
      // The next blocks, up to about PIECE_BYTES inflated (at least one).
      let next = at;
      let size = 0;
      do {
        const [blockSize, isize] = blockSizes(compressed, next, length, source.start);
        size += isize;
        next += blockSize;
      } while (next < length && size < PIECE_BYTES);
      if (inflated.length < filled + size) inflated = grown(inflated, filled, filled + size + PIECE_BYTES);
      filled += inflate(compressed.subarray(at, next), inflated.subarray(filled, filled + size), source.start + at);
      at = next;
      for (; skip > 0; skip--) {
        const nl = inflated.indexOf(NL, from);
        if (nl < 0 || nl >= filled) break;
        from = nl + 1;
      }
      if (skip > 0 || filled === from) continue; // (an empty block: lastIndexOf(NL, -1) would search from the end)
      const end = inflated.lastIndexOf(NL, filled - 1) + 1;
      if (end > from) from = consume(inflated, from, end);
      inflated.copyWithin(0, from, filled);
      filled -= from;
      from = 0;
    }
    if (skip > 0 || filled === 0) return; // no line starts in this group, or its last line ends in it
    // Complete the last line from the following blocks, one at a time.
    let at = source.end;
    let ended = false;
    while (at < source.size && !ended) {
      const piece = inflateBlockAt(fd, at);
      at += block.readUInt16LE(16) + 1;
      const nl = piece.indexOf(NL);
      const take = nl < 0 ? piece.length : nl + 1;
      if (filled + take > inflated.length) inflated = grown(inflated, filled, filled + take);
      inflated.set(piece.subarray(0, take), filled);
      filled += take;
      ended = nl >= 0;
    }
    if (!ended) {
      // The last line of the file has no line end.
      if (filled + 1 > inflated.length) inflated = grown(inflated, filled, filled + 1);
      inflated[filled++] = NL;
    }
    consume(inflated, 0, filled);
  } finally {
    closeSync(fd);
  }
}

/**
 * The compressed and inflated sizes of the block at `bytes[at]`, read from its header and trailer
 * and checked: it must lie within `bytes[0, length)` (which holds the file from byte `fileAt`) and
 * inflate to at most 64 KiB.
 */
function blockSizes(bytes: Buffer, at: number, length: number, fileAt: number): [size: number, isize: number] {
  const size = at + 18 <= length ? bytes.readUInt16LE(at + 16) + 1 : 0;
  if (size < 26 || at + size > length) throw new DamagedGzip(`corrupt BGZF block at byte ${fileAt + at}`);
  const isize = bytes.readUInt32LE(at + size - 4);
  if (isize > MAX_BLOCK) throw new DamagedGzip(`corrupt BGZF block at byte ${fileAt + at}: it says it inflates to ${isize} bytes`);
  return [size, isize];
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
  const [size, isize] = blockSizes(block, 0, readSync(fd, block, 0, MAX_BLOCK, at), at);
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
