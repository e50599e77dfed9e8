// `info`: what a loaded matrix holds and what it costs in memory, as data and as text.

import { ALLELE_DICTIONARY_BYTES } from '../layout/allele-dictionary.js';
import type { MatrixOrigin } from '../layout/matrix-origin.js';
import type { Matrix } from '../matrix.js';
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
  const { layout } = matrix;
  const stored = matrix.origin.pairs;
  return {
    source: matrix.source,
    origin: { ...matrix.origin },
    samples: [...matrix.samples],
    pairs: resolvePairs(matrix.samples, stored),
    pairsFrom: stored === undefined ? 'automatic' : 'stored',
    contigs: matrix.contigs.map((contig) => ({ name: contig.name, sites: contig.sites })),
    sites: matrix.sites,
    alleles: matrix.alleles,
    columns: [
      { name: 'POS', type: 'int32', bytes: 4 * matrix.sites },
      { name: 'REF', type: 'uint8', bytes: matrix.sites },
      ...matrix.samples.map((name): ColumnDescription => ({ name, type: 'uint8', bytes: matrix.sites })),
    ],
    sharedBuffers: { count: layout.buffers.length, bytes: layout.buffers.reduce((sum, buffer) => sum + buffer.byteLength, 0) },
    alleleDictionaryBytes: ALLELE_DICTIONARY_BYTES,
  };
}

/** The description as aligned text for people. */
export function formatDescription(d: MatrixDescription): string {
  const n = (value: number): string => value.toLocaleString('en-US');
  const from = d.origin.format === 'arrow' ? `packed .arrow of ${d.origin.sourceName} (${n(d.origin.sourceSize)} bytes)` : `${d.origin.format}, ${n(d.origin.sourceSize)} bytes`;
  const nameWidth = Math.max(8, ...d.contigs.map((c) => c.name.length), ...d.columns.map((c) => c.name.length)) + 2;
  const lines = [
    `matrix    ${d.source} (${from})`,
    `samples   ${d.samples.length}: ${d.samples.join(' ')}`,
    `pairs     ${d.pairs.length} (${d.pairsFrom}): ${d.pairs.map((pair) => `${pair.name}=${pair.members.join('+')}`).join(' ') || '-'}`,
    `alleles   ${d.alleles.length}, by code: ${d.alleles.map((allele, code) => `${code}=${allele === '' ? '""' : allele}`).join(' ')}`,
    `contigs   ${d.contigs.length}, ${n(d.sites)} sites`,
    ...d.contigs.map((contig) => `  ${contig.name.padEnd(nameWidth)}${n(contig.sites).padStart(15)} sites`),
    'columns   bytes in memory',
    ...d.columns.map((column) => `  ${column.name.padEnd(nameWidth)}${column.type.padEnd(6)}${n(column.bytes).padStart(15)}`),
    `  ${'total'.padEnd(nameWidth)}${''.padEnd(6)}${n(d.columns.reduce((sum, column) => sum + column.bytes, 0)).padStart(15)}`,
    `shared    ${d.sharedBuffers.count} SharedArrayBuffer${d.sharedBuffers.count === 1 ? '' : 's'}, ${n(d.sharedBuffers.bytes)} bytes (columns with their padding${d.origin.format === 'arrow' ? ' and the file metadata' : ''}), allele dictionary ${n(d.alleleDictionaryBytes)} bytes`,
  ];
  return lines.join('\n') + '\n';
}
