// Bad input gets one clear line naming the file, line and column and what was expected; exit code
// 1 for data errors, 2 for usage errors; no stack trace; no output file left behind.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { fixture, runCli, scratchDir } from './helpers.js';

const HEADER = 'CHROM\tPOS\tREF\ta\tb\n';

describe('bad input', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  const file = (name: string, content: string | Buffer): string => {
    const path = join(scratch.dir, name);
    writeFileSync(path, content);
    return path;
  };

  const dataErrors: [string, string | Buffer, RegExp][] = [
    ['too few fields', `${HEADER}chr1\t5\tA\tA\tC\nchr1\t6\tA\tA\n`, /:3:5: expected 5 tab-separated fields, found 4$/],
    ['too many fields', `${HEADER}chr1\t5\tA\tA\tC\tG\n`, /:2: expected 5 tab-separated fields, found more$/],
    ['POS not a number', `${HEADER}chr1\t5x\tA\tA\tC\n`, /:2:2: POS '5x' is not a positive integer/],
    ['POS zero', `${HEADER}chr1\t0\tA\tA\tC\n`, /:2:2: POS '0' is not a positive integer/],
    ['decreasing POS', `${HEADER}chr1\t5\tA\tA\tC\nchr1\t4\tA\tA\tC\n`, /:3:2: POS 4 is smaller than the previous POS 5 of contig chr1/],
    ['empty cell', `${HEADER}chr1\t5\tA\t\tC\n`, /:2:4: empty cell$/],
    ['empty line', `${HEADER}chr1\t5\tA\tA\tC\n\nchr1\t6\tA\tA\tC\n`, /:3: empty line$/],
    ['binary byte in an allele', Buffer.concat([Buffer.from(`${HEADER}chr1\t5\tA\t`), Buffer.from([0, 0xff]), Buffer.from('\tC\n')]), /:2:4: unexpected byte 0x00 in an allele/],
    ['empty file', '', /: empty file: expected a genome matrix$/],
    ['header only', HEADER, /: no data lines after the header$/],
    ['duplicate sample names', 'CHROM\tPOS\tREF\ta\ta\nchr1\t5\tA\tA\tC\n', /:1:5: duplicate column name 'a' \(also column 4\)$/],
    ['truncated gzip', gzipSync(Buffer.from(`${HEADER}${'chr1\t5\tA\tA\tC\n'.repeat(1000)}`)).subarray(0, 60), /: corrupt or truncated gzip stream/],
  ];
  for (const [name, content, message] of dataErrors) {
    it(`${name}: exit 1 and a located message`, () => {
      const path = file(`${name.replace(/\W+/g, '-')}.tsv`, content);
      const out = join(scratch.dir, `${name.replace(/\W+/g, '-')}.out`);
      const run = runCli(['haplotype', path, '-o', out]);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr.trim(), /^genomatrix: /);
      assert.equal(run.stderr.trim().split('\n').length, 1, 'one line, no stack trace');
      assert.match(run.stderr.trim(), message);
      assert.ok(run.stderr.includes(path), 'names the file');
      assert.ok(!existsSync(out), 'no output under the final name');
    });
  }

  it('reports the first bad line in file order when several chunks fail', () => {
    const good = 'chr1\t5\tA\tA\tC\n'.repeat(20000);
    const path = file('late.tsv', `${HEADER}${good}chr1\t6\tA\tA\n${good.replaceAll('\t5\t', '\t7\t')}chr1\tX\tA\tA\tC\n`);
    const run = runCli(['haplotype', path, '--threads', '2']);
    assert.equal(run.status, 1);
    assert.match(run.stderr, new RegExp(`late.tsv:20002:5: expected 5 tab-separated fields, found 4`));
  });

  const usageErrors: [string, string[], RegExp][] = [
    ['missing input', ['haplotype', '/nonexistent/matrix.tsv'], /cannot open \/nonexistent\/matrix.tsv: no such file or directory/],
    ['unknown pair member', ['haplotype', fixture('small.tsv'), '--pairs', '3a:zz'], /--pairs: 'zz' is not a haplotype column/],
    ['bad --pairs syntax', ['haplotype', fixture('small.tsv'), '--pairs', '3a-3b'], /--pairs: expected NAME:NAME/],
    ['unwritable output', ['haplotype', fixture('small.tsv'), '-o', '/nonexistent/dir/out.tsv'], /cannot write \/nonexistent\/dir\/out.tsv: no such file or directory/],
    ['no header', ['haplotype', fixture('small.noheader.tsv')], /no header line .* and no --header file given/],
    ['unknown option', ['haplotype', fixture('small.tsv'), '--bogus'], /Unknown argument: bogus/],
    ['bad thread count', ['haplotype', fixture('small.tsv'), '--threads', '0'], /--threads must be a whole number/],
  ];
  for (const [name, args, message] of usageErrors) {
    it(`${name}: exit 2 and one line`, () => {
      const run = runCli(args);
      assert.equal(run.status, 2, run.stderr);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, message);
    });
  }

  it('leaves an existing output file untouched when the run fails', () => {
    const out = file('keep.tsv', 'precious\n');
    const bad = file('bad.tsv', `${HEADER}chr1\t5\tA\tA\n`);
    const run = runCli(['haplotype', bad, '-o', out]);
    assert.equal(run.status, 1);
    assert.equal(readdirSync(scratch.dir).filter((name) => name.includes('keep.tsv')).join(), 'keep.tsv', 'no temporary left');
    assert.equal(run.stdout, '');
    assert.equal(readFileSync(out, 'utf8'), 'precious\n');
  });
});
