// genomatrix stats: exact counts of the stored fixture worked out by hand (test/fixtures/README.md,
// "Statistics"), and a seeded generated matrix against a plain computation over its text lines.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadMatrix, stats, statsTable, type SiteStats } from 'genomatrix';
import { statsOutputChunks } from '../src/convert/stats-table.js';
import { jsonChunks } from '../src/write/json-chunks.js';
import { fixture, generate, runCli, scratchDir } from './helpers.js';

/** The counts of a SiteStats, rates left out (they follow from the counts). */
function counts(site: SiteStats) {
  return {
    sites: site.sites,
    variable: site.variableSites,
    dropped: site.droppedSites,
    multiallelic: site.multiallelicSites,
    missing: Object.fromEntries(site.haplotypes.map((h) => [h.haplotype, h.missing])),
    deletions: Object.fromEntries(site.haplotypes.map((h) => [h.haplotype, h.deletions])),
    alleles: Object.fromEntries(site.alleles.filter((a) => a.cells > 0).map((a) => [a.allele, a.cells])),
    pairs: Object.fromEntries(site.pairs.map((p) => [p.pair, [p.calledSites, p.hetSites]])),
  };
}

// Haplotype columns in file order: 3b 3a 10a 10b 8a 8b out; pairs [called, het].
const HAND = {
  chr1: {
    sites: 11, variable: 7, dropped: 4, multiallelic: 2,
    missing: { '3b': 2, '3a': 1, '10a': 1, '10b': 1, '8a': 1, '8b': 1, out: 3 },
    deletions: { '3b': 0, '3a': 1, '10a': 0, '10b': 2, '8a': 0, '8b': 0, out: 0 },
    alleles: { A: 16, C: 13, G: 22, T: 12, N: 10, '-': 3, '*': 1 },
    pairs: { '10a10b': [8, 2], '3a3b': [8, 2], '8a8b': [10, 1] },
  },
  chr2: {
    sites: 5, variable: 4, dropped: 1, multiallelic: 1,
    missing: { '3b': 1, '3a': 2, '10a': 2, '10b': 1, '8a': 1, '8b': 1, out: 0 },
    deletions: { '3b': 1, '3a': 0, '10a': 0, '10b': 0, '8a': 1, '8b': 0, out: 0 },
    alleles: { C: 6, G: 8, T: 9, N: 8, '-': 2, AT: 1, R: 1 },
    pairs: { '10a10b': [3, 1], '3a3b': [2, 0], '8a8b': [3, 1] },
  },
  chr3: {
    sites: 2, variable: 2, dropped: 0, multiallelic: 0,
    missing: { '3b': 1, '3a': 1, '10a': 0, '10b': 1, '8a': 1, '8b': 1, out: 1 },
    deletions: { '3b': 0, '3a': 0, '10a': 0, '10b': 0, '8a': 0, '8b': 0, out: 0 },
    alleles: { A: 1, T: 6, N: 6, TA: 1 },
    pairs: { '10a10b': [1, 0], '3a3b': [1, 1], '8a8b': [1, 0] },
  },
  genome: {
    sites: 18, variable: 13, dropped: 5, multiallelic: 3,
    missing: { '3b': 4, '3a': 4, '10a': 3, '10b': 3, '8a': 3, '8b': 3, out: 4 },
    deletions: { '3b': 1, '3a': 1, '10a': 0, '10b': 2, '8a': 1, '8b': 0, out: 0 },
    alleles: { A: 17, C: 19, G: 30, T: 27, N: 24, '-': 5, '*': 1, AT: 1, R: 1, TA: 1 },
    pairs: { '10a10b': [12, 3], '3a3b': [11, 3], '8a8b': [14, 2] },
  },
};

