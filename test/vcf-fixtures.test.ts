// VCF output of the stored fixtures in the star form (`--deletions star`: `-` as `*` base by
// base), against expected files written by hand from the rules (test/fixtures/README.md, "VCF"),
// through the built CLI and through the library. Deletions as indels: vcf-deletions.test.ts.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { loadMatrix, vcf, vcfAltAllele, vcfRefAllele } from 'genomatrix';
import { fixture, root, runCli, scratchDir, withoutCommandLine } from './helpers.js';

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
/** An expected file, its `##source` line naming the version under test. */
const expectedVcf = (name: string): string =>
  readFileSync(fixture(name), 'utf8').replace(/^##source=genomatrix .*$/m, `##source=genomatrix ${version}`);

const expected = expectedVcf('small.expected.vcf');

describe('genomatrix vcf (CLI)', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);

  for (const name of ['small.tsv', 'small.crlf.tsv', 'small.tsv.gz']) {
    it(`converts ${name} to the expected VCF on stdout`, () => {
      const run = runCli(['vcf', fixture(name), '--deletions', 'star']);
      assert.equal(run.stderr, '');
      assert.equal(run.status, 0);
      assert.equal(withoutCommandLine(run.stdout), expected);
    });
  }

  it('takes the column names from --header', () => {
    const run = runCli(['vcf', fixture('small.noheader.tsv'), '--header', fixture('small.header.tsv'), '--deletions', 'star']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(withoutCommandLine(run.stdout), expected);
  });

  it('uses explicit --pairs: one sample 10a10b; --unpaired drop leaves the other columns and their alleles out', () => {
    const run = runCli(['vcf', fixture('small.tsv'), '--pairs', '10b:10a', '--deletions', 'star', '--unpaired', 'drop']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(withoutCommandLine(run.stdout), expectedVcf('small.pairs-10a-10b.expected.vcf'));
  });

  it('in the default (indel) form, warns once of the runs after POS gaps, which stay in the star form', () => {
    const run = runCli(['vcf', fixture('small.tsv')]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, "genomatrix: warning: 3 deletion runs follow or move left into a position missing from the matrix: written as '*' alleles (the star form); give --fasta-ref for their anchor base\n");
    // chr1 104: 3a and 10b delete T after their N at 103: anchored on that N, `103 GT N` (every
    // other cell at 103 is N: missing); the rest as in the star form.
    const records = (text: string): string[] => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    const anchoredOnN = ['chr1', '103', '.', 'GT', 'N', '.', 'PASS', '.', 'GT', '.|1', '1|.', '.|.', '.'].join('\t');
    assert.deepEqual(records(run.stdout), records(expected).map((line) => (line.startsWith('chr1\t104\t') ? anchoredOnN : line)));
  });

  it('writes REF, ALT and GT of unusual alleles by the documented rules', () => {
    const run = runCli(['vcf', fixture('vcf-alleles.tsv'), '--deletions', 'star']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(withoutCommandLine(run.stdout), expectedVcf('vcf-alleles.expected.vcf'));
  });

  it('gives the same bytes with 1 and 3 threads, plain and BGZF (the command line aside)', () => {
    for (const type of ['v', 'z']) {
      const outputs = ['1', '3'].map((threads) => {
        const out = join(scratch.dir, `threads-${threads}.${type}`);
        const run = runCli(['vcf', fixture('small.tsv'), '--threads', threads, '-O', type, '-o', out]);
        assert.equal(run.status, 0, run.stderr);
        const bytes = readFileSync(out);
        return withoutCommandLine((type === 'z' ? gunzipSync(bytes) : bytes).toString('utf8'));
      });
      assert.equal(outputs[0], outputs[1], `-O ${type}: 1 and 3 threads differ`);
    }
  });

  it('writes BGZF for -o NAME.vcf.gz: gzip-readable, with the end-of-file block, only the final file left', () => {
    const dir = join(scratch.dir, 'bgzf');
    mkdirSync(dir);
    const out = join(dir, 'small.vcf.gz');
    const run = runCli(['vcf', fixture('small.tsv.gz'), '--deletions', 'star', '-o', out]);
    assert.equal(run.status, 0, run.stderr);
    const bytes = readFileSync(out);
    assert.equal(withoutCommandLine(gunzipSync(bytes).toString('utf8')), expected);
    assert.deepEqual([...bytes.subarray(0, 4)], [0x1f, 0x8b, 0x08, 0x04], 'gzip member with FEXTRA');
    assert.equal(bytes.subarray(12, 14).toString('latin1'), 'BC', 'BGZF extra subfield');
    assert.equal(bytes.subarray(-28).toString('hex'), '1f8b08040000000000ff0600424302001b0003000000000000000000');
    assert.deepEqual(readdirSync(dir), ['small.vcf.gz']);
  });

  it('-O v writes plain text even to a .gz name', () => {
    const out = join(scratch.dir, 'plain.vcf.gz');
    const run = runCli(['vcf', fixture('small.tsv'), '--deletions', 'star', '-O', 'v', '-o', out]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(withoutCommandLine(readFileSync(out, 'utf8')), expected);
  });
});

describe('vcf and stats: errors', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);

  it('a contig name VCF cannot carry: exit 1, one line, no output file', () => {
    const matrix = join(scratch.dir, 'space.tsv');
    writeFileSync(matrix, 'CHROM\tPOS\tREF\ta\tb\nchr 1\t5\tA\tA\tC\n');
    const out = join(scratch.dir, 'space.vcf');
    const run = runCli(['vcf', matrix, '-o', out]);
    assert.equal(run.status, 1);
    assert.equal(run.stderr, `genomatrix: ${matrix}: contig name 'chr 1' cannot be a VCF contig ID (VCF 4.3, 1.4.7: ASCII letters, digits and !#$%&*+./:;=?@^_|~-, not starting with * or =)\n`);
    assert.deepEqual(readdirSync(scratch.dir), ['space.tsv']);
  });

  it('contig IDs: * and = anywhere but first, ASCII only (the names checked byte by byte)', () => {
    for (const [name, ok] of [['*chr', false], ['=chr', false], ['chr\u00c4', false], ['', false], ['HLA-A*01:01=x', true], ['~!#$%&+./:;?@^_|-', true], ['c'.repeat(300), true]] as const) {
      const matrix = join(scratch.dir, 'names.tsv');
      writeFileSync(matrix, `CHROM\tPOS\tREF\ta\tb\nchr1\t3\tA\tA\tC\n${name}\t5\tA\tA\tC\n`);
      const out = join(scratch.dir, 'names.vcf');
      const run = runCli(['vcf', matrix, '-o', out, '-q']);
      if (ok) {
        assert.equal(run.status, 0, run.stderr);
        const text = readFileSync(out, 'utf8');
        assert.ok(text.includes(`\n##contig=<ID=chr1,length=3>\n##contig=<ID=${name},length=5>\n`), name);
        assert.ok(text.endsWith(`\n${name}\t5\t.\tA\tC\t.\tPASS\t.\tGT\t0\t1\n`), `${name}: its record`);
        // BGZF: each contig's records written by a task of its own (the plain output's by its span's).
        const gz = join(scratch.dir, 'names.vcf.gz');
        assert.equal(runCli(['vcf', matrix, '-o', gz, '-q']).status, 0);
        assert.equal(withoutCommandLine(gunzipSync(readFileSync(gz)).toString('utf8')), withoutCommandLine(text), `${name}: BGZF`);
      } else {
        assert.equal(run.status, 1, name);
        // An empty name is the matrix's error: a line must name its contig.
        if (name !== '') assert.equal(run.stderr, `genomatrix: ${matrix}: contig name '${name}' cannot be a VCF contig ID (VCF 4.3, 1.4.7: ASCII letters, digits and !#$%&*+./:;=?@^_|~-, not starting with * or =)\n`);
        assert.ok(!existsSync(out));
      }
    }
  });

  for (const command of ['vcf', 'stats']) {
    it(`${command} --pairs naming no column: exit 2`, () => {
      const run = runCli([command, fixture('small.tsv'), '--pairs', '3a:zz']);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /^genomatrix: --pairs: 'zz' is not a haplotype column/);
    });
  }
});

