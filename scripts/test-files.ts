// The built test files in the order `npm run test:dist` starts them: the longest first, so that
// with several files running at once the suite does not end waiting on a long file started last.
// Prints one path a line (`node --test $(node dist/scripts/test-files.js)`).

import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The longest test files, longest first (wall time of a whole-suite run, 2 cores). */
const LONGEST = ['slurm', 'pasteable', 'snakemake', 'driver-modes', 'errors', 'selection', 'fuzz', 'contig-selection', 'help'];

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test');
const files = readdirSync(dir).filter((name) => name.endsWith('.test.js')).sort();
const rank = (name: string): number => {
  const at = LONGEST.indexOf(name.slice(0, -'.test.js'.length));
  return at === -1 ? LONGEST.length : at;
};
files.sort((a, b) => rank(a) - rank(b));
process.stdout.write(files.map((name) => `${join(dir, name)}\n`).join(''));