describe('stats() on the fixture', () => {
  it('gives the counts worked out by hand, per contig and for the genome', async () => {
    const matrix = await loadMatrix(fixture('small.tsv'), { threads: 2 });
    try {
      for (const chunkRows of [1, 3, 65536]) {
        const result = await stats(matrix, { chunkRows });
        assert.deepEqual(result.contigs.map((c) => c.contig), ['chr1', 'chr2', 'chr3']);
        for (const contig of result.contigs) assert.deepEqual(counts(contig), HAND[contig.contig as 'chr1'], `${contig.contig}, chunkRows ${chunkRows}`);
        assert.deepEqual(counts(result.genome), HAND.genome, `genome, chunkRows ${chunkRows}`);
        const pair = result.genome.pairs.find((p) => p.pair === '3a3b');
        assert.equal(pair?.hetRate, 3 / 11);
        assert.equal(result.genome.haplotypes.find((h) => h.haplotype === 'out')?.missingRate, 4 / 18);
      }
    } finally {
      await matrix.close();
    }
  });

  it('uses explicit --pairs', async () => {
    const matrix = await loadMatrix(fixture('small.tsv'), { threads: 1 });
    try {
      const result = await stats(matrix, { pairs: '8b:out' });
      // 8b/out over the genome: called where neither is N or -; het where they differ.
      // chr1: rows 1,2,5(G/A het),6(G/C het),12,13,14,15 called (3,4,16 have N in out) -> 8, 2 het
      // chr2: rows 7,8,9(N/G no: 8b N),10,11(C/T het) -> 7,8,10,11 called -> 4, 1 het
      // chr3: row 17 N, row 18 T/T -> 1, 0
      assert.deepEqual(result.genome.pairs, [{ pair: '8bout', calledSites: 13, hetSites: 3, hetRate: 3 / 13 }]);
    } finally {
      await matrix.close();
    }
  });
});

describe('stats output in pieces of bounded size', () => {
  it('writes the TSV table and JSON through the sink in pieces: the bytes of the whole strings', async () => {
    const matrix = await loadMatrix(fixture('small.tsv'), { threads: 1 });
    const scratch = scratchDir();
    try {
      const result = await stats(matrix);
      const whole = { tsv: statsTable(result), json: `${JSON.stringify(result, null, 2)}\n` };
      for (const format of ['tsv', 'json'] as const) {
        const output = join(scratch.dir, `stats.${format}`);
        await stats(matrix, { output, format });
        assert.equal(readFileSync(output, 'utf8'), whole[format], `${format} through the driver`);
        // Pieces of about 100 bytes: JSON's end once they hold 100, so each is at most 100 plus one
        // leaf; the table's hold whole contigs (a contig's lines are written together).
        const pieces = [...statsOutputChunks(result, format, 100)].map((piece) => Buffer.from(piece).toString('utf8'));
        assert.ok(pieces.length > (format === 'json' ? 20 : 3), `${format}: ${pieces.length} pieces`);
        if (format === 'json') for (const piece of pieces) assert.ok(piece.length < 100 + 60, `${format}: a piece of ${piece.length} characters`);
        else for (const piece of pieces) assert.ok(piece.endsWith('\n') && /^(contig|chr\d|\*)\t/.test(piece), `whole lines of whole contigs: ${piece.slice(0, 40)}`);
        assert.equal(pieces.join(''), whole[format]);
      }
    } finally {
      scratch.cleanup();
      await matrix.close();
    }
  });

  it("writes each contig's lines in contig order when a long contig's last range shares a task group with small contigs", async () => {
    // A contig of 3,000 rows in ranges of 1,024: its last range (952 rows) and the next two contigs
    // (17 and 5 rows) go to one worker as one group. The small contigs' lines come from the worker,
    // the long contig's from the main thread once its ranges are summed: they must still come first.
    const scratch = scratchDir();
    try {
      const text = [3000, 17, 5]
        .map((sites, i) => {
          const part = join(scratch.dir, `part${i}.tsv`);
          generate(part, ['--contigs', '1', '--sites', String(sites), '--seed', String(i + 3), '--haplotypes', '5']);
          const lines = readFileSync(part, 'utf8').replaceAll(/^chr1\t/gm, `ctg${i}\t`);
          return i === 0 ? lines : lines.slice(lines.indexOf('\n') + 1);
        })
        .join('');
      const matrix = await loadMatrix(scratch.file('m.tsv', text), { threads: 2 });
      try {
        const output = join(scratch.dir, 'stats.tsv');
        const result = await stats(matrix, { output, chunkRows: 1024 });
        const written = readFileSync(output, 'utf8');
        assert.deepEqual(result.contigs.map((contig) => [contig.contig, contig.sites]), [['ctg0', 3000], ['ctg1', 17], ['ctg2', 5]]);
        assert.deepEqual([...new Set(written.split('\n').slice(1, -1).map((line) => line.split('\t')[0]))], ['ctg0', 'ctg1', 'ctg2', '*']);
        assert.equal(written, statsTable(result));
        assert.equal(written, statsTable(await stats(matrix)), 'the same table in ranges of 65,536 rows');
      } finally {
        await matrix.close();
      }
    } finally {
      scratch.cleanup();
    }
  });

  it('jsonChunks writes what JSON.stringify(value, null, 2) writes, whatever the piece size', () => {
    const values: unknown[] = [
      { a: [], b: {}, c: null, d: undefined, e: [1, [2, []], { f: 'x"\n\u00e9' }], g: () => 1, h: [undefined, null], i: -0, j: 1e21, k: NaN },
      [],
      {},
      'text',
      3,
      null,
      [[[]], [{}], { deep: { deeper: [true, false] } }],
    ];
    for (const value of values) {
      for (const size of [1, 7, 1 << 20]) assert.equal([...jsonChunks(value, size)].join(''), JSON.stringify(value, null, 2), `${JSON.stringify(value)}, pieces of ${size}`);
    }
  });
});

