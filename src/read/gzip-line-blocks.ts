// Inflates a gzip (or BGZF) file on the main thread into shared blocks of whole lines, for the
// low-memory loader: blocks come from a small free list, so memory stays a few blocks whatever
// the file's size, and a block is reused once the worker that parsed it is done.

import { closeSync, openSync, read } from 'node:fs';
import type { Readable } from 'node:stream';
import { InputError } from '../errors.js';
import { sharedBuffer } from '../native.js';
import { readBytes } from './arrow-file-index.js';
import { chunkReader, DamagedGzip, inflateStream } from './inflate.js';
import { rowBound, type Source } from './chunk-plan.js';
import { matrixHeader, missingHeader } from './header.js';
import type { InputFile } from './input-format.js';
import { assertTextSample, TEXT_SAMPLE_BYTES } from './text-check.js';

/**
 * Bytes of each read of the file. 1 MiB, as the inflate's output: with 64 KiB reads the inflate
 * waited on one small read after another (a 31 MB gzip file took 1.26 s to inflate, 0.89 s so).
 */
const READ_BYTES = 1 << 20;

/**
 * A file's bytes in chunks of `chunkBytes`, read into two buffers in turn: the next read is under
 * way while the caller uses a chunk, and a chunk is good until the next one is asked for. A
 * `ReadStream` reads into new memory every time: the kernel zeroes and maps each of its pages on
 * the first write, 7,964 page faults and 106 ms to read the seed shape's 31 MB gzip file, against
 * 312 faults and 9 ms into two buffers reused; CPU time the inflate and the parse, which share the
 * cores while a gzip file loads, went without.
 */
export class FileChunks implements AsyncIterable<Uint8Array> {
  /** Bytes read so far. */
  bytesRead = 0;
  private readonly fd: number;
  private pending: Promise<number> | undefined;
  private closed = false;

  constructor(
    path: string,
    private readonly chunkBytes: number,
  ) {
    this.fd = openSync(path, 'r');
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    let current = Buffer.allocUnsafeSlow(this.chunkBytes);
    let next = Buffer.allocUnsafeSlow(this.chunkBytes);
    this.pending = this.readInto(current);
    for (;;) {
      const n = await this.pending;
      if (n === 0) return;
      this.pending = this.readInto(next);
      yield current.subarray(0, n);
      [current, next] = [next, current];
    }
  }

  /** Closes the file once the read under way, if any, is over. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pending?.catch(() => 0);
    closeSync(this.fd);
  }

  private readInto(buffer: Buffer): Promise<number> {
    if (this.closed) return Promise.resolve(0);
    return new Promise((resolve, reject) =>
      read(this.fd, buffer, 0, buffer.length, null, (error, n) => {
        if (error) return reject(error);
        this.bytesRead += n;
        resolve(n);
      }),
    );
  }
}

/** Whole lines at `bytes[0, length)`; `release()` hands the block back for reuse. */
export interface LineBlock {
  bytes: SharedArrayBuffer;
  length: number;
  release(): void;
}

/** A reader of a gzip file's lines in blocks, at most `blocks` of them out at a time. */
export class GzipLineBlocks {
  /** The compressed (or, from standard input, maybe plain) bytes: chunks each good until the next is asked for. */
  private readonly input: FileChunks | Readable;
  private readonly free: SharedArrayBuffer[];
  private waiting: (() => void) | undefined;

  /** Whether the bytes are inflated (a gzip file); standard input may be plain text. */
  private readonly gzip: boolean;

  constructor(
    private readonly path: string,
    private readonly blockBytes: number,
    blocks: number,
    /** Read this stream (standard input) instead of the file, inflating it when `gzip`. */
    stream?: { readable: Readable; gzip: boolean },
  ) {
    this.free = Array.from({ length: blocks }, () => sharedBuffer(blockBytes + 1));
    this.input = stream?.readable ?? new FileChunks(path, READ_BYTES);
    this.gzip = stream?.gzip ?? true;
  }

  /** Compressed bytes read so far (0 for a stream: its size is not known either). */
  get bytesRead(): number {
    return this.input instanceof FileChunks ? this.input.bytesRead : 0;
  }

