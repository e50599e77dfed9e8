// Cost of the checks a load of a packed matrix makes (checksums of the columns read, or the value
// checks of a file without checksums): the same file opened with and without them, interleaved.
//
//   node dist/bench/open-checks.js FILE.arrow [--runs 11] [--json]
//   node dist/bench/open-checks.js FILE.arrow --once checks|none   (one open, for /usr/bin/time)

import { statSync } from 'node:fs';
import { batchViews } from '../src/layout/matrix-layout.js';
import { loadArrow } from '../src/read/load-arrow.js';
import { detectInput } from '../src/read/input-format.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const file = args[0];
if (!file || file.startsWith('--')) throw new Error('usage: open-checks.js FILE.arrow [--runs N] [--json] [--once checks|none]');
const input = detectInput(file);

const firstUse: number[] = [];

/** One open; with checks, also the first use of every batch on this thread (the hashing a run pays, spread over its workers). */
async function timeOpen(skipChecks: boolean): Promise<number> {
  const start = performance.now();
  const { layout } = await loadArrow(input, { skipChecks });
  const elapsed = performance.now() - start;
  if (layout.batches.length === 0) throw new Error('no batches');
  if (!skipChecks) {
    const used = performance.now();
    for (const batch of layout.batches) batchViews(layout, batch);
    firstUse.push(performance.now() - used);
  }
  return elapsed;
}

const once = option('--once');
if (once !== undefined) {
  await timeOpen(once === 'none');
} else {
  const runs = Number(option('--runs') ?? 11);
  await timeOpen(false); // warm-up: page cache, modules
  const times = { checks: [] as number[], none: [] as number[] };
  for (let r = 0; r < runs; r++) {
    // Alternate which goes first, so neither always follows the other.
    const order = r % 2 === 0 ? (['checks', 'none'] as const) : (['none', 'checks'] as const);
    for (const kind of order) times[kind].push(await timeOpen(kind === 'none'));
  }
  const median = (list: number[]): number => [...list].sort((a, b) => a - b)[list.length >> 1] as number;
  const min = (list: number[]): number => list.reduce((a, b) => Math.min(a, b), Infinity);
  const result = {
    file,
    bytes: statSync(file).size,
    runs,
    ratio: median(times.checks) / median(times.none),
    checks: { min: min(times.checks), median: median(times.checks) },
    none: { min: min(times.none), median: median(times.none) },
    firstUse: { min: min(firstUse), median: median(firstUse) },
  };
  if (args.includes('--json')) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`open with checks / without: ${result.ratio.toFixed(2)}x (medians of ${runs} interleaved runs, ${(result.bytes / 1e6).toFixed(0)} MB)`);
    console.log(`with checks:    min ${result.checks.min.toFixed(0)} ms, median ${result.checks.median.toFixed(0)} ms`);
    console.log(`without checks: min ${result.none.min.toFixed(0)} ms, median ${result.none.median.toFixed(0)} ms`);
    console.log(`first use of every batch (checksums, one thread): min ${result.firstUse.min.toFixed(0)} ms, median ${result.firstUse.median.toFixed(0)} ms`);
  }
}
