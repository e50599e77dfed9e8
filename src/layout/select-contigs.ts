// Contig selection by name: which record batches of a packed matrix a load reads, and the errors
// of a selection. The kept contigs stay in the matrix's own order, whatever order they were asked
// in, so per-contig shards of one matrix concatenate to the output of the whole matrix. The rows
// of a region selection (`-r`, `-R`, `--contigs`) are cut by src/select/select-regions.ts.

import { UsageError } from '../errors.js';

/** Contig names from a `--contigs` value: comma-separated, blanks around names dropped. */
export function parseContigList(value: string): string[] {
  const names = value.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) throw new UsageError(`--contigs ${JSON.stringify(value)}: expected contig names separated by commas, with no empty name`);
  return names;
}

/**
 * Indexes of the batches to keep: those whose contig is named in `wanted`, in batch order. Throws
 * a `UsageError` naming the file when a wanted contig has no batch.
 */
export function selectBatches(path: string, contigNames: readonly string[], batchContigs: readonly number[], wanted: readonly string[]): number[] {
  if (wanted.length === 0) throw noContigs(path);
  const wantedSet = new Set(wanted);
  const keep = batchContigs.flatMap((code, b) => (wantedSet.has(contigNames[code] ?? '') ? [b] : []));
  const present = new Set(keep.map((b) => contigNames[batchContigs[b] as number]));
  const missing = [...wantedSet].filter((name) => !present.has(name));
  if (missing.length > 0) throw missingContigs(path, missing, [...new Set(batchContigs.map((code) => contigNames[code] ?? ''))]);
  return keep;
}

/** The error for an empty selection. */
export function noContigs(path: string): UsageError {
  return new UsageError(`${path}: the contig selection is empty`);
}

/** The error for asked contigs the matrix does not have; the matrix's own contigs, up to ten, as a hint. */
export function missingContigs(path: string, missing: readonly string[], present: readonly string[]): UsageError {
  const shown = present.slice(0, 10).join(', ') + (present.length > 10 ? `, ... (${present.length} in all)` : '');
  const what = missing.length === 1 ? `no contig ${missing[0]}` : `no contigs ${missing.join(', ')}`;
  return new UsageError(`${path}: ${what}; its contigs are ${shown}`);
}
