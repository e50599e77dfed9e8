// Reopen time: parsing a text matrix vs opening its packed .arrow file (each run a fresh load,
// workers started and stopped, as a command does). Ratios first, then min and median.
//
// Two floors, measured in the same runs, say what any open into fresh memory costs on this machine
// (no genomatrix code in either):
// - raw read: the whole .arrow file read into a fresh SharedArrayBuffer, with the same piece size
//   and reads in flight as the loader;
// - first touch: one write per 4 KiB page of a fresh SharedArrayBuffer of the file's size, on one
//   thread; that is the page faults alone, without copying a byte.
//
//   node dist/bench/reopen-arrow.js [matrix.tsv] [--runs 5] [--json]
// The .arrow file is packed next to the system temporary directory once, before the runs.

import { rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
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
const arrowBytes = statSync(arrowFile).size;

async function timeOpen(path: string): Promise<number> {
  const start = performance.now();
  const matrix = await openMatrix(path);
  const elapsed = performance.now() - start;
  await matrix.close();
  return elapsed;
}

/** The raw-read floor: the file into a fresh SharedArrayBuffer, 8 MiB pieces, 4 in flight (as the loader reads). */
async function timeRawRead(path: string): Promise<number> {
  const start = performance.now();
  const size = arrowBytes;
  const bytes = new Uint8Array(new SharedArrayBuffer(size));
  const handle = await open(path, 'r');
  try {
    let next = 0;
    const reader = async (): Promise<void> => {
      while (next < size) {
        const at = next;
        next += 8 << 20;
        const end = Math.min(next, size);
        for (let done = at; done < end; ) {
          const { bytesRead } = await handle.read(bytes, done, end - done, done);
          if (bytesRead === 0) throw new Error(`${path} shrank while it was read`);
          done += bytesRead;
        }
      }
    };
    await Promise.all([reader(), reader(), reader(), reader()]);
  } finally {
    await handle.close();
  }
  return performance.now() - start;
}

/** The page-fault floor: one write per 4 KiB page of fresh shared memory of the file's size. */
function timeFirstTouch(): number {
  const start = performance.now();
  const bytes = new Uint8Array(new SharedArrayBuffer(arrowBytes));
  for (let at = 0; at < bytes.length; at += 4096) bytes[at] = 1;
  return performance.now() - start;
}

const times: Record<'text' | 'arrow' | 'rawRead' | 'firstTouch', number[]> = { text: [], arrow: [], rawRead: [], firstTouch: [] };
try {
  await timeOpen(text); // warm-up: page cache, module loading
  await timeOpen(arrowFile);
  await timeRawRead(arrowFile);
  for (let run = 0; run < runs; run++) {
    times.text.push(await timeOpen(text));
    times.arrow.push(await timeOpen(arrowFile));
    times.rawRead.push(await timeRawRead(arrowFile));
    times.firstTouch.push(timeFirstTouch());
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
  arrowBytes,
  rawReadMs: { min: Math.min(...times.rawRead), median: median(times.rawRead), all: times.rawRead },
  firstTouchMs: { min: Math.min(...times.firstTouch), median: median(times.firstTouch), all: times.firstTouch },
};
if (args.includes('--json')) console.log(JSON.stringify(summary, null, 2));
else {
  console.log(`reopen ${text} (${summary.textBytes.toLocaleString('en-US')} bytes), ${runs} runs after a warm-up`);
  console.log(`  .arrow is ${summary.ratioMedian.toFixed(1)}x faster (median), ${summary.ratioMin.toFixed(1)}x (min)`);
  console.log(`  text parse  min ${summary.textMs.min.toFixed(0)} ms  median ${summary.textMs.median.toFixed(0)} ms`);
  console.log(`  .arrow open min ${summary.arrowMs.min.toFixed(0)} ms  median ${summary.arrowMs.median.toFixed(0)} ms`);
  console.log('  floors, the .arrow file into fresh shared memory without genomatrix:');
  console.log(`  raw read    min ${summary.rawReadMs.min.toFixed(0)} ms  median ${summary.rawReadMs.median.toFixed(0)} ms`);
  console.log(`  first touch min ${summary.firstTouchMs.min.toFixed(0)} ms  median ${summary.firstTouchMs.median.toFixed(0)} ms  (page faults alone, one thread)`);
}
