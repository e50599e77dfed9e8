// Inflates one group of BGZF blocks in a worker, with the start of the line that runs on into the
// next group: a parse chunk owns the lines that start inside it, as a byte range of a plain file does.

import { closeSync, openSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { BgzfRangeSource } from './messages.js';

const NL = 10;
/** A BGZF block is at most 64 KiB, compressed. */
const MAX_BLOCK = 1 << 16;

/** The inflated bytes of the group's lines: from the first line that starts in it (or its start, for the first group) to the end of its last line. */
export function inflateBgzfRange(source: BgzfRangeSource): Uint8Array {
  const fd = openSync(source.path, 'r');
  try {
    const compressed = Buffer.allocUnsafe(source.end - source.start);
    readFully(fd, compressed, source.start);
    const inflated = gunzipSync(compressed);
    // Skip the header line (first group), or the end of a line the previous group owns.
    let skip = source.before < 0 ? source.headerLines : 0;
    if (source.before >= 0) {
      const previous = inflateBlockAt(fd, source.before);
      if (previous.length > 0 && previous[previous.length - 1] !== NL) skip = 1;
    }
    let from = 0;
    for (let k = 0; k < skip; k++) {
      const nl = inflated.indexOf(NL, from);
      if (nl < 0) return new Uint8Array(0); // no line starts in this group
      from = nl + 1;
    }
    // Complete the last line from the following blocks, one at a time.
    const tail: Buffer[] = [];
    if (inflated.length > 0 && inflated[inflated.length - 1] !== NL) {
      let at = source.end;
      let ended = false;
      while (at < source.size && !ended) {
        const { bytes, size } = readBlock(fd, at);
        const piece = gunzipSync(bytes);
        at += size;
        const nl = piece.indexOf(NL);
        tail.push(nl < 0 ? piece : piece.subarray(0, nl + 1));
        ended = nl >= 0;
      }
      if (!ended) tail.push(Buffer.of(NL)); // the last line of the file has no line end
    }
    const body = inflated.subarray(from);
    if (tail.length === 0) return body;
    return Buffer.concat([body, ...tail]);
  } finally {
    closeSync(fd);
  }
}

/** The compressed block starting at byte `at`, and its size. */
function readBlock(fd: number, at: number): { bytes: Buffer; size: number } {
  const block = Buffer.allocUnsafe(MAX_BLOCK);
  const n = readSync(fd, block, 0, MAX_BLOCK, at);
  const size = n >= 18 ? block.readUInt16LE(16) + 1 : 0;
  if (size === 0 || size > n) throw new Error(`BGZF range: no whole block at byte ${at}`);
  return { bytes: block.subarray(0, size), size };
}

function inflateBlockAt(fd: number, at: number): Buffer {
  return gunzipSync(readBlock(fd, at).bytes);
}

function readFully(fd: number, into: Buffer, position: number): void {
  for (let done = 0; done < into.length; ) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new Error('BGZF range: unexpected end of file');
    done += n;
  }
}
