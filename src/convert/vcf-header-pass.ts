// The first pass of a low-memory VCF run: the VCF header needs every contig with its length (its
// largest POS) and every allele (the `##ALT` lines) before the first record. A packed matrix has
// them in its metadata and POS columns; a text input is streamed contig by contig, as the second
// pass will, keeping only those: no second copy of the output. A contig is held as its POS and REF
// columns only (`sitesOnly`: 5 bytes a row, not the 35 of 31 haplotypes), and the parse tasks'
// staging columns go on to the second pass (`staging`), so the first pass leaves almost no buffers
// behind: they would stay allocated until the main thread's garbage collector runs, which in a
// streamed run is seldom, and add to the second pass's peak. Its allele dictionary, put in
// canonical order, seeds the second pass, so the codes (and the ALT order) are those an in-memory
// run gives; the largest contig's row count sizes the second pass's contig columns, so that every
// contig comes in one batch (the VCF kernel reads across a task's rows).

import { closeSync, openSync } from 'node:fs';
import type { StreamedSourceOptions } from '../dispatch/contig-source.js';
import type { WorkerPool } from '../dispatch/worker-pool.js';
import { AlleleDictionary, canonicalAlleles, SEED_ALLELES } from '../layout/allele-dictionary.js';
import { batchPositions } from '../layout/matrix-layout.js';
import { selectBatches } from '../layout/select-contigs.js';
import { readBytes, type RecordBatchEntry } from '../read/arrow-file-index.js';
import { contigLayouts } from '../read/contig-by-contig.js';
import { readArrowMatrix } from '../read/load-arrow.js';
import { InputFormat, type InputFile } from '../read/input-format.js';
import { selectionOf, wholeContig, type RegionSet } from '../select/regions.js';
import { rowSpans } from '../select/select-regions.js';
import { maxPos, type VcfContig } from './vcf.js';

/** What the VCF header needs, and the dictionary the second pass starts from. */
export interface VcfHeaderFacts {
  contigs: VcfContig[];
  alleles: string[];
  /** The dictionary the second pass parses with (text inputs; a packed file brings its own). */
  dictionary: SharedArrayBuffer | undefined;
  /** Rows of the largest contig of a text input, before a region cut (0 for a packed input: a record batch is a contig). */
  largestContigRows: number;
}

/** Streams `input` once for the contigs, their lengths and the alleles (see the top of this file). */
export async function vcfHeaderPass(input: InputFile, pool: WorkerPool, options: StreamedSourceOptions): Promise<VcfHeaderFacts> {
  if (input.format === InputFormat.arrow) return packedHeaderFacts(input, selectionOf(options));
  const contigs: VcfContig[] = [];
  let alleles: SharedArrayBuffer | undefined;
  let largestContigRows = 0;
  const onContigRows = (rows: number): void => void (largestContigRows = Math.max(largestContigRows, rows));
  for await (const { layout } of contigLayouts(input, pool, { ...options, sitesOnly: true, onProgress: () => undefined, onContigRows })) {
    let length = 0;
    for (const batch of layout.batches) length = Math.max(length, maxPos(batchPositions(layout, batch)));
    const contig = layout.batches[0]?.contig ?? 0;
    // A contig a region selection cut keeps its whole length, as in memory (convert/vcf.ts).
    contigs.push({ name: layout.contigs[contig] ?? '', length: layout.contigLengths?.[contig] || length });
    alleles = layout.alleles;
  }
  const strings = alleles ? AlleleDictionary.attach(alleles).toStrings() : [...SEED_ALLELES];
  const canonical = canonicalAlleles(strings);
  return { contigs, alleles: canonical, dictionary: AlleleDictionary.create(canonical).buffer, largestContigRows };
}

/**
 * The same facts of a packed matrix, from its metadata and its POS columns only (4 bytes a site,
 * read a record batch at a time): the alleles and contigs are its dictionaries. With a region
 * selection, only the selected contigs with a site inside their regions are listed (as the
 * in-memory run and the second pass write them, docs/selection.md), each with its whole length.
 */
function packedHeaderFacts(input: InputFile, regions: RegionSet | undefined): VcfHeaderFacts {
  const file = readArrowMatrix(input);
  const keep = regions ? selectBatches(input.path, file.contigs, file.batchContigs, [...regions.intervals.keys()]) : file.batchContigs.map((_, b) => b);
  const fd = openSync(input.path, 'r');
  try {
    const contigs: VcfContig[] = [];
    for (const b of keep) {
      const entry = file.index.recordBatches[b] as RecordBatchEntry;
      const bytes = readBytes(fd, entry.bodyStart + (entry.buffers[3]?.offset ?? 0), 4 * entry.rows);
      const pos = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
      const name = file.contigs[file.batchContigs[b] as number] ?? '';
      const intervals = regions?.intervals.get(name);
      if (intervals && !wholeContig(intervals) && rowSpans(pos, intervals).length === 0) continue;
      contigs.push({ name, length: maxPos(pos) });
    }
    return { contigs, alleles: file.alleles, dictionary: undefined, largestContigRows: 0 };
  } finally {
    closeSync(fd);
  }
}
