// A genome matrix loaded once into shared memory, and how to open one.

import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Arrow from 'apache-arrow';
import { resolvePairs, type HaplotypePair } from './convert/pairs.js';
import { mapContigRanges, type MapOptions } from './dispatch/map-contigs.js';
import { WorkerPool } from './dispatch/worker-pool.js';
import { GenomatrixError, UsageError } from './errors.js';
import { AlleleDictionary } from './layout/allele-dictionary.js';
import { findPosition, isSorted, matrixColumn, type AlleleColumn, type PositionColumn, type Site } from './layout/matrix-column.js';
import { batchTable, tableRows } from './layout/batch-table.js';
import { batchViews, type BatchViews, type MatrixLayout } from './layout/matrix-layout.js';
import type { MatrixOrigin } from './layout/matrix-origin.js';
import { detectInput, InputFormat } from './read/input-format.js';
import { parsedContigs, selectionOf } from './select/regions.js';
import { selectRegions } from './select/select-regions.js';
import { loadArrow } from './read/load-arrow.js';
import { loadText } from './read/load-text.js';
import type { Contig, LoadProgress } from './layout/types.js';
import type { TaskArgs, TaskResult } from './worker/contig-view.js';

export type { MapOptions } from './dispatch/map-contigs.js';
export type { Contig, LoadProgress } from './layout/types.js';


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
  /**
   * Only these contigs, by name; they keep the matrix's order. A packed `.arrow` input reads only
   * their bytes; a text input is read whole, the other contigs' lines skipped by the parse (no
   * rows; their alleles still counted). A name the matrix lacks is an error.
   */
  contigs?: readonly string[];
  /**
   * Only these regions, as bcftools' `-r` takes them: `CHR[:FROM-TO][,...]`, 1-based and inclusive
   * (docs/selection.md). Rows keep the matrix's order; a contig cut into several long ranges is
   * several entries of `contigs`, one per range (short ranges are gathered into one). A packed
   * input reads only the selected contigs' bytes.
   */
  regions?: string;
  /** Only the regions of this file (BED when named `.bed`/`.bed.gz`, else tab-separated CHR POS [END], 1-based). */
  regionsFile?: string;
  /** Diploid pairs, as `"10a:10b,13a:13b"` or name pairs; default: the pairs packed with an .arrow matrix, else automatic `<stem>a`/`<stem>b` pairs. */
  pairs?: string | readonly (readonly [string, string])[];
  /** @internal A contig cut into ranges shorter than this on average is gathered into one batch (docs/selection.md); tests set 0 to keep the ranges. */
  gatherBelowRows?: number;
  /** @internal Largest SharedArrayBuffer an .arrow load makes (default 4 GiB); tests force a small one. */
  maxBufferBytes?: number;
  /** Receives warnings, such as the decreasing POS `allowUnsorted` accepted; default: `process.emitWarning`. */
  onWarning?: (message: string) => void;
  /**
   * Called on the main thread as the input is read: input bytes done (gzip: compressed bytes read),
   * the file's size, and the details (sites parsed so far).
   */
  onProgress?: (done: number, total: number, progress: LoadProgress) => void;
}

/** A module specifier for a worker: URLs as they are, file paths made absolute. */
function moduleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(module)) return module;
  return pathToFileURL(resolve(module)).href;
}

/** Builds the Arrow table of a layout; apache-arrow is imported only by `loadMatrix`, never by the CLI. */
type TableBuilder = (layout: MatrixLayout, rows: number) => Arrow.Table;

