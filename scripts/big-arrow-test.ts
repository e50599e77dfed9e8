// The >4 GiB check, kept out of `npm test` (it writes ~10 GB and runs for minutes):
//
//   npm run test:big [-- --dir DIR] [--keep]
//
// Builds a packed matrix larger than one typed array can address (4 GiB) without a 9 GB text:
// a seed-shaped text matrix (4 contigs x 1,000,000 sites x 31 haplotypes) is loaded once, and
// `pack` writes its contigs over and over under new names (chr1_copy0, chr2_copy0, ...,
// chr1_copy1, ...) straight from the same shared columns. Then it opens that file, checks the
// columns were spread over several SharedArrayBuffers (one per record batch) none larger than
// 4 GiB, runs `haplotype` over it, and checks the output against the small matrix's output with
// the contigs renamed (same SHA-256). Exit 0 when everything holds.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReadStream } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { haplotype, loadMatrix, Matrix, pack, type MatrixLayout } from 'genomatrix';
import { MAX_BUFFER_BYTES } from '../src/read/load-arrow.js';

const args = process.argv.slice(2);
const dirArg = args.indexOf('--dir');
const parent = dirArg >= 0 ? (args[dirArg + 1] as string) : tmpdir();
const dir = mkdtempSync(join(parent, 'genomatrix-big-'));
const keep = args.includes('--keep');
const TARGET_BYTES = 2 ** 32 + 256 * 2 ** 20; // 4.25 GiB
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const log = (message: string) => console.log(`[big-arrow] ${message}`);

function check(ok: boolean, what: string): void {
  if (!ok) {
    console.error(`[big-arrow] FAILED: ${what}`);
    process.exit(1);
  }
  log(`ok: ${what}`);
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 24 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

try {
  let t = performance.now();
  const text = join(dir, 'base.tsv');
  const generator = fileURLToPath(new URL('./generate-matrix.js', import.meta.url));
  const generated = spawnSync(process.execPath, [generator, '--out', text], { stdio: 'inherit' });
  if (generated.status !== 0) throw new Error('generator failed');
  log(`generated ${text} (${statSync(text).size} bytes) in ${seconds(t)} s`);

  const base = await loadMatrix(text);
  const baseOut = join(dir, 'base.haplotypes.tsv');
  await haplotype(base, { output: baseOut });
  const bytesPerCopy = base.sites * (4 + 4 + 1 + base.samples.length) + 64 * 64 * base.contigs.length;
  const copies = Math.ceil(TARGET_BYTES / bytesPerCopy);
  const names = (copy: number) => base.layout.contigs.map((name) => `${name}_copy${copy}`);
  const layout: MatrixLayout = {
    ...base.layout,
    contigs: Array.from({ length: copies }, (_, copy) => names(copy)).flat(),
    batches: Array.from({ length: copies }, (_, copy) => base.layout.batches.map((batch) => ({ ...batch, contig: copy * base.layout.contigs.length + batch.contig }))).flat(),
  };
  const repeated = new Matrix(text, layout, base.pool, undefined, { ...base.origin, sourceName: `base.tsv x ${copies}` });
  const packed = join(dir, 'big.arrow');
  t = performance.now();
  await pack(repeated, { output: packed });
  const size = statSync(packed).size;
  log(`packed ${copies} copies of ${base.contigs.length} contigs: ${packed}, ${size} bytes, in ${seconds(t)} s`);
  check(size > MAX_BUFFER_BYTES, `the packed file (${size} bytes) is larger than ${MAX_BUFFER_BYTES} bytes`);
  await base.close();

  t = performance.now();
  const big = await loadMatrix(packed);
  log(`opened ${packed} in ${seconds(t)} s: ${big.layout.buffers.length} SharedArrayBuffers, ${big.sites} sites, ${big.contigs.length} contigs`);
  check(big.layout.buffers.length === big.contigs.length, 'one SharedArrayBuffer per record batch');
  check(big.layout.buffers.every((buffer) => buffer.byteLength <= MAX_BUFFER_BYTES), 'no buffer larger than 4 GiB');
  const last = big.contigs[big.contigs.length - 1];
  check(last?.name === `${base.contigs[base.contigs.length - 1]?.name}_copy${copies - 1}`, `the last contig is ${last?.name}`);
  const pos = big.table.getChild('POS');
  check(pos?.get(big.sites - 1) === big.contigViews(big.contigs.length - 1).pos[(last?.sites ?? 0) - 1], 'the apache-arrow Table reads the last site');

  t = performance.now();
  const bigOut = join(dir, 'big.haplotypes.tsv');
  const summary = await haplotype(big, { output: bigOut });
  log(`haplotype over the packed file: ${summary.lines} lines, ${statSync(bigOut).size} bytes, in ${seconds(t)} s`);
  await big.close();

  // Expected: the small matrix's table, its contigs renamed copy by copy (column 1 and every _PI;
  // the generator's contig names never occur in the other fields: positions and alleles).
  const [header = '', ...lines] = readFileSync(baseOut, 'latin1').split('\n').slice(0, -1);
  const blocks = new Map<string, string[]>();
  for (const line of lines) {
    const contig = line.slice(0, line.indexOf('\t'));
    const block = blocks.get(contig) ?? [];
    block.push(line);
    blocks.set(contig, block);
  }
  const expected = createHash('sha256').update(`${header}\n`, 'latin1');
  const joined = [...blocks].map(([contig, block]) => [contig, `${block.join('\n')}\n`] as const);
  for (let copy = 0; copy < copies; copy++) {
    for (const [contig, block] of joined) expected.update(block.replaceAll(contig, `${contig}_copy${copy}`), 'latin1');
  }
  check((await sha256(bigOut)) === expected.digest('hex'), 'the haplotype output is the small matrix output repeated under the new contig names');
  log('all checks passed');
} finally {
  if (keep) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
