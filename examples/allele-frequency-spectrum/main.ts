// Allele frequency spectrum per contig: how many complete sites carry 0, 1, 2, ... derived alleles
// (definitions in task.ts). The tasks write into one shared Int32Array: no result is copied back.
//
//   node dist/examples/allele-frequency-spectrum/main.js [MATRIX] [--folded] [--chunk-rows N] [--threads N]
//
// Prints `contig derived sites` (tab-separated) for every contig and bin, then an `all` row per bin;
// the incomplete sites per contig go to stderr.

import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadMatrix } from 'genomatrix';
import { stride } from './task.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { folded: { type: 'boolean', default: false }, 'chunk-rows': { type: 'string' }, threads: { type: 'string' } },
});
const demo = fileURLToPath(new URL('../../../examples/data/demo.tsv.gz', import.meta.url));
const threads = values.threads === undefined ? undefined : Number(values.threads);
const matrix = await loadMatrix(positionals[0] ?? demo, { threads });
try {
  const haplotypes = matrix.samples.length;
  const slots = stride(haplotypes);
  const counts = new Int32Array(new SharedArrayBuffer(4 * slots * matrix.contigs.length));
  await matrix.mapContigs<typeof import('./task.js').default>(
    new URL('./task.js', import.meta.url),
    { counts: counts.buffer as SharedArrayBuffer, folded: values.folded },
    { chunkRows: Number(values['chunk-rows'] ?? 100_000) },
  );
  const bins = values.folded ? Math.floor(haplotypes / 2) + 1 : haplotypes + 1;
  const total = new Array<number>(bins).fill(0);
  const lines = ['contig\tderived\tsites'];
  for (const contig of matrix.contigs) {
    const row = counts.subarray(contig.index * slots, (contig.index + 1) * slots);
    for (let k = 0; k < bins; k++) {
      lines.push(`${contig.name}\t${k}\t${row[k]}`);
      total[k] = (total[k] ?? 0) + (row[k] ?? 0);
    }
    process.stderr.write(`${contig.name}: ${row[haplotypes + 1]} incomplete sites left out\n`);
  }
  total.forEach((sites, k) => lines.push(`all\t${k}\t${sites}`));
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  await matrix.close();
}
