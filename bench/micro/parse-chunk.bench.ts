// Micro-benchmark: parsing a chunk of matrix lines into columns. genomatrix's byte kernel
// (`runParseTask` over a shared block, as the gzip path feeds it) against the usual baseline:
// decode to a string, split lines on '\n' and fields on '\t', Map from allele string to code.

import b from 'benny';
import { AlleleDictionary } from '../../src/layout/allele-dictionary.js';
import { allocateColumnStore, columnBytes, columnRefNumbers, positions } from '../../src/read/column-store.js';
import { runParseTask } from '../../src/worker/parse-chunk.js';
import type { ParseTask } from '../../src/worker/messages.js';
import { consume, matrixChunk, resultsFolder } from './micro-data.js';

const chunk = matrixChunk();
const fields = chunk.names.length;
const rows = chunk.sites;
const block = new SharedArrayBuffer(chunk.bytes.length);
new Uint8Array(block).set(chunk.bytes);
// The columns as a load lays them out (side by side, staggered): one buffer per column would put
// them all in the same cache sets, and the kernel would measure several times slower.
const store = allocateColumnStore(fields - 1, rows);

/** genomatrix: bytes -> POS integers and one-byte codes, straight into the shared columns. */
function parseKernel(): number {
  const task: ParseTask = {
    kind: 'parse',
    source: { type: 'block', bytes: block, length: chunk.bytes.length },
    fields,
    columns: store.buffers,
    columnRefs: columnRefNumbers(store),
    alleles: AlleleDictionary.create().buffer,
    rowStart: 0,
    rowCapacity: store.capacity,
    allowUnsorted: false,
  };
  const result = runParseTask(task);
  if (result.problem || result.rows !== rows) throw new Error(`parse kernel: ${result.problem?.problem ?? `${result.rows} rows`}`);
  return result.rows + (columnBytes(store, 5, rows - 1, 1)[0] as number);
}
const kernelPos = positions(store, 0, rows);

const pos = new Int32Array(rows);
const codes = Array.from({ length: fields - 2 }, () => new Uint8Array(rows));

/** Baseline: text, split, Map lookups, into the same kind of columns. */
function splitAndMap(): number {
  const alleles = new Map<string, number>();
  const text = Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.length).toString('utf8');
  const lines = text.split('\n');
  let row = 0;
  for (const line of lines) {
    if (line === '') continue;
    const cells = line.split('\t');
    pos[row] = Number(cells[1]);
    for (let c = 2; c < cells.length; c++) {
      const allele = cells[c] as string;
      let code = alleles.get(allele);
      if (code === undefined) alleles.set(allele, (code = alleles.size));
      (codes[c - 2] as Uint8Array)[row] = code;
    }
    row++;
  }
  return row + (codes[3]?.[rows - 1] ?? 0);
}

// Both must read the same rows (allele codes differ: the kernel's dictionary starts with A C G T N -).
parseKernel();
splitAndMap();
if (kernelPos.some((value, row) => value !== pos[row]) || kernelPos[rows - 1] === 0) throw new Error('parse kernel and baseline disagree on POS');

await b.suite(
  `parse a chunk (${rows} sites x ${fields - 3} haplotypes, ${(chunk.bytes.length / 2 ** 20).toFixed(1)} MB)`,
  b.add('baseline: split + Map<string, number>', () => consume(splitAndMap())),
  b.add('genomatrix: runParseTask (byte kernel)', () => consume(parseKernel())),
  b.cycle(),
  b.complete(),
  b.save({ file: 'micro-parse-chunk', folder: resultsFolder, format: 'json', version: null }),
);
