// Inflates gzip members (BGZF blocks) into a buffer the caller owns: with libdeflate when its
// binding was built at install (native/libdeflate.c: about 2.5 times as fast as node:zlib, and no
// new buffer per call), else with node:zlib. Both check each member's CRC-32 and size, and give
// the same bytes. GENOMATRIX_INFLATE=zlib picks node:zlib even when the binding is there.

import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';

/** Inflates the gzip members of `src` into the start of `dst`; returns the bytes written. Throws `DamagedGzip` when they are damaged or do not fit. */
export type GunzipInto = (src: Uint8Array, dst: Uint8Array) => number;

/** A gzip member that does not inflate: bad deflate data, a wrong CRC-32 or size, or more bytes than the room given. */
export class DamagedGzip extends Error {
  override name = 'DamagedGzip';
}

interface Binding {
  /** Bytes written into `dst`, or -1 (damaged data) or -2 (`dst` too small). */
  gunzip(src: Uint8Array, dst: Uint8Array): number;
}

/** The binding, when it was built (undefined otherwise). */
function loadBinding(): Binding | undefined {
  try {
    return createRequire(import.meta.url)('../../../native/build/Release/gunzip.node') as Binding;
  } catch {
    return undefined;
  }
}

const binding = loadBinding();

/** The two inflaters: libdeflate only when its binding was built. */
export const inflaters: { libdeflate?: GunzipInto; zlib: GunzipInto } = {
  zlib(src, dst) {
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
};
if (binding) {
  inflaters.libdeflate = (src, dst) => {
    const written = binding.gunzip(src, dst);
    if (written === -2) throw new DamagedGzip(`it inflates to more than the ${dst.length} bytes its trailer gives`);
    if (written < 0) throw new DamagedGzip('bad deflate data, CRC-32 or size');
    return written;
  };
}

/** Which inflater this thread uses. */
export const inflater: keyof typeof inflaters = inflaters.libdeflate && process.env.GENOMATRIX_INFLATE !== 'zlib' ? 'libdeflate' : 'zlib';

/** This thread's inflater (see `inflater`). */
export const gunzipInto: GunzipInto = inflaters[inflater] as GunzipInto;
