// BGZF (the blocked gzip of htslib, SAM/BAM spec section 4.1): a series of gzip members of at
// most 64 KiB each, whose extra field `BC` holds the member's size, ended by an empty member.
// Blocks compressed independently concatenate into one valid BGZF file, so worker threads
// compress their own chunks and the main thread only writes them in order, then `BGZF_EOF`.

import { crc32, deflateRawSync } from 'node:zlib';
import { binding } from '../native.js';

/** Uncompressed bytes per block, as `bgzip` uses: the compressed block always fits in 64 KiB. */
const BLOCK_INPUT = 0xff00;
const HEADER_BYTES = 18;
const FOOTER_BYTES = 8;

/** The empty block that ends a BGZF file. */
export const BGZF_EOF = Uint8Array.from([
  0x1f, 0x8b, 0x08, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x06, 0x00, 0x42, 0x43, 0x02, 0x00, 0x1b, 0x00, 0x03, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
]);

/**
 * The deflate level of BGZF outputs unless one is asked for (`-l`): 4 compresses a VCF or haplotype
 * table to 4-5% more bytes than level 5 and 8-9% more than level 6 (bgzip's default), in 0.6-0.8x
 * and 0.35-0.45x their deflate time (docs/output-formats.md).
 */
export const DEFAULT_BGZF_LEVEL = 4;

/** A BGZF block is at most 64 KiB. */
const BLOCK_MAX = 1 << 16;

/**
 * Which deflate compresses BGZF blocks: libdeflate's, as htslib's bgzip and bcftools use it, when
 * the native binding was built (at level 4, about node:zlib's time for blocks 7-10% smaller:
 * docs/output-formats.md), else node:zlib's. GENOMATRIX_DEFLATE=zlib picks node:zlib even when the
 * binding is there.
 */
export const deflater: 'libdeflate' | 'zlib' = binding && process.env.GENOMATRIX_DEFLATE !== 'zlib' ? 'libdeflate' : 'zlib';

/**
 * Compresses `bytes` into BGZF blocks (no end block); the same input, level and deflater always
 * give the same bytes. They are valid until this thread's next call (libdeflate's go into a buffer
 * the thread keeps): every caller writes or copies them first.
 */
export function bgzfBlocks(bytes: Uint8Array, level = DEFAULT_BGZF_LEVEL): Uint8Array {
  return (deflaters[deflater] ?? deflaters.zlib)(bytes, level);
}

/**
 * libdeflate's level for each of zlib's (0-9), as htslib maps them: libdeflate has 12 levels, and
 * `-l N` then gives the blocks `bgzip -l N` gives, byte for byte.
 */
const LIBDEFLATE_LEVEL = [0, 1, 2, 3, 5, 6, 7, 8, 10, 12];

/** This thread's buffer for libdeflate's blocks, kept from call to call. */
let deflated = new Uint8Array(0);

function libdeflateBlocks(bytes: Uint8Array, level: number): Uint8Array {
  const room = Math.ceil(bytes.length / BLOCK_INPUT) * BLOCK_MAX;
  if (deflated.length < room) deflated = new Uint8Array(Math.max(room, 2 * deflated.length));
  const written = (binding as NonNullable<typeof binding>).bgzfCompress(bytes, deflated, LIBDEFLATE_LEVEL[level] ?? level);
  if (written < 0) throw new RangeError(`bgzfCompress: ${room} bytes of room were not enough`);
  return deflated.subarray(0, written);
}

function zlibBlocks(bytes: Uint8Array, level: number): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += BLOCK_INPUT) {
    const input = bytes.subarray(at, Math.min(bytes.length, at + BLOCK_INPUT));
    const data = deflateRawSync(input, { level });
    const block = new Uint8Array(HEADER_BYTES + data.length + FOOTER_BYTES);
    const view = new DataView(block.buffer);
    block.set([0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 0x06, 0x00, 0x42, 0x43, 0x02, 0x00]);
    view.setUint16(16, block.length - 1, true); // BSIZE: block size minus one
    block.set(data, HEADER_BYTES);
    view.setUint32(HEADER_BYTES + data.length, crc32(input), true);
    view.setUint32(HEADER_BYTES + data.length + 4, input.length, true);
    blocks.push(block);
  }
  return concat(blocks);
}

/** Joins blocks into a fresh Uint8Array of its own ArrayBuffer (never a pooled Buffer). */
function concat(blocks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(blocks.reduce((sum, block) => sum + block.length, 0));
  let at = 0;
  for (const block of blocks) {
    out.set(block, at);
    at += block.length;
  }
  return out;
}

/** BGZF blocks of `bytes` at a level from 0 to 9, valid until the thread's next call. */
type Deflate = (bytes: Uint8Array, level: number) => Uint8Array;

/** The deflaters: `libdeflate` only when the binding was built. */
export const deflaters: { libdeflate?: Deflate; zlib: Deflate } = binding ? { libdeflate: libdeflateBlocks, zlib: zlibBlocks } : { zlib: zlibBlocks };