describe('genomatrix stats (CLI)', () => {
  it('writes the TSV table: documented columns, genome lines last under *', () => {
    const run = runCli(['stats', fixture('small.tsv.gz')]);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'contig\tstatistic\titem\tcount\ttotal\trate');
    assert.ok(lines.includes('chr1\tsites\t.\t11\t.\t.'));
    assert.ok(lines.includes('chr2\tmultiallelic_sites\t.\t1\t5\t0.200000'));
    assert.ok(lines.includes('chr1\tmissing\tout\t3\t11\t0.272727'));
    assert.ok(lines.includes('*\tdeletions\t10b\t2\t18\t0.111111'));
    assert.ok(lines.includes('*\tallele_cells\tG\t30\t126\t0.238095'));
    assert.ok(lines.includes('*\tcalled_sites\t8a8b\t14\t18\t0.777778'));
    assert.ok(lines.includes('*\thet_sites\t3a3b\t3\t11\t0.272727'));
    assert.equal(lines.at(-1), '*\thet_sites\t8a8b\t2\t14\t0.142857');
    for (const line of lines) assert.equal(line.split('\t').length, 6, line);
  });

  it('writes --json, the library result', async () => {
    const run = runCli(['stats', fixture('small.tsv'), '--json']);
    assert.equal(run.status, 0, run.stderr);
    const matrix = await loadMatrix(fixture('small.tsv'), { threads: 1 });
    try {
      assert.deepEqual(JSON.parse(run.stdout), await stats(matrix));
    } finally {
      await matrix.close();
    }
  });
});

