// Where a conversion's rows come from: a source yields the matrix one contig at a time, each as a
// layout of its own (a `ContigUnit`), whatever holds it:
//
//   memory    a loaded matrix: each contig's batches, zero-copy, all of them held at once;
//   streamed  a text matrix parsed in file order, a packed .arrow file read one record batch at a
//             time, or standard input: one contig in memory, its buffers reused by the next.
//
// A region selection (`-r`, `-R`, `--contigs`; src/select) is applied where each source makes its
// layouts, so a packed input reads only the selected record batches: by the load of a memory
// source (matrix.ts) and by `contigLayouts` for a streamed one (read/contig-by-contig.ts). Another
// per-contig layout transform applies to every unit of every source the same way: `transformUnits`.

import { batchAt, batchTable, withBatches } from '../layout/batch-table.js';
import { contigName } from '../layout/contig-names.js';
import type { BatchLayout, MatrixLayout } from '../layout/matrix-layout.js';
import type { Contig, LoadProgress } from '../layout/types.js';
import { contigLayouts } from '../read/contig-by-contig.js';
import type { InputFile } from '../read/input-format.js';
import { contigRuns } from '../select/contig-runs.js';
import type { SelectionSpec } from '../select/regions.js';
import type { StreamOptions } from '../read/stream-contigs.js';
import type { WorkerPool } from './worker-pool.js';

/** One contig of a source: where it lies in the matrix, and a layout holding it alone. */
export interface ContigUnit {
  /** The contig: name, index in the source's order, sites, and its rows in the whole table. */
  contig: Contig;
  /** A layout whose batches are this contig's rows in order (one batch, or one per segment when streamed). */
  layout: MatrixLayout;
}

/** A source of contig units, in genome order. */
export interface ContigSource {
  /**
   * True when a unit's buffers are reused by the next one: the driver then finishes every task of
   * a contig before it asks for the next contig.
   */
  readonly streamed: boolean;
  /** The units; a source that has them all at hand gives them synchronously (no promise per contig: 100,000 contigs are 100,000 units). */
  units(): AsyncGenerator<ContigUnit> | Generator<ContigUnit>;
  /**
   * A loaded matrix's source: its layout and contigs, from which the driver may run runs of small
   * contigs as spans (dispatch/drive.ts), with no unit per contig. Absent for a streamed or
   * transformed source.
   */
  readonly loaded?: { layout: MatrixLayout };
}

/** A per-contig layout transform: the unit to convert instead, or undefined to leave the contig out. */
export type UnitTransform = (unit: ContigUnit) => ContigUnit | undefined;

/**
 * The units of a loaded matrix's layout, zero-copy: one per contig, its consecutive batches
 * together (one batch after a load, several where a region selection cut the contig into ranges).
 */
export function memorySource(layout: MatrixLayout): ContigSource {
  return {
    streamed: false,
    loaded: { layout },
    *units() {
      let index = 0;
      let rowStart = 0;
      for (const run of contigRuns(layout)) {
        const unit = memoryUnit(layout, run.batches[0] ?? -1, (run.batches[run.batches.length - 1] ?? -1) + 1, index++, rowStart);
        rowStart = unit.contig.rowEnd;
        yield unit;
      }
    },
  };
}

/**
 * The unit of a loaded matrix's contig held in batches `[from, to)`, `index`-th in the source's
 * order, whose first row is row `rowStart` of the whole table (the rows of the batches before it).
 */
export function memoryUnit(layout: MatrixLayout, from: number, to: number, index: number, rowStart: number): ContigUnit {
  // From the batch table: only this contig's batch objects are made (layout/batch-table.ts).
  const table = batchTable(layout);
  if (!(from >= 0 && from < to && to <= table.length)) throw new RangeError(`no batch ${from}`);
  const batches: BatchLayout[] = [];
  let sites = 0;
  for (let b = from; b < to; b++) {
    batches.push(batchAt(table, b));
    sites += table.rows[b] as number;
  }
  const contig: Contig = { name: contigName(layout, table.contig[from] as number), index, sites, rowStart, rowEnd: rowStart + sites };
  return { contig, layout: withBatches(layout, batches) };
}

/** Options of a streamed source: those of a text load, a selection (`-r`, `-R`, `--contigs`: a packed input reads only the selected contigs' record batches) and load progress. */
export interface StreamedSourceOptions extends StreamOptions, SelectionSpec {
  onProgress?: (progress: LoadProgress) => void;
}

/** The contigs of a matrix file (text, gzip, packed, or standard input) streamed one at a time. */
export function streamedSource(input: InputFile, pool: WorkerPool, options: StreamedSourceOptions = {}): ContigSource {
  return {
    streamed: true,
    async *units() {
      let rowStart = 0;
      let index = 0;
      const stream = contigLayouts(input, pool, { ...options, onProgress: (progress) => options.onProgress?.(progress) });
      for await (const { layout } of stream) {
        const sites = layout.batches.reduce((sum, batch) => sum + batch.rows, 0);
        const name = layout.contigs[layout.batches[0]?.contig ?? 0] ?? '';
        yield { contig: { name, index: index++, sites, rowStart, rowEnd: rowStart + sites }, layout };
        rowStart += sites;
      }
    },
  };
}

/** The source with `transform` applied to each unit (in memory, streamed, packed or standard input alike). */
export function transformUnits(source: ContigSource, transform: UnitTransform | undefined): ContigSource {
  if (!transform) return source;
  const units = source.units();
  if (Symbol.iterator in units) {
    return {
      streamed: source.streamed,
      *units() {
        for (const unit of units) {
          const transformed = transform(unit);
          if (transformed) yield transformed;
        }
      },
    };
  }
  return {
    streamed: source.streamed,
    async *units() {
      for await (const unit of units) {
        const transformed = transform(unit);
        if (transformed) yield transformed;
      }
    },
  };
}
