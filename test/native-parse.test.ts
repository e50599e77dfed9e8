// The binding's loop for a text matrix's common lines (native/binding.c `parseLines`) and the
// parse's own loop (worker/parse-chunk.ts) fill the same columns and stop at the same problems:
// each matrix here is read both ways (GENOMATRIX_NATIVE_PARSE=0 turns the binding's loop off) and
// the packed files, or the errors, must be the same. The files span several read blocks and
// chunks, with long contig runs and with thousands of small ones (the binding's loop starts a run
// of a printable ASCII name itself, at most 1,024 in one call, and leaves any other name to the
// parse's loop).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { binding } from '../src/native.js';
import { runCli, scratchDir, seededRandom } from './helpers.js';

const HAPLOTYPES = 8;
const BASES = ['A', 'C', 'G', 'T', 'A', 'C', 'G', 'T', 'N', '-'];

/** What a line may carry besides one-byte cells, and at which of a contig's rows. */
interface Oddity {
  row: number;
  kind: 'multibyte' | 'crlf' | 'newAllele' | 'unsorted' | 'shortLine' | 'longLine' | 'badPos' | 'zeroPos';
}

/** A matrix of `contigs` (name, rows), with `oddities` in the contig of that index. */
function matrixText(seed: number, contigs: [string, number][], oddities: Map<number, Oddity[]> = new Map()): string {
  const random = seededRandom(seed);
  const lines = [['CHROM', 'POS', 'REF', ...Array.from({ length: HAPLOTYPES }, (_, h) => `${1 + (h >> 1)}${h & 1 ? 'b' : 'a'}`)].join('\t')];
  contigs.forEach(([name, rows], c) => {
    const odd = new Map((oddities.get(c) ?? []).map((oddity) => [oddity.row, oddity.kind]));
    let pos = 0;
    for (let r = 0; r < rows; r++) {
      pos += 1 + Math.floor(random() * 5);
      const kind = odd.get(r);
      const cells = Array.from({ length: HAPLOTYPES + 1 }, () => BASES[Math.floor(random() * BASES.length)] as string);
      if (cells[0] === '-' || cells[0] === 'N') cells[0] = 'A';
      let posText = String(pos);
      let end = '\n';
      if (kind === 'multibyte') cells[1 + Math.floor(random() * HAPLOTYPES)] = 'ATG';
      if (kind === 'crlf') end = '\r\n';
      if (kind === 'newAllele') cells[2] = 'R';
      if (kind === 'unsorted') posText = String(pos - 50);
      if (kind === 'shortLine') cells.pop();
      if (kind === 'longLine') cells.push('A');
      if (kind === 'badPos') posText = `${pos}x`;
      if (kind === 'zeroPos') posText = '0';
      lines.push(`${name}\t${posText}\t${cells.join('\t')}${end}`.replace(/\n$/, ''));
    }
  });
  return `${lines.join('\n')}\n`;
}

