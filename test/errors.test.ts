// Bad input gets one clear line naming the file, line and column and what was expected; exit code
// 1 for data errors, 2 for usage errors; no stack trace; no output file left behind.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ExitCode, GenomatrixError, loadMatrix, lowMemoryHaplotype } from '../src/index.js';
import { assertOneLine, fixture, fixtures, runCli, scratchDir } from './helpers.js';

const HEADER = 'CHROM\tPOS\tREF\ta\tb\n';

describe('bad input', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  const file = scratch.file;
  const leftovers = (): string[] => readdirSync(scratch.dir).filter((name) => name.endsWith('.tmp'));
  const fifo = (): string => {
    const path = join(scratch.dir, 'fifo');
    if (!existsSync(path)) execFileSync('mkfifo', [path]);
    return path;
  };

  const dataErrors: [string, string | Buffer, RegExp][] = [
    ['too few fields', `${HEADER}chr1\t5\tA\tA\tC\nchr1\t6\tA\tA\n`, /:3:5: expected 5 tab-separated fields, found 4$/],
    ['too many fields', `${HEADER}chr1\t5\tA\tA\tC\tG\n`, /:2:6: expected 5 tab-separated fields, found 6$/],
    ['POS not a number', `${HEADER}chr1\t5x\tA\tA\tC\n`, /:2:2: POS '5x' is not a positive integer/],
    ['POS zero', `${HEADER}chr1\t0\tA\tA\tC\n`, /:2:2: POS '0' is not a positive integer/],
    ['decreasing POS', `${HEADER}chr1\t5\tA\tA\tC\nchr1\t4\tA\tA\tC\n`, /:3:2: POS 4 is smaller than the previous POS 5 of contig chr1: rows of a contig run must be sorted \(or pass --allow-unsorted\)$/],
    ['POS too large', `${HEADER}chr1\t2147483648\tA\tA\tC\n`, /:2:2: POS '2147483648' is not a positive integer \(1 to 2147483647\)$/],
    ['negative POS', `${HEADER}chr1\t-3\tA\tA\tC\n`, /:2:2: POS '-3' is not a positive integer/],
    ['empty cell', `${HEADER}chr1\t5\tA\t\tC\n`, /:2:4: empty cell$/],
    ['empty line', `${HEADER}chr1\t5\tA\tA\tC\n\nchr1\t6\tA\tA\tC\n`, /:3: empty line$/],
    ['NUL byte near the start', Buffer.concat([Buffer.from(`${HEADER}chr1\t5\tA\t`), Buffer.from([0, 0xff]), Buffer.from('\tC\n')]), /:2: a NUL byte \(at byte 28\): expected a tab-separated text genome matrix \(plain or gzip\); is this a binary file\?$/],
    ['binary file', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), /:1: a byte that is not UTF-8 text \(0x89 at byte 1\): expected a tab-separated text genome matrix/],
    ['non-UTF-8 text', Buffer.concat([Buffer.from(`${HEADER}chr`), Buffer.from([0xe9]), Buffer.from('1\t5\tA\tA\tC\n')]), /:2: a byte that is not UTF-8 text \(0xe9 at byte 22\)/],
    ['binary bytes after the first block', Buffer.concat([Buffer.from(`${HEADER}${'chr1\t5\tA\tA\tC\n'.repeat(8000)}chr1\t5\tA\t`), Buffer.from([0, 0xff]), Buffer.from('\tC\n')]), /:8002:4: unexpected byte 0x00 in an allele: alleles are printable ASCII/],
    ['binary gzip content', gzipSync(Buffer.from([0x42, 0x41, 0x4d, 0x01, 0, 0, 0, 0])), /:1: a NUL byte \(at byte 5\)/],
    ['too many distinct alleles', `${HEADER}${Array.from({ length: 300 }, (_, i) => `chr1\t${i + 1}\tA\tA\tx${i}\n`).join('')}`, /:252:5: more than 256 distinct alleles \(a one-byte dictionary index holds 256\)$/],
    ['allele too long', `${HEADER}chr1\t5\tA\t${'C'.repeat(2000)}\tC\n`, /:2:4: allele of 2000 bytes is longer than the 1024 accepted$/],
    ['empty gzip', gzipSync(Buffer.alloc(0)), /: empty file: expected a genome matrix$/],
    ['empty file', '', /: empty file: expected a genome matrix$/],
    ['header only', HEADER, /: no data lines after the header$/],
    ['duplicate sample names', 'CHROM\tPOS\tREF\ta\ta\nchr1\t5\tA\tA\tC\n', /:1:5: duplicate column name 'a' \(also column 4\)$/],
    ['truncated gzip', gzipSync(Buffer.from(`${HEADER}${'chr1\t5\tA\tA\tC\n'.repeat(1000)}`)).subarray(0, 60), /: corrupt or truncated gzip stream \(unexpected end of file\)$/],
  ];
  for (const [name, content, message] of dataErrors) {
    it(`${name}: exit 1 and a located message`, () => {
      const base = name.replace(/\W+/g, '-');
      const path = file(`${base}.tsv`, content);
      const out = file(`${base}.out`, 'existing\n');
      const run = runCli(['haplotype', path, '-o', out]);
      assert.equal(run.status, 1, run.stderr);
      assertOneLine(run.stderr);
      assert.match(run.stderr.trim(), message);
      assert.ok(run.stderr.includes(path), 'names the file');
      assert.equal(readFileSync(out, 'utf8'), 'existing\n', 'an existing output is left untouched');
      assert.deepEqual(leftovers(), [], 'no temporary left');
    });

    // The streamed parser finds the same errors; in process, the error the CLI prints as its line.
    it(`${name} (--low-memory): a data error (exit 1) with the located message`, async () => {
      const base = `${name.replace(/\W+/g, '-')}-lm`;
      const path = file(`${base}.tsv`, content);
      const out = file(`${base}.out`, 'existing\n');
      await assert.rejects(lowMemoryHaplotype(path, { output: out }), (error: unknown) => {
        assert.ok(error instanceof GenomatrixError && error.exitCode === ExitCode.dataError, String(error));
        assert.doesNotMatch(error.message, /\n/, 'one line');
        assert.match(error.message, message);
        assert.ok(error.message.includes(path), 'names the file');
        return true;
      });
      assert.equal(readFileSync(out, 'utf8'), 'existing\n', 'an existing output is left untouched');
      assert.deepEqual(leftovers(), [], 'no temporary left');
    });
  }

  it('a header file whose column count disagrees with the data is named as the likely cause', () => {
    const names = file('names.tsv', 'CHROM\tPOS\tREF\ta\tb\n');
    const data = file('wider.tsv', 'chr1\t5\tA\tA\tC\tG\nchr1\t6\tA\tA\tC\tG\n');
    for (const mode of [[], ['--low-memory']]) {
      const run = runCli(['haplotype', data, '--header', names, ...mode]);
      assert.equal(run.status, 1, run.stderr);
      assertOneLine(run.stderr);
      assert.match(run.stderr, /wider.tsv:1:6: expected 5 tab-separated fields, found 6; the header file .*names.tsv names 5 columns: does it belong to this matrix\?$/m);
    }
    const narrow = file('narrow.tsv', 'chr1\t5\tA\tA\n');
    const run = runCli(['haplotype', narrow, '--header', names]);
    assert.match(run.stderr, /narrow.tsv:1:5: expected 5 tab-separated fields, found 4; the header file/);
  });

  it('duplicate names in a header file', () => {
    const names = file('dup-names.tsv', 'CHROM\tPOS\tREF\ta\ta\n');
    const run = runCli(['haplotype', fixture('small.noheader.tsv'), '--header', names]);
    assert.equal(run.status, 1, run.stderr);
    assertOneLine(run.stderr);
    assert.match(run.stderr, /dup-names.tsv:1:5: duplicate column name 'a' \(also column 4\)$/m);
  });

  it('--low-memory refuses a contig split into several runs, naming the line it comes back at', () => {
    const out = join(scratch.dir, 'split.out');
    const run = runCli(['haplotype', fixture('small.tsv'), '--low-memory', '-o', out]);
    assert.equal(run.status, 1, run.stderr);
    assertOneLine(run.stderr);
    assert.match(run.stderr, /small.tsv:13:1: contig chr1 comes back after other contigs: --low-memory streams one contig at a time and needs each contig's rows together \(group the rows by contig, or run without --low-memory\)$/m);
    assert.ok(!existsSync(out));
  });

  it('--allow-unsorted accepts decreasing POS with one warning naming the first and the count', () => {
    const path = file('unsorted.tsv', `${HEADER}chr1\t5\tA\tA\tC\nchr1\t4\tA\tA\tC\nchr1\t9\tA\tA\tC\nchr1\t2\tA\tA\tC\nchr2\t1\tA\tA\tC\n`);
    for (const mode of [[], ['--low-memory']]) {
      const run = runCli(['haplotype', path, '--allow-unsorted', ...mode]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stderr, `genomatrix: warning: ${path}:3:2: POS 4 is smaller than the previous POS 5 of contig chr1 (2 decreases in all; rows kept in file order, as --allow-unsorted asks)\n`);
      assert.deepEqual(run.stdout.split('\n').slice(1, -1).map((line) => line.split('\t')[1]), ['5', '4', '9', '2', '1']);
    }
  });

  it('--allow-unsorted counts the decreases of a gzip input parsed into several column segments', async () => {
    // 3,000 lines in chunks of 1 KiB: the rows fill several segments (load-text.ts, gzip).
    // POS goes down by one at data lines 500k - 1 (k = 1..6, file lines 501, 1001, ...).
    const lines = Array.from({ length: 3000 }, (_, i) => `chr1\t${i % 500 === 499 ? 10 * i - 1 : 10 * i + 10}\tA\tA\tC\n`);
    const path = file('unsorted-many.tsv.gz', gzipSync(HEADER + lines.join('')));
    const warnings: string[] = [];
    const matrix = await loadMatrix(path, { threads: 2, chunkBytes: 1024, allowUnsorted: true, onWarning: (message) => warnings.push(message) });
    await matrix.close();
    assert.deepEqual(warnings, [`${path}:501:2: POS 4989 is smaller than the previous POS 4990 of contig chr1 (6 decreases in all; rows kept in file order, as --allow-unsorted asks)`]);
  });

  it('reports the first bad line in file order when several chunks fail', () => {
    const good = 'chr1\t5\tA\tA\tC\n'.repeat(20000);
    const path = file('late.tsv', `${HEADER}${good}chr1\t6\tA\tA\n${good.replaceAll('\t5\t', '\t7\t')}chr1\tX\tA\tA\tC\n`);
    const run = runCli(['haplotype', path, '--threads', '2']);
    assert.equal(run.status, 1);
    assert.match(run.stderr, new RegExp(`late.tsv:20002:5: expected 5 tab-separated fields, found 4`));
  });

  const usageErrors: [string, string[], RegExp][] = [
    ['input is a directory', ['haplotype', fixtures], /cannot read .*fixtures: is a directory$/],
    ['input is a FIFO', ['haplotype', fifo()], /cannot read .*fifo: not a regular file \(a pipe, socket or device\); genomatrix reads its input in parallel byte ranges, so give a file$/],
    ['output is a directory', ['haplotype', fixture('small.tsv'), '-o', fixtures], /cannot write .*fixtures: is a directory$/],
    ['missing header file', ['haplotype', fixture('small.noheader.tsv'), '--header', '/nonexistent/names.tsv'], /cannot read header file \/nonexistent\/names.tsv: no such file or directory$/],
    ['missing input', ['haplotype', '/nonexistent/matrix.tsv'], /cannot open \/nonexistent\/matrix.tsv: no such file or directory/],
    ['unknown pair member', ['haplotype', fixture('small.tsv'), '--pairs', '3a:zz'], /--pairs: 'zz' is not a haplotype column/],
    ['bad --pairs syntax', ['haplotype', fixture('small.tsv'), '--pairs', '3a-3b'], /--pairs: expected NAME:NAME/],
    ['unwritable output', ['haplotype', fixture('small.tsv'), '-o', '/nonexistent/dir/out.tsv'], /cannot write \/nonexistent\/dir\/out.tsv: no such directory \/nonexistent\/dir$/],
    ['no header', ['haplotype', fixture('small.noheader.tsv')], /no header line .* and no --header file given/],
    ['unknown option', ['haplotype', fixture('small.tsv'), '--bogus'], /Unknown argument: bogus/],
    ['bad thread count', ['haplotype', fixture('small.tsv'), '--threads', '0'], /--threads must be a whole number/],
    ['pack to a .gz name', ['pack', fixture('small.tsv'), '-o', '/tmp/packed.arrow.gz'], /cannot write \/tmp\/packed.arrow.gz: pack writes an uncompressed Arrow IPC file, reopened in place without a parse; name it .arrow, not .gz$/],
  ];
  for (const [name, args, message] of usageErrors) {
    it(`${name}: exit 2 and one line`, () => {
      const run = runCli(args);
      assert.equal(run.status, 2, run.stderr);
      assertOneLine(run.stderr);
      assert.match(run.stderr.trim(), message);
    });
  }

  // Permission bits do not stop root, so as root the CLI runs as the unprivileged user `nobody`,
  // which must be able to reach the built CLI: not so in a checkout inside a private directory.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const unreachable = process.getuid?.() === 0 && runCli(['--version'], asUser).status !== 0 && 'the user nobody cannot run the built CLI here: is the checkout inside a private (0700) directory?';
  it('an unreadable input and an unwritable output directory: exit 2 and one line', { skip: unreachable }, () => {
    chmodSync(scratch.dir, 0o755);
    const secret = file('secret.tsv', readFileSync(fixture('small.tsv')));
    chmodSync(secret, 0o000);
    const run = runCli(['haplotype', secret], asUser);
    assert.equal(run.status, 2, run.stderr);
    assertOneLine(run.stderr);
    assert.match(run.stderr.trim(), /cannot open .*secret.tsv: permission denied$/);

    const locked = join(scratch.dir, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    const denied = runCli(['haplotype', fixture('small.tsv'), '-o', join(locked, 'out.tsv')], asUser);
    assert.equal(denied.status, 2, denied.stderr);
    assertOneLine(denied.stderr);
    assert.match(denied.stderr.trim(), /cannot write .*locked\/out.tsv: permission denied$/);
    assert.deepEqual(readdirSync(locked), []);
  });

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