  /** Yields blocks of whole lines in file order; the last line gets a line end when it lacks one. */
  async *blocks(): AsyncGenerator<LineBlock> {
    const reader = this.gzip ? inflateStream(this.input) : chunkReader(this.input);
    let block = await this.take();
    let view = new Uint8Array(block);
    let filled = 0;
    try {
      for (;;) {
        // The bytes go straight into the block (one byte kept for a last line's line end).
        const n = await reader.read(view.subarray(filled, view.length - 1));
        if (n === 0) break;
        filled += n;
        if (filled < view.length - 1) continue;
        const end = view.lastIndexOf(10, filled - 1) + 1;
        if (end === 0) {
          // One line longer than a block: a bigger block for it (rare).
          const bigger = new SharedArrayBuffer(2 * block.byteLength);
          new Uint8Array(bigger).set(view.subarray(0, filled));
          if (block.byteLength === this.blockBytes + 1) this.free.push(block);
          block = bigger;
          view = new Uint8Array(bigger);
          continue;
        }
        const rest = filled - end;
        const next = rest >= this.blockBytes ? new SharedArrayBuffer(2 * rest + 1) : await this.take();
        const nextView = new Uint8Array(next);
        nextView.set(view.subarray(end, filled));
        yield this.lend(block, end);
        filled -= end;
        block = next;
        view = nextView;
      }
    } catch (error) {
      if (!(error instanceof DamagedGzip)) throw error;
      throw new InputError({ file: this.path }, `corrupt or truncated gzip stream (${error.message})`);
    } finally {
      if (this.input instanceof FileChunks) await this.input.close();
      else this.input.destroy();
    }
    if (filled > 0 && view[filled - 1] !== 10) view[filled++] = 10;
    if (filled > 0) yield this.lend(block, filled);
  }

  private lend(bytes: SharedArrayBuffer, length: number): LineBlock {
    let released = false;
    return {
      bytes,
      length,
      release: () => {
        if (released) return;
        released = true;
        if (bytes.byteLength === this.blockBytes + 1) this.free.push(bytes);
        this.waiting?.();
      },
    };
  }

  private async take(): Promise<SharedArrayBuffer> {
    while (this.free.length === 0) await new Promise<void>((resolve) => (this.waiting = resolve));
    this.waiting = undefined;
    return this.free.pop() as SharedArrayBuffer;
  }
}

/** Inflated line blocks of a gzip file; the header is read from the first block. */
export async function gzipSources(input: InputFile, gzip: GzipLineBlocks, headerFile: string[] | undefined, headerPath: string | undefined) {
  const blocks = gzip.blocks();
  const first = await blocks.next();
  if (first.done) {
    if (headerFile) throw new InputError({ file: input.path }, 'no data lines');
    throw missingHeader(input.path, undefined);
  }
  const view = new Uint8Array(first.value.bytes, 0, first.value.length);
  assertTextSample(view.subarray(0, Math.min(view.length, TEXT_SAMPLE_BYTES)), input.path, false);
  const nl = view.indexOf(10);
  const header = matrixHeader(input.path, Buffer.from(first.value.bytes, 0, nl < 0 ? view.length : nl).toString('utf8'), headerFile, headerPath);
  const fields = header.samples.length + 3;
  const skip = header.lines > 0 ? nl + 1 : header.bom;
  if (skip > 0) view.copyWithin(0, skip);
  async function* sources(): AsyncGenerator<Source> {
    const length = first.value.length - skip;
    if (length > 0) yield { source: { type: 'block', bytes: first.value.bytes, length }, bytes: 0, rows: rowBound(length, fields), release: first.value.release };
    else first.value.release();
    for await (const block of blocks) {
      yield { source: { type: 'block', bytes: block.bytes, length: block.length }, bytes: 0, rows: rowBound(block.length, fields), release: block.release };
    }
  }
  return { header, sources: Object.assign(sources(), { dataBytes: input.size }) };
}

/**
 * The inflated size a gzip file's trailer gives (its last 4 bytes, ISIZE: the last member's size
 * modulo 2^32), or undefined when the file is too short to have one. Only a hint: a file of several
 * members, or of 4 GiB or more, holds more; a damaged trailer may say anything (RFC 1952, 2.3.1).
 */
export function inflatedSizeHint(path: string, size: number): number | undefined {
  if (size < 18) return undefined; // a header (10 bytes) and a trailer (8)
  const fd = openSync(path, 'r');
  try {
    const trailer = readBytes(fd, size - 4, 4);
    return trailer.length === 4 ? trailer.readUInt32LE(0) : undefined;
  } finally {
    closeSync(fd);
  }
}
