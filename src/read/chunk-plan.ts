// How a text input is cut into parse chunks, and how many rows a chunk may hold: the bound that
// sizes each chunk's row region in the shared columns before its lines are counted.

import type { ParseTask } from '../worker/messages.js';

/** Bytes of input per parse task, unless told otherwise. */
export const DEFAULT_CHUNK_BYTES = 8 << 20;

/** Fewest bytes per parse task that `loadChunkBytes` chooses. */
export const MIN_LOAD_CHUNK_BYTES = 1 << 20;

/** Input bytes per field of a line that a parse task gets at least (`loadChunkBytes`). */
const CHUNK_BYTES_PER_FIELD = 1024;

/**
 * Bytes per parse task of a load of `dataBytes` of plain text, lines of `fields` fields, by
 * `threads` workers: at most `DEFAULT_CHUNK_BYTES`, and small enough for 8 tasks per worker, down
 * to `MIN_LOAD_CHUNK_BYTES` or 1 KiB a field, whichever is more. The main thread groups each
 * task's contig runs as its result comes (read/group-contigs.ts): a 32 MB file of 100,000 contigs
 * cut into 4 tasks left that work until the last results came, while the workers waited (16
 * tasks: 0.93x the wall time, see bench/README.md). A task also costs something per column (a view
 * each): 100,000 columns keep their tasks as large as before.
 */
export function loadChunkBytes(dataBytes: number, threads: number, fields: number): number {
  const least = Math.max(MIN_LOAD_CHUNK_BYTES, CHUNK_BYTES_PER_FIELD * fields);
  return Math.min(DEFAULT_CHUNK_BYTES, Math.max(least, Math.ceil(dataBytes / (8 * Math.max(1, threads)))));
}

/** Most lines a byte range can hold: a line has at least one byte and one separator per field. */
export function rowBound(bytes: number, fields: number): number {
  return Math.floor(bytes / (2 * fields)) + 1;
}

/** Cuts `[dataStart, size)` into byte ranges of about `chunkBytes`, each with the most rows it can hold. */
export function byteRanges(dataStart: number, size: number, chunkBytes: number, fields: number): { start: number; end: number; capacity: number }[] {
  const dataBytes = size - dataStart;
  const count = Math.max(1, Math.ceil(dataBytes / chunkBytes));
  return Array.from({ length: count }, (_, i) => {
    const start = dataStart + Math.floor((dataBytes * i) / count);
    const end = dataStart + Math.floor((dataBytes * (i + 1)) / count);
    return { start, end, capacity: rowBound(end - start, fields) };
  });
}

/** The byte ranges of `[dataStart, size)` of a plain file as parse chunks: each worker reads its range itself. */
export function byteRangeSources(path: string, dataStart: number, size: number, chunkBytes: number, fields: number): Source[] {
  return byteRanges(dataStart, size, chunkBytes, fields).map((range) => ({ source: { type: 'file', path, start: range.start, end: range.end, dataStart }, bytes: range.end - range.start, rows: range.capacity }));
}

/** One parse chunk's input: where its lines are, the bytes of the file it covers, the rows it may hold. */
export interface Source {
  source: ParseTask['source'];
  /** Input bytes this chunk covers (plain files), for progress. */
  bytes: number;
  rows: number;
  /** Hands a gzip block back to its reader once the chunk is parsed. */
  release?: () => void;
}
