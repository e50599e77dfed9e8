// Deletions as anchored indels (docs/vcf.md), checked against expected files worked out by hand
// (test/fixtures/README.md, "VCF deletions") and by the real bcftools: `norm -c e -f ref.fa`
// realigns nothing, `stats` counts the indels, `consensus` rebuilds each haplotype from the VCF.
// ref.fa is the matrix's REF column (plus the bases of a POS gap and a tail the matrix lacks).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadMatrix, lowMemoryVcf, vcf } from 'genomatrix';
import { assertOneLine, fixture, root, runCli, scratchDir, withoutCommandLine } from './helpers.js';
import { repeatMatrix } from './repeat-matrix.js';

const has = (tool: string): boolean => spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0;
// CI installs bcftools and tabix (.ci/run): there these tests must run, never be skipped.
const skip = !process.env.CI && !(has('bcftools') && has('bgzip')) ? 'bcftools or bgzip is not installed (apt-get install bcftools tabix)' : false;

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const matrixPath = fixture('vcf-deletions.tsv');
/**
 * Bases of ref.fa the matrix has no row for: the POS gaps 5-9 of `gap`, 4-6 of `gapshift` and 4-5
 * of `gapcross`, three bases after `nrun`; POS 3 of `startgap` (vcf-overlaps.tsv); POS 2 and 4 of
 * `gapjoin` and POS 2 of `gaptrim` (vcf-joins.tsv).
 */
const GAP_BASES: Record<string, { at: number; bases: string }[]> = {
  gap: [{ at: 5, bases: 'TTGAG' }],
  gapshift: [{ at: 4, bases: 'CAT' }],
  gapcross: [{ at: 4, bases: 'TT' }],
  nrun: [{ at: 8, bases: 'ACG' }],
  startgap: [{ at: 3, bases: 'T' }],
  gapjoin: [{ at: 2, bases: 'G' }, { at: 4, bases: 'G' }],
  gaptrim: [{ at: 2, bases: 'C' }],
};

/** The matrix as text: contigs in order, each with its rows (POS, REF, cells by column). */
function readMatrix(path: string): { samples: string[]; contigs: Map<string, { pos: number; ref: string; cells: string[] }[]> } {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const contigs = new Map<string, { pos: number; ref: string; cells: string[] }[]>();
  for (const line of lines) {
    const [contig, pos, ref, ...cells] = line.split('\t') as [string, string, string, ...string[]];
    contigs.set(contig, [...(contigs.get(contig) ?? []), { pos: Number(pos), ref, cells }]);
  }
  return { samples: (header as string).split('\t').slice(3), contigs };
}

/** ref.fa from the REF column and GAP_BASES, one line per sequence, and its .fai computed alongside. */
function writeReference(dir: string, path: string): { fasta: string; sequences: Map<string, string> } {
  const { contigs } = readMatrix(path);
  const sequences = new Map<string, string>();
  for (const [name, rows] of contigs) {
    const bases: string[] = [];
    for (const row of rows) bases[row.pos - 1] = row.ref;
    for (const extra of GAP_BASES[name] ?? []) [...extra.bases].forEach((base, i) => (bases[extra.at - 1 + i] = base));
    assert.ok(bases.every((base) => base !== undefined), `${name}: every position has a base`);
    sequences.set(name, bases.join(''));
  }
  const fasta = join(dir, 'ref.fa');
  let text = '';
  let fai = '';
  for (const [name, sequence] of sequences) {
    text += `>${name}\n`;
    fai += `${name}\t${sequence.length}\t${text.length}\t${sequence.length}\t${sequence.length + 1}\n`;
    text += `${sequence}\n`;
  }
  writeFileSync(fasta, text);
  writeFileSync(`${fasta}.fai`, fai);
  return { fasta, sequences };
}

function tool(command: string, args: string[]): { stdout: string; stderr: string } {
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(run.status, 0, `${command} ${args.join(' ')}: ${run.stderr}`);
  return { stdout: run.stdout, stderr: run.stderr };
}