/** A loaded matrix: shared column buffers, the contigs, and a pool of workers over them. */
export class Matrix {
  /** Haplotype column names. */
  readonly samples: readonly string[];
  /** Sites (rows) in all. */
  readonly sites: number;
  private pairsMade: readonly HaplotypePair[] | undefined;
  private contigsCache: readonly Contig[] | undefined;
  private tableCache: Arrow.Table | undefined;
  private readonly sortedContigs: (boolean | undefined)[] = [];
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
    /** The input's format, the text matrix it came from, and pairs stored with it. */
    readonly origin: MatrixOrigin = { format: 'text', sourceName: basename(source), sourceSize: 0 },
    pairs?: LoadOptions['pairs'],
  ) {
    this.samples = layout.samples;
    // Pairs given (or stored) are checked here, a bad one failing the load; the automatic ones
    // are found when first read (100,000 columns: 170 ms, which `info` does not need).
    const given = pairs ?? origin.pairs;
    if (given !== undefined) this.pairsMade = resolvePairs(layout.samples, given);
    // From the batch table: a text load's batch objects are made only when read (layout/batch-table.ts).
    this.sites = tableRows(batchTable(layout));
  }

  /** Diploid pairs of haplotype columns: `LoadOptions.pairs`, or the automatic `<stem>a`/`<stem>b` pairs. */
  get pairs(): readonly HaplotypePair[] {
    return (this.pairsMade ??= resolvePairs(this.samples));
  }

  /** The contigs, one per batch of the layout (a region selection may cut a contig into several), in order: made when first asked for (the conversions need none). */
  get contigs(): readonly Contig[] {
    if (!this.contigsCache) {
      const { layout } = this;
      let row = 0;
      this.contigsCache = layout.batches.map((batch, index) => {
        const contig = { name: layout.contigs[batch.contig] ?? '', index, sites: batch.rows, rowStart: row, rowEnd: row + batch.rows };
        row += batch.rows;
        return contig;
      });
    }
    return this.contigsCache;
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

  /**
   * One column (`POS`, `REF` or a haplotype) as zero-copy typed arrays, one per contig; an allele
   * column comes with the allele dictionary that decodes its codes.
   *
   * @example
   * const out = matrix.column('out');
   * const chr1 = out.contig('chr1');             // Uint8Array of allele codes, a view
   * console.log(out.alleles[chr1[0]!], out.get(0)); // the same allele, decoded two ways
   */
  column(name: 'POS'): PositionColumn;
  column(name: string): AlleleColumn;
  column(name: string): AlleleColumn | PositionColumn {
    this.assertOpen();
    const column = matrixColumn(this.layout, this.contigs, name, this.alleles);
    if (!column) {
      const hint = name === 'CHROM' ? ' (contigs are in matrix.contigs: each is a row range)' : '';
      throw new UsageError(`no column ${name}${hint}; columns: POS, REF, ${this.samples.join(', ')}`);
    }
    return column;
  }

  /**
   * The site at `pos` of `contig`, decoded, or undefined when the contig has no such site
   * (a binary search; the first of equal positions).
   *
   * @example
   * const site = matrix.site('chr1', 157963);
   * if (site) console.log(site.ref, site.haplotypes.join(''));
   */
  site(contig: string | number, pos: number): Site | undefined {
    this.assertOpen();
    // By name, every entry of the contig: a region selection may have cut it into several ranges.
    const candidates = typeof contig === 'number' ? [this.contigs[contig]] : this.contigs.filter((c) => c.name === contig);
    for (const found of candidates) {
      const batch = found && this.layout.batches[found.index];
      if (!found || !batch) continue;
      const views = batchViews(this.layout, batch);
      const sorted = (this.sortedContigs[found.index] ??= isSorted(views.pos));
      const r = findPosition(views.pos, pos, sorted);
      if (r < 0) continue;
      const alleles = this.alleles;
      const decode = (code: number | undefined): string => alleles[code ?? -1] ?? '';
      return { contig: found.name, pos, row: found.rowStart + r, ref: decode(views.ref[r]), haplotypes: views.haplotypes.map((codes) => decode(codes[r])) };
    }
    return undefined;
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
   * Runs a task module's default export (see `defineTask`) in the worker threads, once per contig
   * (or once per chunk of `chunkRows` rows), each call seeing its rows through zero-copy views;
   * returns the results in genome order. `args` is structured-cloned to each task, except
   * `SharedArrayBuffer`s, which stay shared: a task can write its results straight into one.
   * A task's exception rejects the run with its message (and class, for the built-in error classes).
   * A task that tinypool hands to a thread being stopped (by a cancellation) is run again, so a task
   * should only write results for its own rows: it may, rarely, run twice.
   *
   * The type parameter is either the task (`typeof import('./task.js').default`), which types `args`
   * and the results, or the result type itself.
   *
   * @example
   * const counts = await matrix.mapContigs<typeof import('./count-sites.js').default>(
   *   new URL('./count-sites.js', import.meta.url),
   *   { minCalled: 2 },
   *   { chunkRows: 100_000, signal: AbortSignal.timeout(60_000), onProgress: (done, total) => console.error(`${done}/${total}`) },
   * );
   */
  async mapContigs<Task = unknown>(taskModule: string | URL, args?: TaskArgs<Task>, options: MapOptions = {}): Promise<TaskResult<Task>[]> {
    this.assertOpen();
    const run = { pool: this.pool, layout: this.layout, contigs: this.contigs, pairs: [...this.pairs], module: moduleUrl(taskModule), args };
    return (await mapContigRanges(run, options)) as TaskResult<Task>[];
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
 * Loads a genome matrix (plain text, gzip/BGZF, or a packed `.arrow` file, told from its bytes) into
 * shared Arrow columns. A packed file is read, not parsed: its columns are views of its bytes.
 *
 * @example
 * const matrix = await loadMatrix('matrix.tsv.gz');
 * console.log(matrix.samples, matrix.contigs.map((c) => `${c.name}: ${c.sites}`));
 * console.log(matrix.table.getChild('POS')?.get(0));
 * await matrix.close();
 */
export async function loadMatrix(path: string, options: LoadOptions = {}): Promise<Matrix> {
  const [matrix, { arrowTable }] = await Promise.all([openMatrix(path, options), import('./table/arrow-table.js')]);
  return new Matrix(
    matrix.source,
    matrix.layout,
    matrix.pool,
    (layout, rows) => arrowTable(layout, new Int32Array(new SharedArrayBuffer(4 * Math.max(rows, 1)))),
    matrix.origin,
    options.pairs,
  );
}

/** @internal Loads without importing apache-arrow (the CLI's path: it never needs the Table). */
export async function openMatrix(path: string, options: LoadOptions = {}): Promise<Matrix> {
  const input = detectInput(path);
  if (input.format === InputFormat.arrow && options.header !== undefined) {
    throw new UsageError(`--header is for text matrices: ${path} is a packed .arrow matrix and holds its column names`);
  }
  const regions = selectionOf(options);
  const pool = new WorkerPool(options.threads);
  try {
    if (input.format === InputFormat.arrow) {
      const { layout, origin } = await loadArrow(input, { ...options, selection: regions });
      return new Matrix(path, layout, pool, undefined, origin, options.pairs);
    }
    const { onProgress } = options;
    const loaded = await loadText(input, pool, {
      ...options,
      // The other contigs' lines are skipped as they are parsed (read/load-text.ts).
      onlyContigs: parsedContigs(regions),
      onProgress: onProgress && ((progress) => onProgress(progress.bytes, progress.totalBytes, progress)),
    });
    const layout = regions ? selectRegions(path, loaded, regions, options) : loaded;
    return new Matrix(path, layout, pool, undefined, { format: input.format, sourceName: basename(path), sourceSize: input.size }, options.pairs);
  } catch (error) {
    await pool.destroy();
    throw error;
  }
}