describe('stats on a generated matrix', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);

  /** Straightforward counts over the text lines, in the shape `counts()` gives. */
  function countLines(text: string) {
    const [header, ...rows] = text.trimEnd().split('\n');
    const names = (header as string).split('\t').slice(3);
    const pairs = names.filter((n) => n.endsWith('a') && names.includes(`${n.slice(0, -1)}b`)).map((n) => [n, `${n.slice(0, -1)}b`]);
    pairs.sort((p, q) => (p.join('') < q.join('') ? -1 : 1));
    const fresh = () => ({
      sites: 0, variable: 0, dropped: 0, multiallelic: 0,
      missing: Object.fromEntries(names.map((n) => [n, 0])) as Record<string, number>,
      deletions: Object.fromEntries(names.map((n) => [n, 0])) as Record<string, number>,
      alleles: {} as Record<string, number>,
      pairs: Object.fromEntries(pairs.map((p) => [p.join(''), [0, 0]])) as Record<string, number[]>,
    });
    const scopes = new Map<string, ReturnType<typeof fresh>>();
    const genome = fresh();
    for (const row of rows) {
      const [contig, , ref, ...cells] = row.split('\t') as [string, string, string, ...string[]];
      if (!scopes.has(contig)) scopes.set(contig, fresh());
      for (const scope of [scopes.get(contig) as ReturnType<typeof fresh>, genome]) {
        scope.sites++;
        const alts = new Set(cells.filter((c) => c !== 'N' && c !== ref));
        if (alts.size > 0) scope.variable++;
        else scope.dropped++;
        if (alts.size > 1) scope.multiallelic++;
        cells.forEach((c, i) => {
          const name = names[i] as string;
          if (c === 'N') scope.missing[name]!++;
          if (c === '-') scope.deletions[name]!++;
          scope.alleles[c] = (scope.alleles[c] ?? 0) + 1;
        });
        for (const [a, b] of pairs) {
          const x = cells[names.indexOf(a as string)] as string;
          const y = cells[names.indexOf(b as string)] as string;
          if ([x, y].some((c) => c === 'N' || c === '-')) continue;
          const tally = scope.pairs[(a as string) + b] as number[];
          tally[0]!++;
          if (x !== y) tally[1]!++;
        }
      }
    }
    return { scopes, genome };
  }

  it('matches the plain count, with 1 and 3 threads', async () => {
    const path = join(scratch.dir, 'generated.tsv');
    generate(path, ['--contigs', '3', '--sites', '3000', '--haplotypes', '9', '--seed', '5', '--split-contigs', '--missing-rate', '0.1', '--deletion-rate', '0.05']);
    const expected = countLines(readFileSync(path, 'utf8'));
    assert.ok(expected.genome.multiallelic > 10 && expected.genome.deletions['1a']! > 10, 'the case has multi-allelic sites and deletions');
    const outputs: string[] = [];
    for (const threads of [1, 3]) {
      const matrix = await loadMatrix(path, { threads, chunkBytes: 8192 });
      try {
        const result = await stats(matrix, { chunkRows: 500 });
        assert.deepEqual(result.contigs.map((c) => c.contig), [...expected.scopes.keys()]);
        for (const contig of result.contigs) assert.deepEqual(counts(contig), expected.scopes.get(contig.contig), contig.contig);
        assert.deepEqual(counts(result.genome), expected.genome);
      } finally {
        await matrix.close();
      }
      const run = runCli(['stats', path, '--threads', String(threads)]);
      assert.equal(run.status, 0, run.stderr);
      outputs.push(run.stdout);
    }
    assert.equal(outputs[0], outputs[1], 'the TSV is the same with 1 and 3 threads');
  });

  it('many small contigs, alleles past the first seven: the plain count, and the table the workers write is that of the kept counts', async () => {
    // 300 contigs of 1 to 9 sites: the CLI's table of them is written by joined groups (one sum of
    // counts per group), the library's counts are kept per contig. Some cells are two-base alleles
    // (codes past 6, without a mask bit of their own: their rows take the alt rule cell by cell).
    const path = join(scratch.dir, 'small-contigs.tsv');
    generate(path, ['--contigs', '300', '--sites', '9', '--haplotypes', '9', '--seed', '8', '--missing-rate', '0.1', '--deletion-rate', '0.05']);
    const [header, ...rows] = readFileSync(path, 'utf8').trimEnd().split('\n');
    const kept = new Map<string, number>();
    const ragged = rows.filter((line) => {
      const contig = line.slice(0, line.indexOf('\t'));
      const sites = kept.get(contig) ?? 0;
      kept.set(contig, sites + 1);
      return sites < 1 + ((kept.size - 1) % 9);
    });
    const text = [header, ...ragged.map((line, i) => {
      const cells = line.split('\t');
      if (i % 5 === 0) cells[4] = 'AT';
      if (i % 7 === 0) cells[9] = 'GC';
      // Every 11th row's only alts: two more two-base alleles, past AT and GC (codes 6 and 7): one
      // mask bit for both, and the site multi-allelic all the same.
      if (i % 11 === 3) for (let c = 3; c < cells.length; c++) cells[c] = c % 2 === 0 ? 'TA' : 'CA';
      return cells.join('\t');
    })].join('\n') + '\n';
    const matrixPath = scratch.file('small-contigs-rare.tsv', text);
    const expected = countLines(text);
    assert.ok(expected.genome.multiallelic > 100 && (expected.genome.alleles['AT'] ?? 0) > 100, 'multi-allelic sites and two-base alleles');
    const matrix = await loadMatrix(matrixPath, { threads: 2 });
    try {
      const result = await stats(matrix);
      assert.equal(result.contigs.length, 300);
      for (const contig of result.contigs) assert.deepEqual(counts(contig), expected.scopes.get(contig.contig), contig.contig);
      assert.deepEqual(counts(result.genome), expected.genome);
      const output = join(scratch.dir, 'small-contigs.stats.tsv');
      const run = runCli(['stats', matrixPath, '--threads', '2', '-o', output]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(readFileSync(output, 'utf8'), statsTable(result));
    } finally {
      await matrix.close();
    }
  });
});
