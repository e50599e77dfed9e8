// A genome matrix loaded once into shared memory, and how to open one.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Arrow from 'apache-arrow';
import { WorkerPool } from './dispatch/worker-pool.js';
import { GenomatrixError, UsageError } from './errors.js';
import { AlleleDictionary } from './layout/allele-dictionary.js';
import { batchViews, type BatchViews, type MatrixLayout } from './layout/matrix-layout.js';
import { detectInput, InputFormat } from './read/input-format.js';
import { loadText, type LoadProgress } from './read/load-text.js';

/** One contig: its name, its number of sites, and its rows `[rowStart, rowEnd)` in table order. */
export interface Contig {
  name: string;
  /** Position in `Matrix.contigs` (and index of its record batch in `Matrix.table`). */
  index: number;
  sites: number;
  rowStart: number;
  rowEnd: number;
}

/** Options of `loadMatrix`. */
export interface LoadOptions {
  /** A file with the header line (tab-separated column names), for data files without one. */
  header?: string;
  /** Worker threads; default: the usable core count. */
  threads?: number;
  /** Accept decreasing POS inside a contig run. */
  allowUnsorted?: boolean;
  /** Cancels the load. */
  signal?: AbortSignal;
  /** Bytes of input each parse task takes (default 8 MiB); smaller gives more, shorter tasks. */
  chunkBytes?: number;
  /** Called on the main thread after each parsed chunk (bytes of the input done, sites parsed). */
  onProgress?: (progress: LoadProgress) => void;
  /** Receives warnings, such as the decreasing POS `allowUnsorted` accepted; default: `process.emitWarning`. */
  onWarning?: (message: string) => void;
}

/** Builds the Arrow table of a layout; apache-arrow is imported only by `loadMatrix`, never by the CLI. */
/** Options of `Matrix.mapContigs`. */
export interface MapOptions {
  signal?: AbortSignal;
  /** Called after each contig's task with the contigs done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** A module specifier for a worker: URLs as they are, file paths made absolute. */
function moduleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(module)) return module;
  return pathToFileURL(resolve(module)).href;
}

type TableBuilder = (layout: MatrixLayout, rows: number) => Arrow.Table;

/** A loaded matrix: shared column buffers, the contigs, and a pool of workers over them. */
export class Matrix {
  /** Haplotype column names. */
  readonly samples: readonly string[];
  readonly contigs: readonly Contig[];
  /** Sites (rows) in all. */
  readonly sites: number;
  private tableCache: Arrow.Table | undefined;
  private closed = false;

  /** @internal use `loadMatrix` */
  constructor(
    /** The file it was loaded from. */
    readonly source: string,
    /** The shared buffers, as posted to workers (see native-layout/README.md). */
    readonly layout: MatrixLayout,
    /** @internal */
    readonly pool: WorkerPool,
    private readonly makeTable?: TableBuilder,
  ) {
    this.samples = layout.samples;
    let row = 0;
    this.contigs = layout.batches.map((batch, index) => {
      const contig = { name: layout.contigs[batch.contig] ?? '', index, sites: batch.rows, rowStart: row, rowEnd: row + batch.rows };
      row += batch.rows;
      return contig;
    });
    this.sites = row;
  }

  /** The allele strings, indexed by code. */
  get alleles(): string[] {
    return AlleleDictionary.attach(this.layout.alleles).toStrings();
  }

  /** Worker threads of this matrix's pool. */
  get threads(): number {
    return this.pool.threads;
  }

  /** An apache-arrow Table over the shared buffers (one record batch per contig); no copy is made. */
  get table(): Arrow.Table {
    this.assertOpen();
    if (!this.tableCache) {
      if (!this.makeTable) throw new GenomatrixError('this matrix was opened without apache-arrow; use loadMatrix()');
      this.tableCache = this.makeTable(this.layout, this.sites);
    }
    return this.tableCache;
  }

  /** Raw typed arrays (POS and allele codes) of one contig's rows: zero-copy views. */
  contigViews(contig: string | number): BatchViews {
    this.assertOpen();
    const found = typeof contig === 'number' ? this.contigs[contig] : this.contigs.find((c) => c.name === contig);
    const batch = found && this.layout.batches[found.index];
    if (!batch) throw new UsageError(`no contig ${contig}`);
    return batchViews(this.layout, batch);
  }

  /**
   * Runs a task module's default export (see `defineTask`) once per contig in the worker threads,
   * each call seeing its contig through zero-copy views; returns the results in contig order.
   *
   * @example
   * const sites = await matrix.mapContigs(new URL('./count-sites.js', import.meta.url));
   */
  async mapContigs<Result = unknown, Args = unknown>(taskModule: string | URL, args?: Args, options: MapOptions = {}): Promise<Result[]> {
    this.assertOpen();
    const module = moduleUrl(taskModule);
    let done = 0;
    // The first failure cancels the other contigs' tasks (their workers are replaced), so a task
    // that throws never leaves the rest running, or hanging, behind it.
    const cancel = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, cancel.signal]) : cancel.signal;
    try {
      return await Promise.all(
        this.layout.batches.map(async (batch, index) => {
          const layout = { ...this.layout, batches: [batch] };
          const result = (await this.pool.run({ kind: 'custom', module, args, layout, index }, signal)) as Result;
          options.onProgress?.(++done, this.contigs.length);
          return result;
        }),
      );
    } catch (error) {
      cancel.abort();
      throw error;
    }
  }

  /** Stops the worker threads and lets go of the shared buffers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.tableCache = undefined;
    await this.pool.destroy();
  }

  private assertOpen(): void {
    if (this.closed) throw new UsageError('the matrix is closed');
  }
}

/**
 * Loads a genome matrix (plain text or gzip/BGZF, told from its bytes) into shared Arrow columns.
 *
 * @example
 * const matrix = await loadMatrix('matrix.tsv.gz');
 * console.log(matrix.samples, matrix.contigs.map((c) => `${c.name}: ${c.sites}`));
 * console.log(matrix.table.getChild('POS')?.get(0));
 * await matrix.close();
 */
export async function loadMatrix(path: string, options: LoadOptions = {}): Promise<Matrix> {
  const [matrix, { arrowTable }] = await Promise.all([openMatrix(path, options), import('./table/arrow-table.js')]);
  return new Matrix(matrix.source, matrix.layout, matrix.pool, (layout, rows) =>
    arrowTable(layout, new Int32Array(new SharedArrayBuffer(4 * Math.max(rows, 1)))),
  );
}

/** @internal Loads without importing apache-arrow (the CLI's path: it never needs the Table). */
export async function openMatrix(path: string, options: LoadOptions = {}): Promise<Matrix> {
  const input = detectInput(path);
  if (input.format === InputFormat.arrow) throw new UsageError(`${path}: Arrow IPC input is not supported yet`);
  const pool = new WorkerPool(options.threads);
  try {
    const layout = await loadText(input, pool, options);
    return new Matrix(path, layout, pool);
  } catch (error) {
    await pool.destroy();
    throw error;
  }
}
