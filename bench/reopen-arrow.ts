// Reopen time: parsing a text matrix vs opening its packed .arrow file (each run a fresh load,
// workers started and stopped, as a command does). Ratios first, then min and median.
//
//   node dist/bench/reopen-arrow.js [matrix.tsv] [--runs 5] [--json]
// The .arrow file is packed next to the system temporary directory once, before the runs.

import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadMatrix, pack } from 'genomatrix';
import { openMatrix } from '../src/matrix.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const text = args.find((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? '/tmp/seed.tsv';
const runs = Number(option('--runs') ?? 5);
const arrowFile = join(tmpdir(), `reopen-bench-${process.pid}-${basename(text)}.arrow`);

const packing = await loadMatrix(text);
await pack(packing, { output: arrowFile });
await packing.close();

async function timeOpen(path: string): Promise<number> {
  const start = performance.now();
  const matrix = await openMatrix(path);
  const elapsed = performance.now() - start;
  await matrix.close();
  return elapsed;
}

const times: Record<'text' | 'arrow', number[]> = { text: [], arrow: [] };
try {
  await timeOpen(text); // warm-up: page cache, module loading
  await timeOpen(arrowFile);
  for (let run = 0; run < runs; run++) {
    times.text.push(await timeOpen(text));
    times.arrow.push(await timeOpen(arrowFile));
  }
} finally {
  rmSync(arrowFile, { force: true });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const summary = {
  matrix: text,
  textBytes: statSync(text).size,
  runs,
  ratioMedian: median(times.text) / median(times.arrow),
  ratioMin: Math.min(...times.text) / Math.min(...times.arrow),
  textMs: { min: Math.min(...times.text), median: median(times.text), all: times.text },
  arrowMs: { min: Math.min(...times.arrow), median: median(times.arrow), all: times.arrow },
};
if (args.includes('--json')) console.log(JSON.stringify(summary, null, 2));
else {
  console.log(`reopen ${text} (${summary.textBytes.toLocaleString('en-US')} bytes), ${runs} runs after a warm-up`);
  console.log(`  .arrow is ${summary.ratioMedian.toFixed(1)}x faster (median), ${summary.ratioMin.toFixed(1)}x (min)`);
  console.log(`  text parse  min ${summary.textMs.min.toFixed(0)} ms  median ${summary.textMs.median.toFixed(0)} ms`);
  console.log(`  .arrow open min ${summary.arrowMs.min.toFixed(0)} ms  median ${summary.arrowMs.median.toFixed(0)} ms`);
}
