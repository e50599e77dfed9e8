// BGZF input is inflated by the workers, block group by block group (read/bgzf-index.ts): the
// tables must be the bytes the plain input gives, whatever the groups' size, for files made by the
// real bgzip (Debian package tabix), concatenated BGZF files and lines that cross groups, with
// either inflater (src/read/inflate.ts); a damaged block is named, at its byte.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { haplotype, loadMatrix } from '../src/index.js';
import { bgzfGroups, isBgzfFile } from '../src/read/bgzf-index.js';
import { inflaters } from '../src/read/inflate.js';
import { assertOneLine, fixture, generate, runCli, scratchDir } from './helpers.js';
import { convert } from './in-process.js';

const bgzip = spawnSync('bgzip', ['--version'], { stdio: 'ignore' }).error === undefined;

describe('BGZF input', { skip: bgzip ? false : 'bgzip is not installed (Debian package tabix)' }, () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  const compress = (input: string, output: string, args: string[] = []): string => {
    const run = spawnSync('sh', ['-c', `bgzip ${args.join(' ')} -c "$0" > "$1"`, input, output], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    return output;
  };

  it('gives the stored fixture\'s expected table, through the CLI', () => {
    const bgz = compress(fixture('small.tsv'), join(scratch.dir, 'small.tsv.bgz'));
    assert.ok(isBgzfFile(bgz));
    const run = runCli(['haplotype', bgz]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, readFileSync(fixture('small.expected.tsv'), 'utf8'));
  });

  it('gives the plain input\'s table with block groups of every size, lines crossing groups, and no final line end', async () => {
    const plain = join(scratch.dir, 'split.tsv');
    generate(plain, ['--contigs', '3', '--sites', '10000', '--haplotypes', '9', '--seed', '11', '--split-contigs']);
    const text = readFileSync(plain);
    const unterminated = join(scratch.dir, 'unterminated.tsv');
    writeFileSync(unterminated, text.subarray(0, text.length - 1));
    const expected = await convert('haplotype', plain);
    for (const input of [plain, unterminated]) {
      const bgz = compress(input, `${input}.bgz`);
      const size = readFileSync(bgz).length;
      const groups = bgzfGroups(bgz, size, 1000);
      assert.ok(groups.length >= 8, `${groups.length} groups: one a block`);
      // The walk reads the file a buffer at a time: a block cut by the buffer's end is read again whole.
      for (const readBytes of [1, 4096, 40_000]) assert.deepEqual(bgzfGroups(bgz, size, 1000, readBytes), groups, `read ${readBytes} bytes at a time`);
      assert.ok(size > 40_000 + (1 << 16), `${size} bytes: more than one buffer's worth`);
      // With each inflater: the workers take GENOMATRIX_INFLATE from this process's environment when they start.
      for (const inflate of inflaters.isal ? ['isal', 'zlib'] : ['zlib']) {
        for (const chunkBytes of [1024, 5000, 70_000, 1 << 23]) {
          process.env.GENOMATRIX_INFLATE = inflate;
          const matrix = await loadMatrix(bgz, { chunkBytes, threads: 2 });
          delete process.env.GENOMATRIX_INFLATE;
          const out = join(scratch.dir, `out-${chunkBytes}.tsv`);
          try {
            await haplotype(matrix, { output: out });
          } finally {
            await matrix.close();
          }
          assert.equal(readFileSync(out, 'utf8'), expected, `${input}, chunkBytes ${chunkBytes}, ${inflate}`);
        }
      }
    }
  });

  it('feeds every command the plain input\'s rows, loaded in memory and streamed with --low-memory', async () => {
    const plain = join(scratch.dir, 'grouped.tsv');
    generate(plain, ['--contigs', '3', '--sites', '3000', '--haplotypes', '5', '--seed', '5']);
    const bgz = compress(plain, `${plain}.bgz`);
    assert.ok(isBgzfFile(bgz));
    // Through the library in process: the CLI reads a BGZF input in the first test.
    for (const command of ['haplotype', 'vcf', 'stats'] as const) {
      for (const lowMemory of [false, true]) {
        const expected = await convert(command, plain, { threads: 2, lowMemory });
        assert.ok(expected.split('\n').length > 4, `${command}: the plain input gives rows`);
        assert.equal(await convert(command, bgz, { threads: 2, lowMemory }), expected, `${command} ${lowMemory ? '--low-memory' : ''}`);
      }
    }
  });

  it('reads concatenated BGZF files (an empty end block in the middle)', () => {
    const head = join(scratch.dir, 'head.tsv');
    const tail = join(scratch.dir, 'tail.tsv');
    const lines = readFileSync(fixture('small.tsv'), 'utf8').split('\n');
    writeFileSync(head, lines.slice(0, 7).join('\n') + '\n');
    writeFileSync(tail, lines.slice(7).join('\n'));
    const joined = join(scratch.dir, 'joined.tsv.bgz');
    writeFileSync(joined, Buffer.concat([readFileSync(compress(head, `${head}.bgz`)), readFileSync(compress(tail, `${tail}.bgz`))]));
    const run = runCli(['haplotype', joined]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, readFileSync(fixture('small.expected.tsv'), 'utf8'));
  });

  it('names the damaged block of a BGZF file, with either inflater, and writes no output', () => {
    const plain = join(scratch.dir, 'damaged.tsv');
    generate(plain, ['--contigs', '2', '--sites', '20000', '--haplotypes', '8', '--seed', '3']);
    const bgz = readFileSync(compress(plain, `${plain}.bgz`));
    // The sixth block: its deflate data (bytes 100-140 of it), then its trailer's size.
    let at = 0;
    for (let k = 0; k < 5; k++) at += bgz.readUInt16LE(at + 16) + 1;
    const size = bgz.readUInt16LE(at + 16) + 1;
    assert.ok(at + size < bgz.length - 28, 'the file has more blocks after it');
    const data = Buffer.from(bgz);
    for (let k = at + 100; k < at + 140; k++) data[k] = (data[k] as number) ^ 0x55;
    const trailer = Buffer.from(bgz);
    trailer[at + size - 4] = (trailer[at + size - 4] as number) ^ 1;
    for (const [name, bytes] of [['data', data], ['size', trailer]] as const) {
      const damaged = join(scratch.dir, `damaged-${name}.tsv.gz`);
      writeFileSync(damaged, bytes);
      for (const inflate of inflaters.isal ? ['isal', 'zlib'] : ['zlib']) {
        const out = join(scratch.dir, `damaged-${name}-${inflate}.out`);
        const run = runCli(['haplotype', damaged, '-o', out, '--threads', '2'], { env: { GENOMATRIX_INFLATE: inflate } });
        assert.equal(run.status, 1, `${name}, ${inflate}: ${run.stderr}`);
        assertOneLine(run.stderr);
        assert.match(run.stderr, new RegExp(`^genomatrix: ${damaged}: corrupt BGZF block at byte ${at}: `), `${name}, ${inflate}`);
        assert.ok(!existsSync(out), 'no output');
      }
    }
  });

  it('says which byte of a truncated BGZF file is wrong', () => {
    const bgz = readFileSync(compress(fixture('small.tsv'), join(scratch.dir, 'whole.bgz')));
    const cut = join(scratch.dir, 'cut.tsv.bgz');
    writeFileSync(cut, bgz.subarray(0, bgz.length - 40));
    const run = runCli(['haplotype', cut]);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /cut\.tsv\.bgz.*(truncated|corrupt) BGZF/);
  });
});
