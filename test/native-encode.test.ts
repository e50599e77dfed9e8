// The binding's haplotype lines (native/binding.c `haplotypeLines`) and the kernel's own loop
// (worker/haplotype-chunk.ts) write the same bytes, as do the binding's statistics of small
// contigs (`statsLines`) and the statistics kernel's loops (worker/stats-chunk.ts): each matrix
// here is converted both ways (GENOMATRIX_NATIVE_ENCODE=0 turns the binding's loops off) and the
// outputs compared byte for byte.
// The matrices hold what the binding's loop must get right: rows with one alt, with several (in
// order of first appearance) and with none; N and - among the cells (shown as REF) and as REF;
// one-byte alleles rarer than the six common ones (the alt rule's scan); a contig of many row
// blocks; thousands of small contigs whose names change length, some of several bytes a character
// (one call for a span of them);
// pairs chosen and reordered by --pairs and -s; plain and BGZF output, one and two threads, the
// low-memory mode. The hand-worked fixtures (haplotype-fixtures.test.ts) check the lines
// themselves, with the binding's loop on.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { binding } from '../src/native.js';
import { runCli, scratchDir, seededRandom } from './helpers.js';

const HAPLOTYPES = 10;
/** Cells, weighted: mostly the common bases, some N and -, and one-byte alleles rarer than those. */
const CELLS = ['A', 'A', 'A', 'C', 'G', 'T', 'T', 'N', '-', 'R', 'Y', 'K'];