const records = (vcfText: string): string[] => vcfText.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
const expectedFile = (name: string, reference = ''): string =>
  readFileSync(fixture(name), 'utf8').replace(/^##source=genomatrix .*$/m, `##source=genomatrix ${version}`).replace('file://REFERENCE', `file://${reference}`);

/** `bcftools norm -c e -f`: passes, realigns nothing, and writes every record back unchanged. */
function assertNormalised(vcfPath: string, fasta: string): void {
  const { stdout, stderr } = tool('bcftools', ['norm', '-c', 'e', '-f', fasta, vcfPath]);
  const counts = /^Lines\s+total\/split\/realigned\/skipped:\s+(\d+)\/(\d+)\/(\d+)\/(\d+)$/m.exec(stderr);
  assert.ok(counts, `bcftools norm reports its counts: ${stderr}`);
  const written = records(readFileSync(vcfPath, 'utf8'));
  assert.deepEqual(counts.slice(1).map(Number), [written.length, 0, 0, 0], 'total, split, realigned, skipped');
  assert.deepEqual(records(stdout), written);
}

/**
 * `bcftools consensus -s SAMPLE -H N` of the VCF rebuilds each member's sequence: the FASTA with
 * the member's cells in place and its deleted bases removed (contigs where the member has an `N`
 * are left out: the VCF says missing there, consensus keeps REF).
 */
function assertConsensus(vcfPath: string, fasta: string, matrix: string, sequences: Map<string, string>, members: [string, string, string][]): void {
  const compressed = `${vcfPath}.gz`;
  writeFileSync(compressed, spawnSync('bgzip', ['-c', vcfPath]).stdout);
  tool('bcftools', ['index', '-f', compressed]);
  const { samples, contigs } = readMatrix(matrix);
  for (const [sample, haplotype, column] of members) {
    const c = samples.indexOf(column);
    const output = tool('bcftools', ['consensus', '-f', fasta, '-s', sample, '-H', haplotype, compressed]).stdout;
    const built = new Map(output.split('>').filter(Boolean).map((entry) => {
      const [name, ...lines] = entry.trim().split('\n');
      return [name as string, lines.join('')] as const;
    }));
    for (const [name, rows] of contigs) {
      if (rows.some((row) => row.cells[c] === 'N')) continue;
      const cellAt = new Map(rows.map((row) => [row.pos, row.cells[c] as string]));
      const expected = [...(sequences.get(name) as string)].map((base, i) => cellAt.get(i + 1) ?? base).filter((base) => base !== '-').join('');
      assert.equal(built.get(name), expected, `${sample} -H ${haplotype} (${column}), ${name}`);
    }
  }
}

describe('vcf deletions: the hand-checked cases', { skip }, () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  let fasta = '';
  let sequences = new Map<string, string>();
  const plain = join(scratch.dir, 'plain.vcf');
  const anchored = join(scratch.dir, 'anchored.vcf');
  let plainRun: ReturnType<typeof runCli>;
  let anchoredRun: ReturnType<typeof runCli>;

  before(() => {
    ({ fasta, sequences } = writeReference(scratch.dir, matrixPath));
    plainRun = runCli(['vcf', matrixPath, '-o', plain]);
    anchoredRun = runCli(['vcf', matrixPath, '--fasta-ref', fasta, '-o', anchored]);
  });

  it('without --fasta-ref: the expected records; the run after a POS gap in the star form, with one warning', () => {
    assert.equal(plainRun.status, 0, plainRun.stderr);
    assertOneLine(plainRun.stderr);
    assert.equal(
      plainRun.stderr,
      "genomatrix: warning: 3 deletion runs follow or move left into a position missing from the matrix: written as '*' alleles (the star form); give --fasta-ref for their anchor base\n",
    );
    assert.equal(withoutCommandLine(readFileSync(plain, 'utf8')), expectedFile('vcf-deletions.expected.vcf'));
  });

  it('with --fasta-ref: that run anchored on the FASTA base, ##reference, the lengths of the .fai, no warning', () => {
    assert.equal(anchoredRun.stderr, '');
    assert.equal(anchoredRun.status, 0);
    assert.equal(withoutCommandLine(readFileSync(anchored, 'utf8')), expectedFile('vcf-deletions.fasta.expected.vcf', fasta));
  });

  it('bcftools norm -c e -f ref.fa realigns nothing, with --fasta-ref and without it', () => {
    assertNormalised(anchored, fasta);
    // gapshift: without the FASTA, 2a's T of TT (8) would move into the gap 4-6: the star form.
    assertNormalised(plain, fasta);
  });

  it('bcftools stats counts the indels: 12 records with --fasta-ref, 9 without (the gap runs are * records)', () => {
    const count = (path: string, what: string): number => Number(new RegExp(`^SN\\t0\\tnumber of ${what}:\\t(\\d+)$`, 'm').exec(tool('bcftools', ['stats', path]).stdout)?.[1]);
    // lefttrim: `3 AAAC AC,A` (trimmed from `2 GAAAC GAC,GA`) and 1b's `4 AAC *,A`.
    assert.equal(count(anchored, 'indels'), 12);
    assert.equal(count(plain, 'indels'), 9);
    assert.equal(count(anchored, 'SNPs'), 7);
    // ninside:1 `ACG A,GNG`: 1b's G at 1 and its own bases over the deletion 2-3 of 1a, N among them.
    assert.equal(count(anchored, 'MNPs'), 1);
    // A deletion merged with a SNP (snp:2, `AC G`) or anchored on an N (nrun:3 `TCA N`, nshift:2 `CC N`): type "other".
    assert.equal(count(anchored, 'others'), 3);
  });

  it('bcftools consensus -H 1|2 rebuilds each haplotype: its column with the deleted bases removed', () => {
    // The one N in a deleted run (nrun, 1b) is unknown: the VCF says missing, consensus keeps REF.
    assertConsensus(anchored, fasta, matrixPath, sequences, [['1a1b', '1', '1a'], ['1a1b', '2', '1b'], ['2a2b', '1', '2a'], ['2a2b', '2', '2b'], ['out', '1', 'out']]);
  });

  it('--unpaired drop: no haploid sample; --fai: contig lengths and ##reference without the sequence', () => {
    const dropped = runCli(['vcf', matrixPath, '--unpaired', 'drop', '--fai', `${fasta}.fai`]);
    assert.equal(dropped.status, 0, dropped.stderr);
    const header = dropped.stdout.split('\n').find((line) => line.startsWith('#CHROM'));
    assert.equal(header, ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT', '1a1b', '2a2b'].join('\t'));
    assert.match(dropped.stdout, /^##contig=<ID=nrun,length=10>$/m);
    assert.match(dropped.stdout, new RegExp(`^##reference=file://${fasta.replace(/[.]/g, '\\.')}$`, 'm'));
    assert.deepEqual(records(dropped.stdout), records(readFileSync(plain, 'utf8')).map((line) => line.replace(/\t[^\t]*$/, '')));
  });
});

describe('vcf deletions: records over other events of their haplotypes, read by bcftools consensus', { skip }, () => {
  // test/fixtures/README.md, "VCF overlapping events": consensus applies a haplotype's records in
  // order and skips one that starts inside the last it applied, so an allele holds the haplotype's
  // own bases over its record's span, and the span reaches the end of its deletions inside it.
  const scratch = scratchDir();
  after(scratch.cleanup);
  const overlaps = fixture('vcf-overlaps.tsv');

  it('writes the expected records; bcftools norm realigns nothing; consensus rebuilds every haplotype; 1 to 4 rows per task give the same bytes', async () => {
    const { fasta, sequences } = writeReference(scratch.dir, overlaps);
    const matrix = await loadMatrix(overlaps, { threads: 1 });
    try {
      const out = join(scratch.dir, 'overlaps.vcf');
      await vcf(matrix, { output: out, fastaRef: fasta });
      const expected = expectedFile('vcf-overlaps.expected.vcf', fasta);
      assert.equal(readFileSync(out, 'utf8'), expected);
      assertNormalised(out, fasta);
      assertConsensus(out, fasta, overlaps, sequences, [['1a1b', '1', '1a'], ['1a1b', '2', '1b'], ['2a2b', '1', '2a'], ['2a2b', '2', '2b']]);
      for (const chunkRows of [1, 2, 3, 4]) {
        const small = join(scratch.dir, `overlaps-${chunkRows}.vcf`);
        await vcf(matrix, { output: small, chunkRows, fastaRef: fasta });
        assert.equal(readFileSync(small, 'utf8'), expected, `chunkRows ${chunkRows}`);
      }
      // Without the FASTA, the run at startgap's POS 1 has no base after it: the star form.
      const plain = join(scratch.dir, 'overlaps-plain.vcf');
      const summary = await vcf(matrix, { output: plain });
      assert.equal(summary.starRuns, 1);
      assert.deepEqual(records(readFileSync(plain, 'utf8')).filter((line) => line.startsWith('startgap')), ['startgap\t1\t.\tA\t*\t.\tPASS\t.\tGT\t1|0\t0|0', 'startgap\t2\t.\tC\t*\t.\tPASS\t.\tGT\t1|0\t0|0']);
      assertNormalised(plain, fasta);
    } finally {
      await matrix.close();
    }
  });
});

describe('vcf deletions: joins across a POS gap, joins that need later joins first, a gap record trimmed', { skip }, () => {
  // test/fixtures/README.md, "VCF joins": in gapjoin and stackjoin one deletion record was too
  // many, which bcftools norm moved onto the haplotype's own earlier deletion; in gaptrim the gap's
  // record kept its span open, and bcftools consensus skipped 1a's later deletion.
  const scratch = scratchDir();
  after(scratch.cleanup);
  const joins = fixture('vcf-joins.tsv');

  it('writes the expected records; bcftools norm realigns nothing; consensus rebuilds both haplotypes; 1 to 4 rows per task give the same bytes', async () => {
    const { fasta, sequences } = writeReference(scratch.dir, joins);
    const matrix = await loadMatrix(joins, { threads: 1 });
    try {
      const out = join(scratch.dir, 'joins.vcf');
      await vcf(matrix, { output: out, fastaRef: fasta });
      const expected = expectedFile('vcf-joins.expected.vcf', fasta);
      assert.equal(readFileSync(out, 'utf8'), expected);
      assertNormalised(out, fasta);
      assertConsensus(out, fasta, joins, sequences, [['1a1b', '1', '1a'], ['1a1b', '2', '1b']]);
      for (const chunkRows of [1, 2, 3, 4]) {
        const small = join(scratch.dir, `joins-${chunkRows}.vcf`);
        await vcf(matrix, { output: small, chunkRows, fastaRef: fasta });
        assert.equal(readFileSync(small, 'utf8'), expected, `chunkRows ${chunkRows}`);
      }
    } finally {
      await matrix.close();
    }
  });
});

describe('vcf deletions: row ranges', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);

  it('gives the same records whatever the rows per task, ranges cut inside runs and shifts', async () => {
    const { fasta } = writeReference(scratch.dir, matrixPath);
    const matrix = await loadMatrix(matrixPath, { threads: 2 });
    try {
      for (const fastaRef of [undefined, fasta]) {
        const expected = expectedFile(fastaRef ? 'vcf-deletions.fasta.expected.vcf' : 'vcf-deletions.expected.vcf', fasta);
        for (const chunkRows of [1, 2, 3, 4, 5, 1000]) {
          const out = join(scratch.dir, `chunks-${chunkRows}.vcf`);
          const summary = await vcf(matrix, { output: out, chunkRows, fastaRef });
          assert.equal(readFileSync(out, 'utf8'), expected, `chunkRows ${chunkRows}, ${fastaRef ? 'with' : 'without'} --fasta-ref`);
          assert.equal(summary.starRuns, fastaRef ? 0 : 3);
          assert.deepEqual(summary.haploid, ['out']);
        }
      }
    } finally {
      await matrix.close();
    }
  });

  it('an N cell where REF is N is missing inside a deletion too, as in a row no deletion touches and in the star form', () => {
    // 1a deletes POS 2-3 (anchored on POS 1); at POS 3 (REF N) 1b and 2a hold N, 2b an A: the
    // record at 3 gives 1a the spanning `*` and 1b and 2a a missing allele, not REF. So does the
    // record at 1, whose REF `ACN` spans their N (0 would claim REF's base, unknown as it is); 2b
    // reads REF there, and its A at 3 is a record of its own.
    const path = scratch.file('n-ref.tsv', ['CHROM\tPOS\tREF\t1a\t1b\t2a\t2b', 't\t1\tA\tA\tA\tA\tA', 't\t2\tC\t-\tC\tC\tC', 't\t3\tN\t-\tN\tN\tA', 't\t4\tG\tG\tG\tG\tT', ''].join('\n'));
    const body = (args: string[]): string[] => {
      const run = runCli(['vcf', path, ...args]);
      assert.equal(run.status, 0, run.stderr);
      return run.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('##'));
    };
    const line = (...fields: string[]): string => fields.join('\t');
    const header = line('#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT', '1a1b', '2a2b');
    const atThree = line('t', '3', '.', 'N', '*,A', '.', 'PASS', '.', 'GT', '1|.', '.|2');
    const atFour = line('t', '4', '.', 'G', 'T', '.', 'PASS', '.', 'GT', '0|0', '0|1');
    assert.deepEqual(body([]), [header, line('t', '1', '.', 'ACN', 'A', '.', 'PASS', '.', 'GT', '1|.', '.|0'), atThree, atFour]);
    assert.deepEqual(body(['--deletions', 'star']), [header, line('t', '2', '.', 'C', '*', '.', 'PASS', '.', 'GT', '1|0', '0|0'), atThree, atFour]);
  });

  it('a haplotype inside a deletion of unknown anchor is missing in a record whose REF spans it, not REF', () => {
    // 1a deletes 2-3 (`1 ACG A`). 1b reads A at 1, has R at 2 (a record of its own) and deletes 3
    // after it: a run anchored on R, whose allele is unknown. Over 1-3 1b is `A R ?`: `.`, not 0.
    const path = scratch.file('unknown-run.tsv', ['CHROM\tPOS\tREF\t1a\t1b', 'u\t1\tA\tA\tA', 'u\t2\tC\t-\tR', 'u\t3\tG\t-\t-', 'u\t4\tT\tT\tT', ''].join('\n'));
    const run = runCli(['vcf', path]);
    assert.equal(run.status, 0, run.stderr);
    const line = (...fields: string[]): string => fields.join('\t');
    assert.deepEqual(
      run.stdout.split('\n').filter((text) => text !== '' && !text.startsWith('##')),
      [line('#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT', '1a1b'), line('u', '1', '.', 'ACG', 'A', '.', 'PASS', '.', 'GT', '1|.'), line('u', '2', '.', 'C', '*,<R>', '.', 'PASS', '.', 'GT', '1|2')],
    );
  });

  it('finds a deletion that moves left the whole window (1,000 positions) into an earlier range, whatever the rows per task', async () => {
    // A run of A: h1's deletion of the A at POS 1100 moves left 1,000 times, the most it moves
    // (docs/vcf.md, "Left alignment"), onto POS 99. The range holding row 98 must look 1,000 rows
    // past its end for the run, and no further: each range reads only so far, not the rest of the
    // contig.
    const lines = ['CHROM\tPOS\tREF\th1\th2'];
    for (let pos = 1; pos <= 1200; pos++) lines.push(`poly\t${pos}\tA\t${pos === 1100 ? '-' : 'A'}\tA`);
    const path = join(scratch.dir, 'poly.tsv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const matrix = await loadMatrix(path, { threads: 2 });
    try {
      for (const chunkRows of [1, 7, 98, 99, 1000, 1 << 16]) {
        const out = join(scratch.dir, `poly-${chunkRows}.vcf`);
        await vcf(matrix, { output: out, chunkRows });
        assert.deepEqual(records(readFileSync(out, 'utf8')), ['poly\t99\t.\tAA\tA\t.\tPASS\t.\tGT\t1\t0'], `chunkRows ${chunkRows}`);
      }
    } finally {
      await matrix.close();
    }
  });

  it('--low-memory gives the same records, whatever the segment rows asked for (the records pass holds each contig in one)', async () => {
    const { fasta } = writeReference(scratch.dir, matrixPath);
    for (const fastaRef of [undefined, fasta]) {
      const expected = expectedFile(fastaRef ? 'vcf-deletions.fasta.expected.vcf' : 'vcf-deletions.expected.vcf', fasta);
      for (const segmentRows of [3, 1 << 18]) {
        for (const chunkRows of [2, 1000]) {
          const out = join(scratch.dir, `low-${segmentRows}-${chunkRows}.vcf`);
          const summary = await lowMemoryVcf(matrixPath, { output: out, chunkRows, segmentRows, fastaRef, threads: 2 });
          assert.equal(readFileSync(out, 'utf8'), expected, `segments of ${segmentRows} rows, chunkRows ${chunkRows}, ${fastaRef ? 'with' : 'without'} --fasta-ref`);
          assert.equal(summary.starRuns, fastaRef ? 0 : 3);
          assert.deepEqual(summary.haploid, ['out']);
        }
      }
    }
  });
});

