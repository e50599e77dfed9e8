// The VCF output read back by real tools: bcftools (view, query, index, stats), bgzip/tabix, and
// vcftools' strict vcf-validator. A seeded matrix with unusual alleles (multi-base, IUPAC, `*`,
// `-`, REF = N or not a base) is converted in the star form (`--deletions star`, one site per
// row), and what bcftools reads must be exactly what a plain computation over the matrix's text
// lines expects. Deletions as indels: vcf-deletions.test.ts.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixture, runCli, scratchDir, withoutCommandLine, seededRandom } from './helpers.js';

const has = (tool: string, args: string[]): boolean => spawnSync(tool, args, { encoding: 'utf8' }).status === 0;
// CI installs bcftools, tabix and vcftools (.ci/run): there these tests must run, never be skipped.
const skip = !process.env.CI && !(has('bcftools', ['--version']) && has('bgzip', ['--version']))
  ? 'bcftools or bgzip is not installed (apt-get install bcftools tabix)'
  : false;
const skipValidator =
  !process.env.CI && !has('sh', ['-c', 'command -v vcf-validator']) ? 'vcf-validator is not installed (apt-get install vcftools)' : false;

const QUERY = '%CHROM\\t%POS\\t%REF\\t%ALT[\\t%GT]\\n';

function tool(command: string, args: string[]): { stdout: string; stderr: string } {
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, `${command} ${args.join(' ')}: ${run.stderr}`);
  return { stdout: run.stdout, stderr: run.stderr };
}

/** A seeded matrix: 3 contigs (the first in two runs), 7 haplotypes, unusual alleles mixed in. */
function unusualMatrix(seed: number, rowsPerRun: number): string {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const refs = ['A', 'C', 'G', 'T', 'A', 'C', 'G', 'T', 'N', 'R', '-'];
  const others = ['A', 'C', 'G', 'T', 'N', '-', '*', 'AT', 'TTA', 'R', 'y', 'acg'];
  const lines = ['CHROM\tPOS\tREF\t1a\t1b\t2b\t2a\t3a\t3b\tout'];
  const next = new Map<string, number>();
  for (const contig of ['chrA', 'chrB', 'chrC', 'chrA']) {
    let pos = next.get(contig) ?? 1 + Math.floor(random() * 1000);
    for (let r = 0; r < rowsPerRun; r++) {
      const ref = pick(refs);
      const variable = random() < 0.5;
      const cells = Array.from({ length: 7 }, () => (variable && random() < 0.3 ? pick(others) : ref));
      lines.push([contig, pos, ref, ...cells].join('\t'));
      pos += 1 + Math.floor(random() * 3);
    }
    next.set(contig, pos);
  }
  return lines.join('\n') + '\n';
}

/** What `bcftools query -f QUERY` must print, worked out from the matrix text by the README's rules. */
function expectedQuery(text: string): string {
  const [header, ...rows] = text.trimEnd().split('\n');
  const names = (header as string).split('\t').slice(3);
  const pairs = [['1a', '1b'], ['2a', '2b'], ['3a', '3b']].map((pair) => pair.map((name) => names.indexOf(name)));
  const vcfAlt = (allele: string): string => (/^[ACGTNacgtn]+$/.test(allele) ? allele : allele === '-' || allele === '*' ? '*' : `<${allele}>`);
  const byContig = new Map<string, string[]>();
  for (const row of rows) {
    const [contig, pos, ref, ...cells] = row.split('\t') as [string, string, string, ...string[]];
    const alts = [...new Set(cells.filter((cell) => cell !== 'N' && cell !== ref).map(vcfAlt))];
    if (alts.length === 0) continue;
    const allele = (cell: string): string => (cell === 'N' ? '.' : cell === ref ? '0' : String(alts.indexOf(vcfAlt(cell)) + 1));
    const gts = pairs.map(([a, b]) => `${allele(cells[a as number] as string)}|${allele(cells[b as number] as string)}`);
    gts.push(allele(cells[names.indexOf('out')] as string)); // the unpaired column: a haploid sample
    const refText = /^[ACGTNacgtn]+$/.test(ref) ? ref : 'N';
    if (!byContig.has(contig)) byContig.set(contig, []);
    byContig.get(contig)?.push([contig, pos, refText, alts.join(','), ...gts].join('\t'));
  }
  return [...byContig.values()].flat().map((line) => `${line}\n`).join('');
}

