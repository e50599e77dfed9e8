// Inflates gzip data into buffers the caller owns: BGZF block groups (`gunzipInto`, in the parse
// workers) and a gzip stream (`inflateStream`, on the main thread). With ISA-L's inflate when the
// native binding was built at install (native/binding.c, src/native.ts: about 2.5 times as fast as
// node:zlib on BGZF blocks, 4 times on a stream, and it writes straight into the caller's buffer),
// else with node:zlib. Both parse each member's header, check its CRC-32 and size, and give the
// same bytes. GENOMATRIX_INFLATE=zlib picks node:zlib even when the binding is there.

import { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { binding, type Binding } from '../native.js';

/** Inflates the gzip members of `src` into the start of `dst`; returns the bytes written. Throws `DamagedGzip` when they are damaged or do not fit. */
export type GunzipInto = (src: Uint8Array, dst: Uint8Array) => number;

/**
 * Bytes read on demand into the caller's buffers: `read(dst)` fills `dst` as far as the data goes
 * and returns the bytes written, 0 only once the data has ended. For a gzip stream it throws
 * `DamagedGzip` for damaged or cut-short data.
 */
export interface ByteReader {
  read(dst: Uint8Array): Promise<number>;
}

/**
 * Opens a gzip stream's inflated bytes as a `ByteReader`. A chunk of `compressed` is good only
 * until the next one is asked for (its buffer may be read into again): neither inflater keeps one.
 */
export type InflateStream = (compressed: AsyncIterable<Uint8Array>) => ByteReader;

/** gzip data that does not inflate: bad deflate data, a wrong CRC-32 or size, a member cut short, or more bytes than the room given. */
export class DamagedGzip extends Error {
  override name = 'DamagedGzip';
}

/** Bytes of each piece node:zlib's stream inflate hands on. */
const PIECE_BYTES = 1 << 20;
const DAMAGED = 'bad deflate data, CRC-32 or size';
const CUT_SHORT = 'unexpected end of file';

interface Inflater {
  gunzipInto: GunzipInto;
  inflateStream: InflateStream;
}

/** `chunks` (a plain stream, or an inflate's pieces) read into the caller's buffers: each chunk copied, and done with before the next is asked for. */
export function chunkReader(chunks: AsyncIterable<Uint8Array>): ByteReader {
  const iterator = chunks[Symbol.asyncIterator]();
  let chunk: Uint8Array = new Uint8Array(0);
  return {
    async read(dst) {
      let written = 0;
      while (written < dst.length) {
        if (chunk.length === 0) {
          const next = await iterator.next();
          if (next.done) break;
          chunk = next.value;
        }
        const n = Math.min(chunk.length, dst.length - written);
        dst.set(chunk.subarray(0, n), written);
        chunk = chunk.subarray(n);
        written += n;
      }
      return written;
    },
  };
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
  inflateStream(compressed) {
    return chunkReader(zlibPieces(compressed));
  },
};

async function* zlibPieces(compressed: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    // The stream's writes may wait in its buffer: each chunk copied, as its buffer may be reused.
    yield* Readable.from(copies(compressed), { objectMode: false }).pipe(createGunzip({ chunkSize: PIECE_BYTES })) as AsyncIterable<Buffer>;
  } catch (error) {
    if (!String((error as NodeJS.ErrnoException).code ?? '').startsWith('Z_')) throw error;
    throw new DamagedGzip((error as Error).message);
  }
}

async function* copies(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) yield Buffer.from(chunk);
}

const isalInflater = (binding: Binding): Inflater => ({
  gunzipInto(src, dst) {
    const written = binding.gunzip(src, dst);
    if (written === -2) throw new DamagedGzip(`it inflates to more than the ${dst.length} bytes its trailer gives`);
    if (written < 0) throw new DamagedGzip(DAMAGED);
    return written;
  },
  inflateStream(compressed) {
    // ISA-L writes straight into the caller's buffer: no piece to copy from. It copies the input
    // it cannot use yet into its own state, so the next chunk is asked for only once this one
    // is used up.
    const chunks = compressed[Symbol.asyncIterator]();
    const inflater = binding.createInflater();
    const counts = new Uint32Array(2);
    let src: Uint8Array = new Uint8Array(0);
    // Whether the last call left room in its output, so ISA-L holds no output back.
    let drained = true;
    return {
      async read(dst) {
        let written = 0;
        while (written < dst.length) {
          if (src.length === 0 && drained) {
            const next = await chunks.next();
            if (next.done) break;
            src = next.value;
          }
          const room = dst.length - written;
          if (binding.inflate(inflater, src, written === 0 ? dst : dst.subarray(written), counts) < 0) throw new DamagedGzip(DAMAGED);
          const [read, made] = counts as unknown as [number, number];
          // ISA-L keeps what it cannot use yet, so input with room for output always moves.
          if (read === 0 && made === 0 && src.length > 0) throw new DamagedGzip(DAMAGED);
          src = src.subarray(read);
          written += made;
          drained = made < room;
        }
        if (written === 0 && dst.length > 0 && !binding.complete(inflater)) throw new DamagedGzip(CUT_SHORT);
        return written;
      },
    };
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
export const inflateStream: InflateStream = (inflaters[inflater] as Inflater).inflateStream;
