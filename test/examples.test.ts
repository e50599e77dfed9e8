// The analyst examples in examples/, run as scripts on a generated matrix, against the same
// statistics computed here straight from the text lines (matrix-text.ts), with no genomatrix code.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generate, root, scratchDir } from './helpers.js';
import { readMatrixText, type TextMatrix } from './matrix-text.js';

const called = (allele: string): boolean => allele !== 'N' && allele !== '-';

function runExample(name: string, args: string[]): string {
  const run = spawnSync(process.execPath, [join(root, 'dist', 'examples', name, 'main.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

function parseTsv(output: string): string[][] {
  return output.trimEnd().split('\n').map((line) => line.split('\t'));
}

/** Complete sites (REF and every cell called) by derived (non-REF) allele count, per contig. */
function spectrum(matrix: TextMatrix, folded: boolean): Map<string, number[]> {
  const h = matrix.samples.length;
  const bins = folded ? Math.floor(h / 2) + 1 : h + 1;
  const result = new Map<string, number[]>();
  for (const contig of matrix.contigs) {
    const counts = new Array<number>(bins).fill(0);
    for (const site of contig.sites) {
      if (!called(site.ref) || !site.cells.every(called)) continue;
      const derived = site.cells.filter((cell) => cell !== site.ref).length;
      const bin = folded ? Math.min(derived, h - derived) : derived;
      counts[bin] = (counts[bin] ?? 0) + 1;
    }
    result.set(contig.name, counts);
  }
  return result;
}

/** Mean over sites with >= 2 calls of n/(n-1) * (1 - sum p_i^2), per window of `size` bp. */
function diversity(matrix: TextMatrix, size: number): string[][] {
  const lines: string[][] = [];
  for (const contig of matrix.contigs) {
    const windows = new Map<number, number[]>();
    for (const site of contig.sites) {
      const calls = site.cells.filter(called);
      const n = calls.length;
      if (n < 2) continue;
      const frequencies = new Map<string, number>();
      for (const allele of calls) frequencies.set(allele, (frequencies.get(allele) ?? 0) + 1);
      const homozygosity = [...frequencies.values()].reduce((sum, count) => sum + (count / n) ** 2, 0);
      const w = Math.floor((site.pos - 1) / size);
      windows.set(w, [...(windows.get(w) ?? []), (n / (n - 1)) * (1 - homozygosity)]);
    }
    for (const [w, values] of [...windows].sort(([a], [b]) => a - b)) {
      const pi = values.reduce((sum, value) => sum + value, 0) / values.length;
      lines.push([contig.name, String(w * size + 1), String((w + 1) * size), String(values.length), String(pi)]);
    }
  }
  return lines;
}

describe('examples/', () => {
  const scratch = scratchDir();
  const path = join(scratch.dir, 'matrix.tsv.gz');
  let matrix: TextMatrix;
  before(() => {
    // Split contigs: each contig's rows come in two runs, so grouping is exercised too.
    generate(path, ['--contigs', '3', '--sites', '4000', '--haplotypes', '9', '--seed', '7', '--snp-rate', '0.5', '--split-contigs', '--gzip']);
    matrix = readMatrixText(path);
  });
  after(scratch.cleanup);

  for (const folded of [false, true]) {
    it(`allele-frequency-spectrum${folded ? ' --folded' : ''} counts complete sites by derived allele count`, () => {
      const expected = spectrum(matrix, folded);
      const lines = parseTsv(runExample('allele-frequency-spectrum', [path, '--chunk-rows', '700', '--threads', '2', ...(folded ? ['--folded'] : [])]));
      assert.deepEqual(lines[0], ['contig', 'derived', 'sites']);
      const rows = [...expected].flatMap(([contig, counts]) => counts.map((count, k) => [contig, String(k), String(count)]));
      const total = (k: number) => [...expected.values()].reduce((sum, counts) => sum + (counts[k] ?? 0), 0);
      const bins = expected.values().next().value?.length ?? 0;
      rows.push(...Array.from({ length: bins }, (_, k) => ['all', String(k), String(total(k))]));
      assert.deepEqual(lines.slice(1), rows);
      assert.ok(total(1) > 0 && total(0) > 0, 'the matrix has both monomorphic and variable complete sites');
    });
  }

  it('nucleotide-diversity gives pi per 10 kb window', () => {
    const lines = parseTsv(runExample('nucleotide-diversity', [path, '--threads', '2']));
    assert.deepEqual(lines[0], ['contig', 'start', 'end', 'sites', 'pi']);
    const expected = diversity(matrix, 10_000);
    assert.ok(expected.length > 3, 'several windows');
    assert.equal(lines.length - 1, expected.length);
    expected.forEach((row, i) => {
      const line = lines[i + 1] ?? [];
      assert.deepEqual(line.slice(0, 4), row.slice(0, 4));
      assert.ok(Math.abs(Number(line[4]) - Number(row[4])) < 1e-12, `${line.join(' ')} vs ${row.join(' ')}`);
    });
  });

  it('nucleotide-diversity takes --window', () => {
    const lines = parseTsv(runExample('nucleotide-diversity', [path, '--window', '2500']));
    assert.deepEqual(lines.slice(1).map((line) => line.slice(0, 4)), diversity(matrix, 2500).map((row) => row.slice(0, 4)));
  });
});