describe('vcf deletions: seeded matrices with repeats, read by bcftools norm', { skip }, () => {
  const scratch = scratchDir();
  after(scratch.cleanup);

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: norm realigns nothing; consensus rebuilds every haplotype; 1 thread and 7 rows per task give the same bytes`, async () => {
      const { matrix, fasta } = repeatMatrix(seed, 400);
      const matrixFile = join(scratch.dir, `repeats-${seed}.tsv`);
      const fastaFile = join(scratch.dir, `repeats-${seed}.fa`);
      writeFileSync(matrixFile, matrix);
      writeFileSync(fastaFile, fasta);
      const out = join(scratch.dir, `repeats-${seed}.vcf`);
      const run = runCli(['vcf', matrixFile, '-o', out]);
      assert.equal(run.status, 0, run.stderr);
      assert.ok(records(readFileSync(out, 'utf8')).filter((line) => line.split('\t')[3]!.length > 1).length > 20, 'the case has deletions');
      assertNormalised(out, fastaFile);
      const sequences = new Map(fasta.split('>').filter(Boolean).map((entry) => entry.trim().split('\n') as [string, string]));
      assertConsensus(out, fastaFile, matrixFile, sequences, [
        ['1a1b', '1', '1a'], ['1a1b', '2', '1b'], ['2a2b', '1', '2a'], ['2a2b', '2', '2b'], ['3a3b', '1', '3a'], ['3a3b', '2', '3b'], ['out', '1', 'out'],
      ]);
      const loaded = await loadMatrix(matrixFile, { threads: 1 });
      try {
        const small = join(scratch.dir, `repeats-${seed}-7.vcf`);
        await vcf(loaded, { output: small, chunkRows: 7 });
        assert.equal(readFileSync(small, 'utf8'), withoutCommandLine(readFileSync(out, 'utf8')));
      } finally {
        await loaded.close();
      }
    });
  }

  // Much missing data and POS gaps: deletions whose left alignment meets the haplotype's own N
  // (anchored on it, allele N) and, without the FASTA, deletions that would move into a gap (star form).
  for (const seed of [4, 5]) {
    it(`seed ${seed}, N-heavy with POS gaps: norm realigns nothing, with --fasta-ref and without`, async () => {
      const { matrix, fasta } = repeatMatrix(seed, 600, 0.25, 0.03);
      const matrixFile = join(scratch.dir, `missing-${seed}.tsv`);
      const fastaFile = join(scratch.dir, `missing-${seed}.fa`);
      writeFileSync(matrixFile, matrix);
      writeFileSync(fastaFile, fasta);
      const loaded = await loadMatrix(matrixFile, { threads: 1 });
      try {
        for (const fastaRef of [fastaFile, undefined]) {
          const out = join(scratch.dir, `missing-${seed}${fastaRef ? '-fasta' : ''}.vcf`);
          const summary = await vcf(loaded, { output: out, fastaRef });
          const written = records(readFileSync(out, 'utf8'));
          // Allele N where REF begins with a base: a haplotype's own N anchors (a FASTA N in a gap starts REF).
          const anchoredOnN = written.filter((line) => line.split('\t')[4]!.split(',').includes('N') && line.split('\t')[3]![0] !== 'N');
          assert.ok(anchoredOnN.length > 3, `deletions anchored on an N: ${anchoredOnN.length}`);
          if (!fastaRef) assert.ok(summary.starRuns > 10, `runs in the star form: ${summary.starRuns}`);
          assertNormalised(out, fastaFile);
          const small = join(scratch.dir, `missing-${seed}-7.vcf`);
          await vcf(loaded, { output: small, chunkRows: 7, fastaRef });
          assert.equal(readFileSync(small, 'utf8'), readFileSync(out, 'utf8'), 'the same bytes with 7 rows per task');
        }
      } finally {
        await loaded.close();
      }
    });
  }
  // The FASTA with the bases the matrix leaves out: deletions move through POS gaps, join the
  // haplotype's earlier deletions across them, and join as a stack (docs/vcf.md, "Deletions").
  for (const seed of [6, 7]) {
    it(`seed ${seed}, N-heavy, 8% deletions, POS gaps with the FASTA's bases: norm realigns nothing; 7 rows per task give the same bytes`, async () => {
      const { matrix, fasta } = repeatMatrix(seed, 1500, 0.3, 0.05, { deletions: 0.08, gapBases: true });
      const matrixFile = join(scratch.dir, `gapbases-${seed}.tsv`);
      const fastaFile = join(scratch.dir, `gapbases-${seed}.fa`);
      writeFileSync(matrixFile, matrix);
      writeFileSync(fastaFile, fasta);
      const loaded = await loadMatrix(matrixFile, { threads: 1 });
      try {
        const out = join(scratch.dir, `gapbases-${seed}.vcf`);
        await vcf(loaded, { output: out, fastaRef: fastaFile });
        // The case has deletions whose REF spans a position the matrix has no row for.
        const rowsOf = new Set(matrix.split('\n').map((line) => line.split('\t').slice(0, 2).join(':')));
        const overGaps = records(readFileSync(out, 'utf8')).filter((line) => {
          const [contig, pos, , ref] = line.split('\t') as [string, string, string, string];
          return ref.length > 1 && [...ref].some((_, k) => k > 0 && !rowsOf.has(`${contig}:${Number(pos) + k}`));
        });
        assert.ok(overGaps.length > 20, `deletions over POS gaps: ${overGaps.length}`);
        assertNormalised(out, fastaFile);
        const small = join(scratch.dir, `gapbases-${seed}-7.vcf`);
        await vcf(loaded, { output: small, chunkRows: 7, fastaRef: fastaFile });
        assert.equal(readFileSync(small, 'utf8'), readFileSync(out, 'utf8'), 'the same bytes with 7 rows per task');
      } finally {
        await loaded.close();
      }
    });
  }
});

