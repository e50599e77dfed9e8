#!/usr/bin/env node
// The genomatrix command line's entry point. `--version` is answered here, before anything heavy
// is imported: yargs, the commands and the Arrow and worker-pool code take ~150 ms to load, and a
// workflow runs one process per job. Everything else goes to cli.ts.

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
  const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  process.stdout.write(`${version}\n`);
} else {
  await import('./cli.js');
}
