// Parse chunks of a load, followed from the main thread: progress is reported as each one ends,
// and when one fails every later one is cancelled (tinypool aborts a queued task, or terminates
// the worker running it), since only the first failure in file order is reported.

import type { ReadStream } from 'node:fs';
import type { ParseResult } from '../worker/messages.js';
import type { LoadProgress } from '../layout/types.js';

/** One parse task of a load and its row region. */
export interface Chunk {
  rowStart: number;
  rowCapacity: number;
  result: Promise<ParseResult>;
  /** Cancels this chunk's parse (when an earlier chunk failed, nothing after it is needed). */
  cancel: AbortController;
}

/**
 * Starts chunk parses and follows them on the main thread: reports progress as each one ends, and
 * when one fails cancels every later one (the first failure in file order is the one reported).
 */
export class ChunkWatch {
  failed = false;
  /** The compressed file being read, for gzip inputs: progress counts its bytes. */
  compressed: ReadStream | undefined;
  bytes = 0;
  private sites = 0;
  /** Index of the earliest chunk that failed (chunks after it are cancelled). */
  private earliestFailure = Infinity;

  constructor(
    private readonly totalBytes: number,
    private readonly options: { signal?: AbortSignal | undefined; onProgress?: ((progress: LoadProgress) => void) | undefined },
  ) {}

  /** Starts the chunk that will be `chunks[chunks.length]`, parsing `bytes` of input. */
  start(chunks: readonly Chunk[], rowStart: number, rowCapacity: number, bytes: number, run: (signal: AbortSignal) => Promise<ParseResult>): Chunk {
    const index = chunks.length;
    const cancel = new AbortController();
    if (this.failed) cancel.abort();
    const outer = this.options.signal;
    const result = run(outer ? AbortSignal.any([outer, cancel.signal]) : cancel.signal);
    result.then(
      (parsed) => (parsed.problem ? this.fail(chunks, index) : this.advance(bytes, parsed.rows)),
      () => this.fail(chunks, index),
    );
    return { rowStart, rowCapacity, result, cancel };
  }

  private advance(bytes: number, rows: number): void {
    this.bytes = this.compressed ? this.compressed.bytesRead : this.bytes + bytes;
    this.sites += rows;
    this.options.onProgress?.({ bytes: this.bytes, totalBytes: this.totalBytes, sites: this.sites });
  }

  /**
   * Cancels the chunks after `index` up to the earliest failure so far (those after it are
   * cancelled already). Each cancelled chunk ends here too, so anything more is quadratic, and
   * aborting an AbortController costs a DOMException even when it is aborted already: 4,400
   * cancelled 1 KiB chunks once took 45 s of main thread.
   */
  private fail(chunks: readonly Chunk[], index: number): void {
    this.failed = true;
    const end = Math.min(chunks.length, this.earliestFailure);
    for (let later = index + 1; later < end; later++) (chunks[later] as Chunk).cancel.abort();
    this.earliestFailure = Math.min(this.earliestFailure, index);
  }
}
