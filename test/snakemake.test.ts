// Scale-out: the Snakemake workflow (workflow/Snakefile) run by a real Snakemake, packing a matrix
// once, converting it in shards of contigs as separate jobs, and merging them (bcftools concat for
// the VCF). Its outputs must be the bytes one `genomatrix` run writes. Submission to a cluster, job by
// job with each job's CPUs and memory, is tested on a real SLURM cluster in test/slurm.test.ts.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { cliPath, generate, root, runCli, scratchDir, withoutCommandLine } from './helpers.js';

const has = (tool: string): boolean => spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0;
// CI installs snakemake and bcftools (.ci/run): there these tests must run, never be skipped.
const skip = !process.env.CI && !(has('snakemake') && has('bcftools')) ? 'snakemake or bcftools is not installed (apt-get install snakemake bcftools)' : false;

const snakefile = join(root, 'workflow', 'Snakefile');
const genomatrix = `${process.execPath} ${cliPath}`;

interface ShardPlan {
  shards: { contigs: { name: string; sites: number }[]; columnBytes: number }[];
}

describe('the Snakemake workflow', { skip }, () => {
  const scratch = scratchDir();
  const matrix = join(scratch.dir, 'matrix.tsv.gz');
  const noHeader = join(scratch.dir, 'body.tsv');
  const names = join(scratch.dir, 'names.tsv');
  const single: Record<'haplotypes' | 'vcf' | 'stats', string> = { haplotypes: '', vcf: '', stats: '' };
  before(() => {
    // 3 contigs, each split into runs (the shards must still come out in order): 2 shards, or one
    // a contig (3 jobs per conversion).
    generate(matrix, ['--contigs', '3', '--sites', '4000', '--haplotypes', '8', '--gzip', '--split-contigs', '--seed', '3']);
    generate(noHeader, ['--contigs', '3', '--sites', '3000', '--haplotypes', '6', '--no-header', '--header-out', names, '--seed', '4']);
    const cli = (args: string[]): string => {
      const run = runCli([...args, '--quiet']);
      assert.equal(run.status, 0, run.stderr);
      return run.stdout;
    };
    single.haplotypes = cli(['haplotype', matrix]);
    // The ##genomatrixCommand line names the run: the merged VCF carries the first shard's.
    single.vcf = withoutCommandLine(cli(['vcf', matrix]));
    single.stats = cli(['stats', matrix]);
  });
  after(scratch.cleanup);

  function snakemake(outdir: string, config: string[], extra: string[] = []) {
    return spawnSync('snakemake', ['-s', snakefile, '--cores', '2', ...extra, '--config', `outdir=${outdir}`, `genomatrix=${genomatrix}`, ...config], {
      cwd: scratch.dir,
      encoding: 'utf8',
      timeout: 300_000,
    });
  }

  // A text matrix in 2 shards, and a packed one (read as it is, no pack job) one contig a shard.
  for (const { shards, packed } of [{ shards: 2, packed: false }, { shards: 0, packed: true }]) {
    it(`shards=${shards}, ${packed ? 'a packed matrix' : 'a gzip text matrix'}: the outputs of one run, byte for byte`, () => {
      const out = join(scratch.dir, `out-${shards}`);
      const input = packed ? join(scratch.dir, 'packed.arrow') : matrix;
      if (packed) assert.equal(runCli(['pack', matrix, '-o', input, '--quiet']).status, 0);
      const run = snakemake(out, [`matrix=${input}`, `shards=${shards}`, 'threads=1']);
      assert.equal(run.status, 0, run.stderr);
      if (packed) {
        assert.doesNotMatch(run.stdout + run.stderr, /rule pack:/, 'no pack job');
        assert.equal(existsSync(join(out, 'matrix.arrow')), false);
      }

      const plan = JSON.parse(readFileSync(join(out, 'shards.json'), 'utf8')) as ShardPlan;
      assert.equal(plan.shards.length, shards || 3);
      assert.deepEqual(plan.shards.flatMap((shard) => shard.contigs.map((contig) => contig.name)), ['chr1', 'chr2', 'chr3'], 'contiguous runs of contigs, in matrix order');

      assert.equal(readFileSync(join(out, 'haplotypes.tsv'), 'utf8'), single.haplotypes);
      assert.equal(withoutCommandLine(gunzipSync(readFileSync(join(out, 'matrix.vcf.gz'))).toString('utf8')), single.vcf, 'bcftools concat of the shards: the header and records of one run');
      assert.equal(readFileSync(join(out, 'stats.tsv'), 'utf8'), single.stats);
      const region = spawnSync('bcftools', ['view', '-H', '-r', 'chr3', join(out, 'matrix.vcf.gz')], { encoding: 'utf8' });
      assert.equal(region.status, 0, region.stderr);
      assert.equal(region.stdout, single.vcf.split('\n').filter((line) => line.startsWith('chr3\t')).map((line) => `${line}\n`).join(''), 'the .csi index serves a region query');
      const shardDir = join(out, 'shards');
      assert.deepEqual(existsSync(shardDir) ? readdirSync(shardDir) : [], [], 'the shard files are temporary');

      const again = snakemake(out, [`matrix=${input}`, `shards=${shards}`], ['--dry-run']);
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stdout + again.stderr, /Nothing to be done/);
    });
  }

  it('a text matrix without a header line, with a header file and explicit pairs', () => {
    // One shard: the header reaches the pack job and the pairs every conversion job (shards are tested above).
    const out = join(scratch.dir, 'out-noheader');
    const run = snakemake(out, [`matrix=${noHeader}`, `header=${names}`, 'pairs=2a:2b,1b:1a', 'shards=1']);
    assert.equal(run.status, 0, run.stderr);
    const direct = runCli(['haplotype', noHeader, '--header', names, '--pairs', '2a:2b,1b:1a', '--quiet']);
    assert.equal(direct.status, 0, direct.stderr);
    assert.equal(readFileSync(join(out, 'haplotypes.tsv'), 'utf8'), direct.stdout);
  });

  it('bad input: the job fails with genomatrix\'s one-line error, and no output is left', () => {
    const bad = join(scratch.dir, 'bad.tsv');
    writeFileSync(bad, 'CHROM\tPOS\tREF\t1a\t1b\nchr1\t10\tA\tA\tC\nchr1\tx\tA\tA\tC\n');
    const out = join(scratch.dir, 'out-bad');
    const run = snakemake(out, [`matrix=${bad}`]);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /^genomatrix: .*bad\.tsv:3:2: POS 'x' is not a positive integer/m);
    assert.equal(existsSync(join(out, 'matrix.arrow')), false);
    assert.equal(existsSync(join(out, 'haplotypes.tsv')), false);

    // A damaged packed matrix fails the first job that reads it, with the same kind of message.
    const packed = join(scratch.dir, 'damaged.arrow');
    assert.equal(runCli(['pack', matrix, '-o', packed, '--quiet']).status, 0);
    truncateSync(packed, statSync(packed).size - 100);
    const damaged = snakemake(join(scratch.dir, 'out-damaged'), [`matrix=${packed}`]);
    assert.notEqual(damaged.status, 0);
    assert.match(damaged.stderr, /^genomatrix: .*damaged\.arrow: truncated Arrow IPC file/m);
    assert.equal(existsSync(join(scratch.dir, 'out-damaged', 'shards.json')), false);
  });
});