/** A matrix of `contigs` (name, rows): some rows all REF, some with one alt, most with several. */
function matrixText(seed: number, contigs: readonly [string, number][]): string {
  const random = seededRandom(seed);
  const header = ['CHROM', 'POS', 'REF', ...Array.from({ length: HAPLOTYPES }, (_, h) => `s${1 + (h >> 1)}${h & 1 ? 'b' : 'a'}`)];
  const lines = [header.join('\t')];
  for (const [name, rows] of contigs) {
    let pos = 0;
    for (let r = 0; r < rows; r++) {
      pos += 1 + Math.floor(random() * 9);
      const ref = ['A', 'C', 'G', 'T', 'N'][Math.floor(random() * 5)] as string;
      const kind = random();
      // A quarter of the rows REF (or N) throughout, a quarter one alt (some a rare one), the rest anything.
      const cells = Array.from({ length: HAPLOTYPES }, () => {
        if (kind < 0.25) return random() < 0.1 ? 'N' : ref;
        if (kind < 0.4) return random() < 0.5 ? ref : 'G';
        if (kind < 0.5) return random() < 0.5 ? ref : 'Y';
        return CELLS[Math.floor(random() * CELLS.length)] as string;
      });
      lines.push(`${name}\t${pos}\t${ref}\t${cells.join('\t')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

describe("the binding's haplotype lines and statistics", { skip: binding?.haplotypeLines && binding.statsLines ? false : 'the native binding is not built' }, () => {
  let scratch: ReturnType<typeof scratchDir>;
  before(() => (scratch = scratchDir()));
  after(() => scratch.cleanup());

  /** `command` (default `haplotype`) of `input` with `args`, with the binding's loop and without it: the same status, messages and bytes. */
  function bothWays(name: string, input: string, args: string[] = [], output = `${name}.tsv`, command = 'haplotype'): Buffer {
    const [withBinding, without] = ['1', '0'].map((native) => {
      const path = `${scratch.dir}/${native}-${output}`;
      const run = runCli([command, input, '-o', path, '-q', ...args], { env: { GENOMATRIX_NATIVE_ENCODE: native } });
      assert.equal(run.status, 0, `${name}: ${run.stderr}`);
      return readFileSync(path);
    }) as [Buffer, Buffer];
    assert.ok(withBinding.equals(without), `${name}: the same bytes both ways`);
    return withBinding;
  }

  it('one contig of many row blocks, and a few small ones: plain and BGZF, one and two threads, streamed', () => {
    const input = scratch.file('long.tsv', matrixText(1, [['chr1', 5000], ['chr2', 3], ['scaffold_30', 1], ['c4', 2100]]));
    const lines = bothWays('long', input).toString().split('\n');
    // Every kind of row is there: some dropped (no alt), some with one alt, some with several.
    assert.ok(lines.length > 4000 && lines.length < 8000, `${lines.length} lines of 7,104 rows`);
    assert.ok(lines.some((line) => /^chr1\t\d+\t[ACGTN]\t[A-Z-],[A-Z-],[A-Z-]\t/.test(line)), 'rows of three alts and more');
    assert.ok(lines.some((line) => /^chr1\t\d+\t[ACGTN]\t[RYK]\t/.test(line)), 'a rare allele as the only alt');
    bothWays('long-one-thread', input, ['--threads', '1']);
    bothWays('long-bgzf', input, ['--threads', '2'], 'long.tsv.gz');
    bothWays('long-low-memory', input, ['--low-memory']);
  });

  it('thousands of small contigs whose names change length, some not ASCII, and contigs longer than a span', () => {
    const random = seededRandom(2);
    // Some names of several bytes a character (a span's names go to the binding as UTF-8 bytes).
    const name = (i: number): string => (i % 7 === 0 ? `scaffold_${i}_x` : i % 11 === 0 ? `ctg_é_染_${i}` : `c${i}`);
    const contigs: [string, number][] = Array.from({ length: 4000 }, (_, i) => [name(i), 1 + Math.floor(random() * 6)]);
    contigs.splice(1000, 0, ['big_a', 3000]);
    contigs.push(['big_b', 1500]);
    const input = scratch.file('small.tsv', matrixText(3, contigs));
    bothWays('small', input);
    bothWays('small-one-thread', input, ['--threads', '1']);
  });

  it('pairs chosen and reordered (--pairs, -s), and the regions of a selection', () => {
    const input = scratch.file('pairs.tsv', matrixText(4, [['chr1', 3000], ['chr2', 500]]));
    const reordered = bothWays('pairs', input, ['--pairs', 's3b:s1a,s5a:s5b,s2a:s4b']).toString();
    assert.match(reordered.slice(0, reordered.indexOf('\n')), /^contig\tpos\tref\talt\ts1as3b_PI\ts1as3b_PG_al\ts5as5b_PI\ts5as5b_PG_al\ts2as4b_PI\t/, 'the pairs given, in their order');
    bothWays('samples', input, ['-s', 's4as4b,s2as2b']);
    bothWays('regions', input, ['-r', 'chr1:100-9000,chr2']);
  });

  it("statistics of thousands of small contigs (the binding's) among larger ones (the kernel's own), each rate as JavaScript rounds it", () => {
    const random = seededRandom(5);
    const name = (i: number): string => (i % 7 === 0 ? `scaffold_${i}_x` : i % 11 === 0 ? `ctg_é_染_${i}` : `c${i}`);
    // 1 to 6 sites, then 1 to 400 (many counts and totals), a contig past a span's rows, and one of 128 sites.
    const contigs: [string, number][] = Array.from({ length: 3000 }, (_, i) => [name(i), 1 + Math.floor(random() * 6)]);
    for (let i = 0; i < 300; i++) contigs.push([`mid${i}`, 1 + Math.floor(random() * 400)]);
    contigs.splice(1500, 0, ['big', 70000]);
    const tie = Array.from({ length: 128 }, (_, r) => `tie\t${r + 1}\tA\t${r === 5 ? 'N' : 'A'}${'\tA'.repeat(HAPLOTYPES - 1)}`);
    const input = scratch.file('stats.tsv', `${matrixText(6, contigs).trimEnd()}\n${tie.join('\n')}\n`);
    const table = bothWays('stats', input, [], 'stats.tsv', 'stats').toString();
    // One N in 128 sites: 1/128 = 0.0078125 exactly, a tie that JavaScript's toFixed rounds up (C's %.6f would round it to even, 0.007812).
    assert.match(table, /\ntie\tmissing\ts1a\t1\t128\t0\.007813\n/, 'a tie rounded up');
    assert.match(table, /\ntie\tvariable_sites\t\.\t0\t128\t0\.000000\n/, 'no alt: no variable site');
    assert.match(table, /\nctg_é_染_11\tsites\t\.\t\d\t\.\t\.\n/, 'a name of several bytes a character');
    assert.equal(table.split('\n').filter((line) => line.includes('\tsites\t')).length, 3000 + 300 + 2 + 1, 'every contig and the genome');
    bothWays('stats-one-thread', input, ['--threads', '1'], 'stats-one-thread.tsv', 'stats');
    bothWays('stats-pairs', input, ['--pairs', 's3b:s1a,s5a:s5b'], 'stats-pairs.tsv', 'stats');
    bothWays('stats-samples', input, ['-s', '^s2as2b'], 'stats-samples.tsv', 'stats');
  });
});