describe('vcf: the ##genomatrixCommand line', () => {
  it('is the command line and the date, as bcftools writes it; SOURCE_DATE_EPOCH sets the date', () => {
    const run = runCli(['vcf', matrixPath, '--deletions', 'star', '--pairs', '1a:1b', '-O', 'v'], { env: { SOURCE_DATE_EPOCH: '1767225600' } });
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.equal(lines[3], `##genomatrixCommand=vcf ${matrixPath} --deletions star --pairs 1a:1b -O v; Date=Thu Jan  1 00:00:00 2026`);
    assert.equal(lines[2], `##source=genomatrix ${version}`);
  });

  it('a --fasta-ref without a sequence the matrix has: one line, exit 1', () => {
    const scratch = scratchDir();
    try {
      const fasta = join(scratch.dir, 'short.fa');
      writeFileSync(fasta, '>start\nACGTAC\n');
      const run = runCli(['vcf', matrixPath, '--fasta-ref', fasta]);
      assert.equal(run.status, 1);
      assertOneLine(run.stderr);
      assert.equal(run.stderr, `genomatrix: ${fasta}: no sequence named 'homo', a contig of ${matrixPath}\n`);
    } finally {
      scratch.cleanup();
    }
  });

  it('a --fai that is not there, a --fasta-ref that is a directory: one line, exit 2, no output', () => {
    const scratch = scratchDir();
    try {
      const out = join(scratch.dir, 'out.vcf');
      const missing = join(scratch.dir, 'none.fai');
      const cases: [string[], string][] = [
        [['--fai', missing], `genomatrix: cannot read the FASTA index ${missing}: no such file or directory\n`],
        [['--fasta-ref', scratch.dir], `genomatrix: --fasta-ref: ${scratch.dir}: is a directory\n`],
      ];
      for (const [options, message] of cases) {
        const run = runCli(['vcf', matrixPath, ...options, '-o', out]);
        assert.equal(run.status, 2, run.stderr);
        assert.equal(run.stderr, message);
        assert.equal(existsSync(out), false);
      }
    } finally {
      scratch.cleanup();
    }
  });
});