describe('the binding\'s parse of common lines', { skip: binding ? false : 'the native binding is not built' }, () => {
  let scratch: ReturnType<typeof scratchDir>;
  before(() => (scratch = scratchDir()));
  after(() => scratch.cleanup());

  /** `args` run with the binding's loop and without it: status, stderr and the packed file must be the same. */
  function bothWays(name: string, text: string, extra: string[] = []): { status: number | null; stderr: string } {
    const input = scratch.file(`${name}.tsv`, text);
    const results = ['1', '0'].map((native) => {
      const output = `${scratch.dir}/${name}-${native}.arrow`;
      const run = runCli(['pack', input, '-o', output, '-q', '--threads', '2', ...extra], { env: { GENOMATRIX_NATIVE_PARSE: native } });
      return { status: run.status, stderr: run.stderr, bytes: run.status === 0 ? readFileSync(output) : undefined };
    });
    const [withBinding, without] = results as [(typeof results)[number], (typeof results)[number]];
    assert.equal(withBinding.stderr, without.stderr, `${name}: the same messages`);
    assert.equal(withBinding.status, without.status, `${name}: the same exit status`);
    if (without.bytes) assert.ok((withBinding.bytes as Buffer).equals(without.bytes), `${name}: the same packed file`);
    return withBinding;
  }

  it('fills the same columns over long runs and many read blocks, with odd lines among the common ones', () => {
    // About 200,000 lines (6 MB): several 2 MiB read blocks, and chunks for two threads.
    const contigs: [string, number][] = [['chr1', 90_000], ['chr2', 300], ['scaffold_3', 100], ['chr4', 110_000]];
    const oddities = new Map<number, Oddity[]>([
      [0, [{ row: 255, kind: 'multibyte' }, { row: 256, kind: 'multibyte' }, { row: 1000, kind: 'crlf' }, { row: 1001, kind: 'multibyte' }, { row: 40_000, kind: 'newAllele' }, { row: 40_001, kind: 'crlf' }, { row: 89_999, kind: 'crlf' }]],
      [3, [{ row: 300, kind: 'crlf' }, { row: 70_000, kind: 'multibyte' }]],
    ]);
    const run = bothWays('odd', matrixText(1, contigs, oddities));
    assert.equal(run.status, 0, run.stderr);
  });

  it('accepts decreasing POS with --allow-unsorted, in the same rows', () => {
    const contigs: [string, number][] = [['chr1', 5000]];
    const run = bothWays('unsorted-allowed', matrixText(2, contigs, new Map([[0, [{ row: 3000, kind: 'unsorted' }]]])), ['--allow-unsorted']);
    assert.equal(run.status, 0, run.stderr);
  });

  /** `count` small contigs of 1 to 7 rows, named `ctg_<index>` but for those `names` gives by index. */
  function smallContigs(count: number, names: Map<number, string> = new Map()): [string, number][] {
    const random = seededRandom(count);
    return Array.from({ length: count }, (_, i) => [names.get(i) ?? `ctg_${i}`, 1 + Math.floor(random() * 7)]);
  }

  /** Names the binding's loop takes (space, punctuation, 1,024 bytes) and leaves (UTF-8), and a contig met again later (`ctg_1`). */
  const ODD_NAMES = new Map<number, string>([
    [5, 'contig with spaces'],
    [6, 'Ctg|7:+.~'],
    [7, 'x'.repeat(1024)],
    [1500, 'contig_é'],
    [1501, 'ctg_1'],
    [1502, 'chr_Ω_2'],
  ]);

  it('fills the same columns over thousands of small contigs, odd names and odd first lines among them', () => {
    // More runs than the binding's loop starts in one call, in several read blocks.
    const oddities = new Map<number, Oddity[]>([
      [0, [{ row: 0, kind: 'multibyte' }]],
      [10, [{ row: 0, kind: 'crlf' }]],
      [11, [{ row: 0, kind: 'newAllele' }]],
      [12, [{ row: 0, kind: 'multibyte' }]],
      [1200, [{ row: 0, kind: 'multibyte' }]],
      [1201, [{ row: 0, kind: 'crlf' }]],
    ]);
    const run = bothWays('small', matrixText(4, smallContigs(60_000, ODD_NAMES), oddities));
    assert.equal(run.status, 0, run.stderr);
  });

  it('fills the same columns when only some small contigs are kept (--contigs)', () => {
    const run = bothWays('small-kept', matrixText(5, smallContigs(3000, ODD_NAMES)), ['--contigs', 'ctg_1,contig with spaces,contig_é,ctg_2999']);
    assert.equal(run.status, 0, run.stderr);
  });

  for (const kind of ['shortLine', 'longLine', 'badPos', 'zeroPos'] as const) {
    it(`stops at the same line with the same message: ${kind}, at the first line of a small contig`, () => {
      const run = bothWays(`small-${kind}`, matrixText(6, smallContigs(5000), new Map([[4000, [{ row: 0, kind }]]])));
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /\.tsv:\d+:/, 'names the line');
    });
  }

  for (const [label, name] of [['an empty CHROM', ''], ['a control byte in CHROM', 'ctg\u0001x'], ['a CHROM of 1,025 bytes', 'y'.repeat(1025)]] as const) {
    it(`stops at the same line with the same message: ${label}, among small contigs`, () => {
      const run = bothWays(`small-name-${label.length}`, matrixText(7, smallContigs(5000, new Map([[3000, name]]))));
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /\.tsv:\d+:/, 'names the line');
    });
  }

  for (const kind of ['unsorted', 'shortLine', 'longLine', 'badPos', 'zeroPos'] as const) {
    it(`stops at the same line with the same message: ${kind}, deep inside a long run`, () => {
      const contigs: [string, number][] = [['chr1', 4000], ['chr2', 60_000]];
      const run = bothWays(kind, matrixText(3, contigs, new Map([[1, [{ row: 50_000, kind }]]])));
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /\.tsv:54002:/, 'names the line: the header, 4,000 rows of chr1, then row 50,000 of chr2');
    });
  }
});
