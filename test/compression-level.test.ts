// BGZF outputs at every deflate level: `-l/--compression-level 0-9` (as bgzip and bcftools take
// it) changes the compressed bytes, never the text they inflate to; the default level is
// DEFAULT_BGZF_LEVEL; merge-stats writes BGZF for a `.gz` name like the other text commands; a
// level outside 0-9 is a usage error.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_BGZF_LEVEL, formats, loadMatrix, stats, vcf, writeFormat, type Matrix } from '../src/index.js';
import { BGZF_EOF, deflaters } from '../src/write/bgzf.js';
import { assertOneLine, fixture, runCli, scratchDir } from './helpers.js';

const bgzipAccepts = (file: string): void => {
  const test = spawnSync('bgzip', ['-t', file], { encoding: 'utf8' });
  assert.equal(test.status, 0, `bgzip -t ${file}: ${test.stderr}`);
};

describe('BGZF compression level', () => {
  const scratch = scratchDir();
  const out = (name: string): string => join(scratch.dir, name);
  const input = fixture('small.tsv');
  let matrix: Matrix;
  before(async () => {
    matrix = await loadMatrix(input, { threads: 2 });
  });
  after(async () => {
    await matrix.close();
    scratch.cleanup();
  });

  it('levels 0, 4 and 9 inflate to the plain VCF; the default is level 4; level 0 is the largest', async () => {
    assert.equal(DEFAULT_BGZF_LEVEL, 4, 'README.md and docs/output-formats.md give the default');
    await vcf(matrix, { output: out('plain.vcf') });
    const plain = readFileSync(out('plain.vcf'), 'utf8');
    for (const level of [undefined, 0, DEFAULT_BGZF_LEVEL, 9]) {
      await vcf(matrix, { output: out(`l${level}.vcf.gz`), compressionLevel: level });
      bgzipAccepts(out(`l${level}.vcf.gz`));
      assert.equal(gunzipSync(readFileSync(out(`l${level}.vcf.gz`))).toString('utf8'), plain);
    }
    assert.deepEqual(readFileSync(out('lundefined.vcf.gz')), readFileSync(out(`l${DEFAULT_BGZF_LEVEL}.vcf.gz`)));
    assert.ok(statSync(out('l0.vcf.gz')).size > statSync(out('l9.vcf.gz')).size, 'level 0 stores, level 9 compresses');
    // The header block and every range's blocks take the level: level 0 stores all of them.
    assert.ok(statSync(out('l0.vcf.gz')).size > plain.length);
  });

  it('the output formats take it too', async () => {
    await writeFormat(formats.bed, matrix, { output: out('sites.bed') });
    await writeFormat(formats.bed, matrix, { output: out('sites.bed.gz'), compressionLevel: 0 });
    bgzipAccepts(out('sites.bed.gz'));
    assert.equal(gunzipSync(readFileSync(out('sites.bed.gz'))).toString('utf8'), readFileSync(out('sites.bed'), 'utf8'));
    assert.ok(statSync(out('sites.bed.gz')).size > statSync(out('sites.bed')).size);
  });

  it('merge-stats -o NAME.gz is BGZF that inflates to the stats of the whole matrix, with -l', async () => {
    await stats(matrix, { output: out('whole.tsv') });
    const [first] = matrix.contigs;
    const rest = matrix.contigs.slice(1).map((contig) => contig.name);
    assert.ok(first && rest.length > 0, 'the fixture has several contigs');
    for (const [name, contigs] of [['a.json', first.name], ['b.json', rest.join(',')]] as const) {
      const run = runCli(['stats', input, '--contigs', contigs, '--json', '-q', '-o', out(name)]);
      assert.equal(run.status, 0, run.stderr);
    }
    const run = runCli(['merge-stats', out('a.json'), out('b.json'), '-l', '9', '-o', out('merged.tsv.gz')]);
    assert.equal(run.status, 0, run.stderr);
    bgzipAccepts(out('merged.tsv.gz'));
    assert.equal(gunzipSync(readFileSync(out('merged.tsv.gz'))).toString('utf8'), readFileSync(out('whole.tsv'), 'utf8'));
  });

  /** The BGZF blocks of `bytes`: each block's size, read from its header. */
  const blockSizes = (bytes: Uint8Array): number[] => {
    const sizes: number[] = [];
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let at = 0; at < view.length; at += (sizes.at(-1) as number)) {
      assert.deepEqual([...view.subarray(at, at + 4)], [0x1f, 0x8b, 8, 4], `a block header at byte ${at}`);
      sizes.push(view.readUInt16LE(at + 16) + 1);
    }
    return sizes;
  };

  it('each deflater: BGZF blocks of at most 64 KiB that inflate to the bytes, at every level, incompressible bytes too', async () => {
    await vcf(matrix, { output: out('text.vcf') });
    const vcfText = readFileSync(out('text.vcf'));
    const text = Buffer.concat(Array.from({ length: Math.ceil(300_000 / vcfText.length) }, () => vcfText));
    const noise = randomBytes(200_000);
    for (const [name, deflate] of Object.entries(deflaters)) {
      for (let level = 0; level <= 9; level++) {
        for (const bytes of [text, noise, Buffer.alloc(0), text.subarray(0, 0xff00)]) {
          const blocks = deflate(bytes, level);
          const sizes = blockSizes(blocks);
          assert.equal(sizes.length, Math.ceil(bytes.length / 0xff00), `${name} -l ${level}: one block per 65,280 bytes`);
          assert.ok(sizes.every((size) => size <= 1 << 16), `${name} -l ${level}: blocks of at most 64 KiB`);
          assert.ok(gunzipSync(Buffer.concat([blocks, BGZF_EOF])).equals(bytes), `${name} -l ${level}: inflates to the bytes`);
        }
      }
    }
  });

  // htslib maps bgzip's levels onto libdeflate's when it is built with it, as Debian's is.
  const bgzipLibdeflate = /libdeflate/.test(spawnSync('sh', ['-c', 'ldd "$(command -v bgzip)"'], { encoding: 'utf8' }).stdout ?? '');
  const sameBytes = !deflaters.libdeflate ? 'the native binding is not built' : !bgzipLibdeflate ? 'this bgzip is not built with libdeflate' : false;
  it('with libdeflate (the native binding), -l N gives the blocks bgzip -l N gives, byte for byte', { skip: sameBytes }, () => {
    const text = readFileSync(input);
    const repeated = Buffer.concat(Array.from({ length: Math.ceil(200_000 / text.length) }, () => text));
    for (let level = 1; level <= 9; level++) {
      const bgzip = spawnSync('bgzip', ['-l', String(level), '-c'], { input: repeated, maxBuffer: 1 << 26 });
      assert.equal(bgzip.status, 0, String(bgzip.stderr));
      const ours = Buffer.concat([(deflaters.libdeflate as NonNullable<typeof deflaters.libdeflate>)(repeated, level), BGZF_EOF]);
      assert.ok(ours.equals(bgzip.stdout), `-l ${level}: ${ours.length} bytes, bgzip ${bgzip.stdout.length}`);
    }
  });

  for (const level of ['10', 'x', '-1', '2.5']) {
    it(`-l ${level} is a usage error`, () => {
      const run = runCli(['vcf', input, '-l', level, '-o', out('bad.vcf.gz')]);
      assert.equal(run.status, 2);
      assertOneLine(run.stderr);
      assert.match(run.stderr, new RegExp(`--compression-level must be a whole number from 0 to 9, got '${level.replace('.', '\\.')}'`));
    });
  }
});