describe('VCF read by bcftools', { skip }, () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  const matrixPath = join(scratch.dir, 'unusual.tsv');
  const vcfPath = join(scratch.dir, 'unusual.vcf');
  let matrixText = '';

  before(() => {
    matrixText = unusualMatrix(20240611, 600);
    writeFileSync(matrixPath, matrixText);
    const run = runCli(['vcf', matrixPath, '-o', vcfPath, '--threads', '2', '--deletions', 'star']);
    assert.equal(run.status, 0, run.stderr);
  });

  it('bcftools query gives back the values of the matrix, by the documented rules', () => {
    const expected = expectedQuery(matrixText);
    assert.ok(expected.split('\n').length > 500, 'the case keeps sites');
    for (const needle of ['\t*', '<R>', '<y>', 'acg', 'TTA', '\tN\t', '|.', '\t.\n']) assert.ok(expected.includes(needle), `the case has ${needle}`);
    const { stdout, stderr } = tool('bcftools', ['query', '-f', QUERY, vcfPath]);
    assert.equal(stderr, '');
    assert.equal(stdout, expected);
  });

  it('bcftools view writes the file back byte for byte, with no warning', () => {
    const { stdout, stderr } = tool('bcftools', ['view', '--no-version', vcfPath]);
    assert.equal(stderr, '');
    assert.equal(stdout, readFileSync(vcfPath, 'utf8'));
  });

  it('bcftools stats reads every record, with no warning', () => {
    const { stdout, stderr } = tool('bcftools', ['stats', vcfPath]);
    assert.equal(stderr, '');
    const records = readFileSync(vcfPath, 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
    assert.match(stdout, new RegExp(`^SN\\t0\\tnumber of records:\\t${records}$`, 'm'));
    assert.match(stdout, /^SN\t0\tnumber of samples:\t4$/m);
  });

  it('indexes and queries by region: bgzip of the text, and genomatrix -O z (BGZF) written directly', () => {
    const expectedChrB = expectedQuery(matrixText).split('\n').filter((line) => line.startsWith('chrB\t')).map((line) => `${line}\n`).join('');
    const bgzipped = join(scratch.dir, 'bgzip.vcf.gz');
    const compressed = spawnSync('bgzip', ['-c', vcfPath]);
    assert.equal(compressed.status, 0, String(compressed.stderr));
    writeFileSync(bgzipped, compressed.stdout);
    const direct = join(scratch.dir, 'direct.vcf.gz');
    const run = runCli(['vcf', matrixPath, '-o', direct, '--threads', '3', '--deletions', 'star']);
    assert.equal(run.status, 0, run.stderr);
    for (const file of [bgzipped, direct]) {
      tool('bcftools', ['index', file]);
      tool('tabix', ['-f', '-p', 'vcf', file]);
      const { stdout, stderr } = tool('bcftools', ['query', '-r', 'chrB', '-f', QUERY, file]);
      assert.equal(stderr, '');
      assert.equal(stdout, expectedChrB, file);
      assert.equal(withoutCommandLine(tool('bgzip', ['-d', '-c', file]).stdout), withoutCommandLine(readFileSync(vcfPath, 'utf8')), `${file} holds the plain VCF`);
    }
  });

  it('bcftools reads the hand-checked fixture as written', () => {
    const expected = readFileSync(fixture('small.expected.vcf'), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split('\t'))
      .map((f) => [...f.slice(0, 2), ...f.slice(3, 5), ...f.slice(9)].join('\t') + '\n')
      .join('');
    const out = join(scratch.dir, 'small.vcf');
    assert.equal(runCli(['vcf', fixture('small.tsv'), '--deletions', 'star', '-o', out]).status, 0);
    assert.equal(tool('bcftools', ['query', '-f', QUERY, out]).stdout, expected);
  });
});

describe('VCF checked by vcf-validator (vcftools)', { skip: skip || skipValidator }, () => {
  const scratch = scratchDir();
  after(scratch.cleanup);

  const cases = [
    ['unusual alleles', 'generated', 'star'],
    ['small.tsv', fixture('small.tsv'), 'star'],
    ['vcf-alleles.tsv', fixture('vcf-alleles.tsv'), 'star'],
    ['small.tsv, deletions as indels', fixture('small.tsv'), 'indel'],
    ['vcf-deletions.tsv', fixture('vcf-deletions.tsv'), 'indel'],
  ] as const;
  for (const [name, matrix, deletions] of cases) {
    it(`finds nothing wrong: ${name}`, () => {
      let input: string = matrix;
      if (matrix === 'generated') {
        input = join(scratch.dir, 'unusual.tsv');
        writeFileSync(input, unusualMatrix(7, 300));
      }
      const out = join(scratch.dir, `${name.replace(/\W+/g, '-')}.vcf`);
      assert.equal(runCli(['vcf', input, '--deletions', deletions, '-o', out]).status, 0);
      const run = spawnSync('vcf-validator', [out], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      // The one remark left is advice: a matrix does not name its reference assembly.
      const remarks = (run.stdout + run.stderr).split('\n').filter((line) => line.trim() !== '');
      assert.deepEqual(remarks, ["The header tag 'reference' not present. (Not required but highly recommended.)"]);
    });
  }
});
