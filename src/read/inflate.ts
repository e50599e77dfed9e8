// Inflates gzip data into buffers the caller owns: BGZF block groups (`gunzipInto`, in the parse
// workers) and a gzip stream (`inflatePieces`, on the main thread). With ISA-L's inflate when its
// binding was built at install (native/binding.c, src/native.ts: about 2.5 times as fast as node:zlib on BGZF blocks,
// 4 times on a stream, and no new buffer per call), else with node:zlib. Both parse each member's
// header, check its CRC-32 and size, and give the same bytes. GENOMATRIX_INFLATE=zlib picks
// node:zlib even when the binding is there.

import type { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { binding, type Binding } from '../native.js';

/** Inflates the gzip members of `src` into the start of `dst`; returns the bytes written. Throws `DamagedGzip` when they are damaged or do not fit. */
export type GunzipInto = (src: Uint8Array, dst: Uint8Array) => number;

/** Inflates a gzip stream: yields its bytes in pieces, each valid until the next is asked for. Throws `DamagedGzip` for damaged or cut-short data. */
export type InflatePieces = (compressed: Readable) => AsyncGenerator<Uint8Array>;

/** gzip data that does not inflate: bad deflate data, a wrong CRC-32 or size, a member cut short, or more bytes than the room given. */
export class DamagedGzip extends Error {
  override name = 'DamagedGzip';
}

/** Bytes of each piece a stream's inflate hands on. */
const PIECE_BYTES = 1 << 20;
const DAMAGED = 'bad deflate data, CRC-32 or size';
const CUT_SHORT = 'unexpected end of file';

interface Inflater {
  gunzipInto: GunzipInto;
  inflatePieces: InflatePieces;
}

const zlib: Inflater = {
  gunzipInto(src, dst) {
    let out: Buffer;
    try {
      // zlib's own output pieces (16 KiB, then joined): an output buffer of the whole size
      // instead is new memory each call, whose page faults made a group's inflate a third slower.
      out = gunzipSync(src);
    } catch (error) {
      throw new DamagedGzip((error as Error).message);
    }
    if (out.length > dst.length) throw new DamagedGzip(`it inflates to more than the ${dst.length} bytes its trailer gives`);
    dst.set(out);
    return out.length;
  },
  async *inflatePieces(compressed) {
    try {
      yield* compressed.pipe(createGunzip({ chunkSize: PIECE_BYTES })) as AsyncIterable<Buffer>;
    } catch (error) {
      if (!String((error as NodeJS.ErrnoException).code ?? '').startsWith('Z_')) throw error;
      throw new DamagedGzip((error as Error).message);
    }
  },
};

const isalInflater = (binding: Binding): Inflater => ({
  gunzipInto(src, dst) {
    const written = binding.gunzip(src, dst);
    if (written === -2) throw new DamagedGzip(`it inflates to more than the ${dst.length} bytes its trailer gives`);
    if (written < 0) throw new DamagedGzip(DAMAGED);
    return written;
  },
  async *inflatePieces(compressed) {
    const inflater = binding.createInflater();
    const counts = new Uint32Array(2);
    const piece = Buffer.allocUnsafe(PIECE_BYTES);
    for await (const chunk of compressed as AsyncIterable<Buffer>) {
      let src: Uint8Array = chunk;
      for (;;) {
        if (binding.inflate(inflater, src, piece, counts) < 0) throw new DamagedGzip(DAMAGED);
        const [read, written] = counts as unknown as [number, number];
        // ISA-L keeps what it cannot use yet, so input with room for output always moves.
        if (read === 0 && written === 0 && src.length > 0) throw new DamagedGzip(DAMAGED);
        src = src.subarray(read);
        if (written > 0) yield piece.subarray(0, written);
        // On with the next chunk once this one is read and the piece was not filled (no output is left).
        if (src.length === 0 && written < piece.length) break;
      }
    }
    if (!binding.complete(inflater)) throw new DamagedGzip(CUT_SHORT);
  },
});

const isal = binding && isalInflater(binding);

/** The inflaters: `isal` only when its binding was built. */
export const inflaters: { isal?: Inflater; zlib: Inflater } = isal ? { isal, zlib } : { zlib };

/** Which inflater this thread uses. */
export const inflater: keyof typeof inflaters = isal && process.env.GENOMATRIX_INFLATE !== 'zlib' ? 'isal' : 'zlib';

/** This thread's inflate of BGZF block groups (see `inflater`). */
export const gunzipInto: GunzipInto = (inflaters[inflater] as Inflater).gunzipInto;

/** This thread's inflate of a gzip stream (see `inflater`). */
export const inflatePieces: InflatePieces = (inflaters[inflater] as Inflater).inflatePieces;