describe('vcf() (library)', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);

  it('writes the expected VCF whatever the rows per task, and reports what it wrote', async () => {
    const matrix = await loadMatrix(fixture('small.tsv'), { threads: 2 });
    try {
      for (const chunkRows of [1, 2, 5, 1000]) {
        const out = join(scratch.dir, `lib-${chunkRows}.vcf`);
        const summary = await vcf(matrix, { output: out, chunkRows, deletions: 'star' });
        assert.equal(readFileSync(out, 'utf8'), expected, `chunkRows ${chunkRows}`);
        assert.equal(summary.sites, 18);
        assert.equal(summary.records, 13);
        assert.deepEqual(summary.haploid, ['out']);
        assert.deepEqual(
          summary.pairs.map((pair) => pair.name),
          ['10a10b', '3a3b', '8a8b'],
        );
      }
    } finally {
      await matrix.close();
    }
  });

  it('maps single alleles to their VCF forms', () => {
    const alt: [string, string | null][] = [
      ['A', 'A'], ['AT', 'AT'], ['acg', 'acg'], ['NN', 'NN'], ['N', null], ['-', '*'], ['*', '*'],
      ['R', '<R>'], ['y', '<y>'], ['x<y', null], ['a,b', null], ['DEL', null], ['.', null], ['"q', null],
    ];
    for (const [allele, form] of alt) assert.equal(vcfAltAllele(allele), form, allele);
    const ref: [string, string][] = [['A', 'A'], ['N', 'N'], ['TTA', 'TTA'], ['-', 'N'], ['R', 'N'], ['*', 'N']];
    for (const [allele, form] of ref) assert.equal(vcfRefAllele(allele), form, allele);
  });
});
