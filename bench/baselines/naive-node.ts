// The naive Node.js way to make the haplotype table, written the way most people would: the
// JavaScript twin of the pandas + multiprocessing pipeline. The whole file is read line by line
// into arrays of strings, grouped per contig, and each group is sent to a worker with postMessage
// (structured clone, i.e. a full copy, like pickling a data frame for Pool.map); the worker
// builds the output lines with string operations and posts them back; the main thread writes the
// contigs in order of first appearance.
//
// Usage: node dist/bench/baselines/naive-node.js MATRIX [--threads N] > haplotypes.tsv

import { createReadStream, createWriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { ContigJob, ContigLines } from './naive-node-worker.js';

/** Pairs `<stem>a` + `<stem>b`, members ordered by name, pairs in string order of their name. */
function findPairs(names: string[]): { name: string; columns: [number, number] }[] {
  const pairs: { name: string; columns: [number, number] }[] = [];
  names.forEach((a, i) => {
    if (!a.endsWith('a')) return;
    const j = names.indexOf(a.slice(0, -1) + 'b');
    if (j >= 0) pairs.push({ name: a + names[j], columns: [i, j] });
  });
  return pairs.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/** Reads the matrix into memory: rows (arrays of strings) grouped per contig, in order of first appearance. */
async function readMatrix(path: string): Promise<{ header: string[]; groups: Map<string, string[][]> }> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let header: string[] | undefined;
  const groups = new Map<string, string[][]>();
  for await (const line of lines) {
    if (line === '') continue;
    const fields = line.split('\t');
    if (!header) {
      header = fields;
      continue;
    }
    const contig = fields[0] as string;
    let group = groups.get(contig);
    if (!group) groups.set(contig, (group = []));
    group.push(fields);
  }
  if (!header) throw new Error(`${path}: empty file`);
  return { header, groups };
}

/** Runs the jobs on a small pool of workers, `threads` at a time; results in job order. */
async function runPool(jobs: ContigJob[], threads: number): Promise<ContigLines[]> {
  const results: ContigLines[] = new Array(jobs.length);
  let next = 0;
  const workerUrl = new URL('./naive-node-worker.js', import.meta.url);
  const runWorker = async (): Promise<void> => {
    const worker = new Worker(workerUrl);
    try {
      while (next < jobs.length) {
        const index = next++;
        const job = jobs[index] as ContigJob;
        results[index] = await new Promise<ContigLines>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.postMessage(job);
        });
        worker.removeAllListeners('error');
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.min(threads, jobs.length) }, runWorker));
  return results;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { threads: { type: 'string' } } });
  const path = positionals[0];
  if (!path) throw new Error('usage: naive-node MATRIX [--threads N]');
  const threads = values.threads ? Number(values.threads) : availableParallelism();

  const { header, groups } = await readMatrix(path);
  const pairs = findPairs(header.slice(3));
  const jobs: ContigJob[] = [...groups].map(([contig, rows]) => ({ contig, rows, pairs: pairs.map((pair) => pair.columns) }));
  groups.clear();
  const results = await runPool(jobs, threads);

  const out = createWriteStream('', { fd: 1 });
  const write = (text: string): Promise<void> => new Promise((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
  await write(['contig', 'pos', 'ref', 'alt', ...pairs.flatMap((pair) => [`${pair.name}_PI`, `${pair.name}_PG_al`])].join('\t') + '\n');
  for (const { lines } of results) if (lines.length > 0) await write(lines.join('\n') + '\n');
  await new Promise<void>((resolve) => out.end(resolve));
}

main().catch((error: unknown) => {
  process.stderr.write(`naive-node: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
