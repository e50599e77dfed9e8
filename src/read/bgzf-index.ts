// The blocks of a BGZF file (SAM/BAM spec section 4.1: gzip members of at most 64 KiB whose extra
// field `BC` holds the member's size), found by walking their headers, and cut into groups of
// about `chunkBytes` inflated bytes: each group is one parse task, inflated by the worker that
// parses it, so the inflate runs in parallel instead of on the main thread.

import { closeSync, openSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../errors.js';

const HEADER_BYTES = 18;
/**
 * Compressed bytes read at a time while walking the headers, into one buffer. The walk runs on the
 * main thread before any parse starts, and each new page of the buffer costs a fault: 8 MiB at a
 * time took the seed shape's 30 MB file 54 ms (5,130 minor faults in all), 1 MiB 25 ms (3,500); a
 * read of each block's header and trailer alone, 35 ms (two system calls a block).
 */
const READ_BYTES = 1 << 20;

/** Consecutive blocks `[start, end)` of the file, inflating to `bytes`. */
export interface BlockGroup {
  start: number;
  end: number;
  bytes: number;
  /** Start of the last non-empty block before the group (-1 for the first group): its last byte tells whether the group starts a line. */
  before: number;
}

/** Whether the bytes at the start of a file are a BGZF block header (gzip, FEXTRA, subfield `BC` of length 2). */
export function isBgzfHeader(head: Uint8Array): boolean {
  return (
    head.length >= HEADER_BYTES &&
    head[0] === 0x1f && head[1] === 0x8b && head[2] === 8 && ((head[3] as number) & 4) !== 0 &&
    head[10] === 6 && head[11] === 0 && head[12] === 66 && head[13] === 67 && head[14] === 2 && head[15] === 0
  );
}

/** Whether the file at `path` starts with a BGZF block. */
export function isBgzfFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(HEADER_BYTES);
    return readSync(fd, head, 0, HEADER_BYTES, 0) === HEADER_BYTES && isBgzfHeader(head);
  } finally {
    closeSync(fd);
  }
}

/**
 * Walks the block headers of a BGZF file and groups the blocks into runs of at least
 * `chunkBytes` inflated bytes (the last may be shorter). Reads the file through one buffer,
 * `readBytes` at a time and a block's largest size more (each block is whole in it), for each
 * block's header and ISIZE; no block is inflated here.
 */
export function bgzfGroups(path: string, size: number, chunkBytes: number, readBytes = READ_BYTES): BlockGroup[] {
  const fd = openSync(path, 'r');
  const groups: BlockGroup[] = [];
  try {
    const buffer = Buffer.allocUnsafe(readBytes + (1 << 16));
    let bufferAt = 0;
    let length = 0;
    let at = 0;
    let group: BlockGroup = { start: 0, end: 0, bytes: 0, before: -1 };
    let lastFull = -1;
    while (at < size) {
      // Keep the whole block in the buffer: header, data, CRC and ISIZE.
      if (at + (1 << 16) > bufferAt + length && bufferAt + length < size) {
        bufferAt = at;
        length = readSync(fd, buffer, 0, buffer.length, at);
      }
      const offset = at - bufferAt;
      if (size - at < HEADER_BYTES || !isBgzfHeader(buffer.subarray(offset, offset + HEADER_BYTES))) {
        throw new InputError({ file: path }, `corrupt BGZF file: no block header at byte ${at}`);
      }
      const blockSize = buffer.readUInt16LE(offset + 16) + 1;
      if (at + blockSize > size) throw new InputError({ file: path }, `truncated BGZF file: the block at byte ${at} ends past the end of the file`);
      const inflated = buffer.readUInt32LE(offset + blockSize - 4);
      if (inflated > 0) lastFull = at;
      at += blockSize;
      group.end = at;
      group.bytes += inflated;
      if (group.bytes >= chunkBytes) {
        groups.push(group);
        group = { start: at, end: at, bytes: 0, before: lastFull };
      }
    }
    if (group.end > group.start) groups.push(group);
    return groups;
  } finally {
    closeSync(fd);
  }
}

/** The first inflated bytes of a BGZF file: at least `bytes` of them, or up to the first line end past that, or all. */
export function bgzfStart(path: string, size: number, bytes: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const block = Buffer.allocUnsafe(1 << 16);
    const pieces: Buffer[] = [];
    let inflated = 0;
    let at = 0;
    while (at < size) {
      const n = readSync(fd, block, 0, Math.min(block.length, size - at), at);
      if (n < HEADER_BYTES || !isBgzfHeader(block)) throw new InputError({ file: path }, `corrupt BGZF file: no block header at byte ${at}`);
      const blockSize = block.readUInt16LE(16) + 1;
      if (blockSize > n) throw new InputError({ file: path }, `truncated BGZF file: the block at byte ${at} ends past the end of the file`);
      const piece = inflateBlock(path, block.subarray(0, blockSize), at);
      pieces.push(piece);
      inflated += piece.length;
      at += blockSize;
      if (inflated >= bytes && piece.includes(10)) break;
    }
    return Buffer.concat(pieces);
  } finally {
    closeSync(fd);
  }
}

function inflateBlock(path: string, block: Buffer, at: number): Buffer {
  try {
    return gunzipSync(block);
  } catch (error) {
    throw new InputError({ file: path }, `corrupt BGZF block at byte ${at} (${(error as Error).message})`);
  }
}
