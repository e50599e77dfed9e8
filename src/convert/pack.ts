// `pack`: a loaded matrix -> an Arrow IPC file that reopens without parsing (read/load-arrow.ts)
// and that any Arrow reader opens. One record batch per contig, written batch by batch from the
// shared columns themselves, through a temporary file renamed when complete.

import { UsageError } from '../errors.js';
import { batchViews } from '../layout/matrix-layout.js';
import { originMetadata, type MatrixOrigin } from '../layout/matrix-origin.js';
import type { Matrix } from '../matrix.js';
import type { BodyBuffer } from '../write/arrow-file-writer.js';
import { openOutput } from '../write/output-sink.js';
import { resolvePairs } from './pairs.js';

/** Options of `pack`. */
export interface PackOptions {
  /** The `.arrow` file to write (under a temporary name, renamed when complete). */
  output: string;
  /** Pairs to store with the matrix (`"10a:10b,13a:13b"` or name pairs): the default of later commands. */
  pairs?: string | readonly (readonly [string, string])[];
  signal?: AbortSignal;
}

/** What `pack` wrote. */
export interface PackSummary {
  output: string;
  /** Size of the file written. */
  bytes: number;
  contigs: number;
  sites: number;
}

/** Rows of CHROM codes written per piece (the column is not in memory: it is one code per batch). */
const CHROM_PIECE_ROWS = 1 << 16;

/**
 * Writes a loaded matrix as an Arrow IPC file (native-layout/README.md, "The file layout").
 *
 * @example
 * const matrix = await loadMatrix('matrix.tsv.gz');
 * await pack(matrix, { output: 'matrix.arrow' });
 * await matrix.close();
 * const again = await loadMatrix('matrix.arrow');   // no parse: the file's bytes are the columns
 */
export async function pack(matrix: Matrix, options: PackOptions): Promise<PackSummary> {
  if (!options.output || options.output === '-') throw new UsageError('pack writes a file: give --output FILE.arrow');
  const origin: MatrixOrigin = { ...matrix.origin };
  if (options.pairs !== undefined) {
    origin.pairs = resolvePairs(matrix.samples, options.pairs)
      .map((pair) => pair.members.join(':'))
      .join(',');
  }
  // apache-arrow (the metadata encoder) is imported on first use: importing 'genomatrix' (as task
  // modules in workers do) stays light.
  const [{ ArrowFileWriter }, { DictionaryId, matrixSchema }] = await Promise.all([import('../write/arrow-file-writer.js'), import('../table/arrow-table.js')]);
  const { layout } = matrix;
  const schema = matrixSchema(layout.samples, originMetadata(origin, layout.samples));
  const sink = await openOutput(options.output);
  try {
    const writer = await ArrowFileWriter.start(sink, schema);
    await writer.writeDictionary(DictionaryId.alleles, matrix.alleles);
    await writer.writeDictionary(DictionaryId.contigs, layout.contigs);
    for (const batch of layout.batches) {
      options.signal?.throwIfAborted();
      const views = batchViews(layout, batch);
      const bytes = (array: Int32Array | Uint8Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      const columns: BodyBuffer[] = [repeatedInt32(batch.contig, batch.rows), bytes(views.pos), views.ref, ...views.haplotypes];
      await writer.writeRecordBatch(batch.rows, columns);
    }
    await writer.finish();
    await sink.commit();
    return { output: options.output, bytes: writer.bytesWritten, contigs: layout.batches.length, sites: matrix.sites };
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

/** An Int32 column holding `value` `rows` times, produced piece by piece. */
function repeatedInt32(value: number, rows: number): BodyBuffer {
  return {
    byteLength: 4 * rows,
    *pieces() {
      const piece = new Int32Array(Math.min(rows, CHROM_PIECE_ROWS)).fill(value);
      for (let at = 0; at < rows; at += piece.length) {
        const n = Math.min(piece.length, rows - at);
        yield new Uint8Array(piece.buffer, 0, 4 * n);
      }
    },
  };
}
