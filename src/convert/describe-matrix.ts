// `info`: what a loaded matrix holds and what it costs in memory, as data and as text.

import { ALLELE_DICTIONARY_BYTES } from '../layout/allele-dictionary.js';
import type { MatrixOrigin } from '../layout/matrix-origin.js';
import { UsageError } from '../errors.js';
import { selectBatches } from '../layout/select-contigs.js';
import type { Matrix } from '../matrix.js';
import type { RecordBatchEntry } from '../read/arrow-file-index.js';
import { detectInput, InputFormat } from '../read/input-format.js';
import { plannedBuffers, readArrowMatrix } from '../read/load-arrow.js';
import { contigRuns } from '../select/contig-runs.js';
import { withThousands } from '../write/decimal.js';
import { resolvePairs, type HaplotypePair } from './pairs.js';

/** One column of the matrix and the bytes its values take in shared memory. */
export interface ColumnDescription {
  name: string;
  type: 'int32' | 'uint8';
  bytes: number;
}

/** Everything `genomatrix info` shows. */
export interface MatrixDescription {
  /** The file it was loaded from. */
  source: string;
  origin: MatrixOrigin;
  samples: string[];
  /** The pairs commands use by default, and where they come from. */
  pairs: HaplotypePair[];
  pairsFrom: 'stored' | 'automatic';
  contigs: { name: string; sites: number }[];
  sites: number;
  /** Allele strings by code. */
  alleles: string[];
  columns: ColumnDescription[];
  /** The SharedArrayBuffers holding the columns (their full size, padding and file metadata included). */
  sharedBuffers: { count: number; bytes: number };
  /** Size of the shared allele dictionary buffer. */
  alleleDictionaryBytes: number;
}

/**
 * Describes a loaded matrix: samples, pairs, contigs with site counts, bytes per column, alleles.
 *
 * @example
 * const matrix = await loadMatrix('matrix.arrow');
 * console.log(formatDescription(describeMatrix(matrix)));
 */
export function describeMatrix(matrix: Matrix): MatrixDescription {
  const { buffers } = matrix.layout;
  return describe({
    source: matrix.source,
    origin: matrix.origin,
    samples: matrix.samples,
    // One entry per contig, also when a region selection cut it into several batches.
    contigs: contigRuns(matrix.layout).map((run) => ({ name: run.name, sites: run.rows })),
    alleles: matrix.alleles,
    sharedBuffers: { count: buffers.length, bytes: buffers.reduce((sum, buffer) => sum + buffer.byteLength, 0) },
  });
}

/**
 * Describes a packed `.arrow` matrix from its metadata alone, without reading its columns: the
 * same description as `describeMatrix` of it loaded (with the same `contigs` selection), instantly
 * whatever the file's size.
 */
export function describePackedMatrix(path: string, contigs?: readonly string[]): MatrixDescription {
  const input = detectInput(path);
  if (input.format !== InputFormat.arrow) throw new UsageError(`${path} is not a packed .arrow matrix`);
  const file = readArrowMatrix(input);
  const keep = contigs ? selectBatches(path, file.contigs, file.batchContigs, contigs) : file.batchContigs.map((_, b) => b);
  const regions = plannedBuffers(file, keep);
  return describe({
    source: path,
    origin: file.origin,
    samples: file.samples,
    contigs: keep.map((b) => ({ name: file.contigs[file.batchContigs[b] as number] ?? '', sites: (file.index.recordBatches[b] as RecordBatchEntry).rows })),
    alleles: file.alleles,
    sharedBuffers: { count: regions.length, bytes: regions.reduce((sum, region) => sum + Math.max(region.length, 8), 0) },
  });
}

function describe(m: {
  source: string;
  origin: MatrixOrigin;
  samples: readonly string[];
  contigs: readonly { name: string; sites: number }[];
  alleles: string[];
  sharedBuffers: MatrixDescription['sharedBuffers'];
}): MatrixDescription {
  const stored = m.origin.pairs;
  const sites = m.contigs.reduce((sum, contig) => sum + contig.sites, 0);
  return {
    source: m.source,
    origin: { ...m.origin },
    samples: m.samples.slice(),
    pairs: resolvePairs(m.samples, stored),
    pairsFrom: stored === undefined ? 'automatic' : 'stored',
    contigs: m.contigs.map((contig) => ({ name: contig.name, sites: contig.sites })),
    sites,
    alleles: m.alleles,
    columns: ([{ name: 'POS', type: 'int32', bytes: 4 * sites }, { name: 'REF', type: 'uint8', bytes: sites }] as ColumnDescription[]).concat(
      m.samples.map((name): ColumnDescription => ({ name, type: 'uint8', bytes: sites })),
    ),
    sharedBuffers: m.sharedBuffers,
    alleleDictionaryBytes: ALLELE_DICTIONARY_BYTES,
  };
}

/** The description as aligned text for people. */
export function formatDescription(d: MatrixDescription): string {
  const n = withThousands;
  const from = d.origin.format === 'arrow' ? `packed .arrow of ${d.origin.sourceName} (${n(d.origin.sourceSize)} bytes)` : `${d.origin.format}, ${n(d.origin.sourceSize)} bytes`;
  const longest = (names: readonly { name: string }[]): number => names.reduce((most, { name }) => Math.max(most, name.length), 0);
  const nameWidth = Math.max(8, longest(d.contigs), longest(d.columns)) + 2;
  // Lines per contig and per column pushed one by one: no spread of 100,000 of them.
  const lines = [
    `matrix    ${d.source} (${from})`,
    `samples   ${d.samples.length}: ${d.samples.join(' ')}`,
    `pairs     ${d.pairs.length} (${d.pairsFrom}): ${d.pairs.map((pair) => `${pair.name}=${pair.members.join('+')}`).join(' ') || '-'}`,
    `alleles   ${d.alleles.length}, by code: ${d.alleles.map((allele, code) => `${code}=${allele === '' ? '""' : allele}`).join(' ')}`,
    `contigs   ${d.contigs.length}, ${n(d.sites)} sites`,
  ];
  for (const contig of d.contigs) lines.push(`  ${contig.name.padEnd(nameWidth)}${n(contig.sites).padStart(15)} sites`);
  lines.push('columns   bytes in memory');
  for (const column of d.columns) lines.push(`  ${column.name.padEnd(nameWidth)}${column.type.padEnd(6)}${n(column.bytes).padStart(15)}`);
  lines.push(
    `  ${'total'.padEnd(nameWidth)}${''.padEnd(6)}${n(d.columns.reduce((sum, column) => sum + column.bytes, 0)).padStart(15)}`,
    `shared    ${d.sharedBuffers.count} SharedArrayBuffer${d.sharedBuffers.count === 1 ? '' : 's'}, ${n(d.sharedBuffers.bytes)} bytes (columns with their padding${d.origin.format === 'arrow' ? ' and the file metadata' : ''}), allele dictionary ${n(d.alleleDictionaryBytes)} bytes`,
  );
  return lines.join('\n') + '\n';
}
