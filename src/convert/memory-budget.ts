// How much memory an in-memory load would take against what is available: the automatic choice of
// the streamed mode (`--low-memory`) every command makes.

import { freemem } from 'node:os';
import { InputFormat, type InputFile } from '../read/input-format.js';

/** Share of the available memory an in-memory load may take before low-memory mode is chosen. */
export const LOW_MEMORY_SHARE = 0.5;
/** How many times its size a gzip input is assumed to inflate to (the size inside is not known up front). */
const GZIP_RATIO = 10;

/**
 * Memory this process may still take: the machine's free memory, or less under a memory limit
 * (a cgroup: a SLURM job, a container), where the limit less what the process holds is left.
 */
export function availableMemory(): number {
  const free = freemem();
  const limit = process.constrainedMemory?.() ?? 0;
  // No limit reads as 0, or as the cgroup's "max" (2^63 or 2^64 bytes).
  if (limit <= 0 || limit >= Number.MAX_SAFE_INTEGER) return free;
  return Math.max(0, Math.min(free, limit - process.memoryUsage.rss()));
}

/**
 * Whether a file is too large to load in memory: an in-memory load of a text matrix peaks at about
 * 0.6 times its text size (one byte a cell plus row regions), that of a packed .arrow matrix at its
 * size, against `LOW_MEMORY_SHARE` of the available memory (`availableMemory`). Returns the
 * estimate when it is too large.
 */
export function tooLargeForMemory(input: InputFile, free = availableMemory()): { needed: number; free: number } | undefined {
  const text = input.format === InputFormat.gzip ? input.size * GZIP_RATIO : input.size;
  const needed = input.format === InputFormat.arrow ? input.size : Math.round(0.6 * text);
  return needed > LOW_MEMORY_SHARE * free ? { needed, free } : undefined;
}
