// Nucleotide diversity (pi) in 10 kb windows along every contig (definitions in task.ts): one task
// per contig, run in the worker threads over the shared columns.
//
//   node dist/examples/nucleotide-diversity/main.js [MATRIX] [--window BP] [--threads N]
//
// Prints `contig start end sites pi` (tab-separated), one line per window, in genome order.

import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadMatrix } from 'genomatrix';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { window: { type: 'string', default: '10000' }, threads: { type: 'string' } },
});
const demo = fileURLToPath(new URL('../../../examples/data/demo.tsv.gz', import.meta.url));
const threads = values.threads === undefined ? undefined : Number(values.threads);
const matrix = await loadMatrix(positionals[0] ?? demo, { threads });
try {
  const contigs = await matrix.mapContigs<typeof import('./task.js').default>(
    new URL('./task.js', import.meta.url),
    { window: Number(values.window) },
    { onProgress: (done, total) => process.stderr.write(`\rcontigs done: ${done}/${total}${done === total ? '\n' : ''}`) },
  );
  const lines = ['contig\tstart\tend\tsites\tpi'];
  for (const { contig, windows } of contigs) {
    for (const w of windows) lines.push(`${contig}\t${w.start}\t${w.end}\t${w.sites}\t${w.pi}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  await matrix.close();
}
