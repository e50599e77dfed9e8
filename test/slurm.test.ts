// Scale-out on a real SLURM cluster: the shipped workflow (workflow/Snakefile) submitted job by job
// through sbatch to a one-node cluster (scripts/slurm-cluster.sh up; .ci/run starts one and sets
// GENOMATRIX_SLURM=1 and SLURM_CONF), both ways Snakemake 7 users run it: the README's
// `--cluster 'sbatch --parsable ...'` and the shipped profile (workflow/profiles/slurm, `--slurm`).
// Each run's outputs must be the bytes of single `genomatrix` runs; a failing job must show
// genomatrix's one-line error and leave no output; and each job must get from SLURM the CPUs,
// memory and time limit the Snakefile sizes for it. Those are read from the controller's job
// completion log (every ended job, nothing to race against), and cross-checked with
// `scontrol show job`, polled while the jobs run (SLURM forgets a job MinJobAge s after it ends).
// The runs go concurrently: the cluster queues their jobs on its 2 CPUs.

import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { cliPath, root, runCli, scratchDir, withoutCommandLine } from './helpers.js';
import { clusterState, completedJobs, completionLog, runWatched, type SlurmJob, type WatchedRun } from './slurm-jobs.js';

// CI (.ci/run) sets GENOMATRIX_SLURM: then a cluster that does not answer fails the tests.
const skip = process.env.GENOMATRIX_SLURM ? false : 'no SLURM cluster: set GENOMATRIX_SLURM=1 and SLURM_CONF (scripts/slurm-cluster.sh up prints it)';

const demo = join(root, 'examples', 'data', 'demo.tsv.gz');
// The README's --cluster command line has this sbatch; CI=true makes Snakemake look every 1 s.
const sbatch = 'sbatch --parsable --cpus-per-task={threads} --mem={resources.mem_mb} --time={resources.runtime}';

/**
 * The README's SLURM command lines (its scale-out section), to run as pasted from a directory
 * holding the demo as matrix.tsv.gz. The one change: the installed package's workflow,
 * `"$(npm root -g)/genomatrix/workflow/...`, is this checkout's (test/pasteable.test.ts leaves these
 * lines to this file).
 */
function readmeSlurmLines(): { profile: string; cluster: string } {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const lines = readme.split('\n').filter((line) => line.startsWith('snakemake ')).map((line) => line.replaceAll('"$(npm root -g)/genomatrix/', '"'));
  const profile = lines.find((line) => line.includes('profiles/slurm'));
  const cluster = lines.find((line) => line.includes(`--cluster '${sbatch}'`));
  assert.ok(profile && cluster, 'the README has both SLURM command lines');
  return { profile, cluster };
}

/** A README line with more `--config` settings, after its own. */
function withConfig(line: string, settings: string): string {
  assert.match(line, / shards=2\b/);
  return line.replace(/ shards=2\b/, ` shards=2 ${settings}`);
}
const MiB = 2 ** 20;

interface ShardPlan {
  shards: { contigs: { name: string }[]; columnBytes: number }[];
}

/** What the Snakefile asks for each job, by the sizing docs/scale-out.md tables ("What each job asks for"). */
function expectedJobs(plan: ShardPlan, threads: number, maxMemMb = 16000, maxMinutes = 1440): Map<string, string[]> {
  const job = (cpus: number, memMb: number, mib: number) => `${cpus} CPUs, ${Math.min(maxMemMb, memMb)} MB, ${Math.min(maxMinutes, 10 + Math.ceil(mib / 256))} min`;
  // The demo is gzip: counted as 10 times its size inflated; an in-memory load takes 0.6 times the text.
  const text = (10 * statSync(demo).size) / MiB;
  const shards = plan.shards.map((shard) => job(threads, 256 + Math.ceil(shard.columnBytes / MiB), shard.columnBytes / MiB)).sort();
  // A merge reads the shards' outputs: about twice the columns' bytes.
  const merge = job(1, 1024, (2 * plan.shards.reduce((sum, shard) => sum + shard.columnBytes, 0)) / MiB);
  return new Map([
    ['pack', [job(threads, 512 + Math.ceil(0.6 * text), text)]],
    ['haplotype_shard', shards],
    ['vcf_shard', shards],
    ['stats_shard', shards],
    ['haplotypes', [merge]],
    ['vcf', [merge]],
    ['stats', [merge]],
  ]);
}

/** The rule of a job, from the name Snakemake gives it: snakejob.RULE.N.sh (--cluster) or snakejob_RULE_N (--slurm). */
function ruleOf(job: SlurmJob): string {
  const rule = /^snakejob\.(.+)\.\d+\.sh$/.exec(job.name)?.[1] ?? /^snakejob_(.+)_\d+$/.exec(job.name)?.[1];
  assert.ok(rule, `a Snakemake job name: ${job.name}`);
  return rule;
}

/** Every file under dir (none when it does not exist). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => !entry.isDirectory()).map((entry) => join(entry.parentPath, entry.name));
}

describe('the workflow on a real SLURM cluster', { skip, concurrency: true }, () => {
  const scratch = scratchDir();
  const single = { haplotypes: '', vcf: '', stats: '' };
  let log = '';
  let cluster = { version: '', nodes: '' };
  let env: NodeJS.ProcessEnv = {};
  before(() => {
    cluster = clusterState();
    log = completionLog();
    // `genomatrix` on PATH, as for a user who installed it: the workflow's default command.
    const bin = join(scratch.dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'genomatrix'), `#!/bin/sh\nexec '${process.execPath}' '${cliPath}' "$@"\n`);
    chmodSync(join(bin, 'genomatrix'), 0o755);
    // Snakemake's --slurm needs USER, as a login shell sets it.
    env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, CI: 'true', USER: process.env.USER || userInfo().username };
    for (const command of ['haplotype', 'vcf', 'stats'] as const) {
      const run = runCli([command, demo, '--quiet']);
      assert.equal(run.status, 0, run.stderr);
      single[command === 'haplotype' ? 'haplotypes' : command] = run.stdout;
    }
  });
  after(scratch.cleanup);

  /** A directory to run from, holding `workflow` as a checkout does (the README's commands run from one). */
  function runDir(name: string): string {
    const dir = join(scratch.dir, name);
    mkdirSync(dir);
    symlinkSync(join(root, 'workflow'), join(dir, 'workflow'));
    return dir;
  }

  /** The jobs' own error lines (SLURM output files and job logs), for a failed run's message. */
  function jobErrors(dir: string): string {
    const logs = [...readdirSync(dir).filter((name) => name.startsWith('slurm-')).map((name) => join(dir, name)), ...filesUnder(join(dir, '.snakemake', 'slurm_logs'))];
    return logs.flatMap((file) => readFileSync(file, 'utf8').split('\n').filter((line) => /error|genomatrix:/i.test(line)).map((line) => `${file}: ${line}`)).join('\n');
  }

  function snakemake(dir: string, args: string[]): Promise<WatchedRun> {
    return runWatched('snakemake', ['-s', 'workflow/Snakefile', ...args], dir, env);
  }

  /** Runs a README line with bash in a run directory that holds the demo as matrix.tsv.gz. */
  function pasted(name: string, line: string): { dir: string; out: string; run: Promise<WatchedRun> } {
    const dir = runDir(name);
    copyFileSync(demo, join(dir, 'matrix.tsv.gz'));
    const out = join(dir, /\boutdir=(\S+)/.exec(line)?.[1] ?? 'genomatrix-out');
    return { dir, out, run: runWatched('bash', ['-c', line], dir, env) };
  }

  function assertSingleRunOutputs(out: string): ShardPlan {
    assert.equal(readFileSync(join(out, 'haplotypes.tsv'), 'utf8'), single.haplotypes);
    // The merged VCF keeps the first shard's ##genomatrixCommand line: the rest is the single run's.
    assert.equal(withoutCommandLine(gunzipSync(readFileSync(join(out, 'matrix.vcf.gz'))).toString('utf8')), withoutCommandLine(single.vcf));
    assert.equal(readFileSync(join(out, 'stats.tsv'), 'utf8'), single.stats);
    assert.deepEqual(filesUnder(join(out, 'shards')), [], 'the shard files are temporary');
    const plan = JSON.parse(readFileSync(join(out, 'shards.json'), 'utf8')) as ShardPlan;
    assert.deepEqual(plan.shards.map((shard) => shard.contigs.map((contig) => contig.name)), [['chr1', 'chr2'], ['chr3']]);
    return plan;
  }

  /** Each job ended COMPLETED with the CPUs, memory and time limit asked for; scontrol said the same while they ran. */
  async function assertJobs(dir: string, run: WatchedRun, expected: Map<string, string[]>): Promise<void> {
    const count = [...expected.values()].reduce((sum, jobs) => sum + jobs.length, 0);
    const ended = await completedJobs(log, dir, count);
    assert.equal(ended.length, count, `${count} jobs in the completion log, every job but the shard planning`);
    const granted = new Map<string, string[]>();
    for (const job of ended) {
      assert.equal(job.state, 'COMPLETED', `${job.name}: ${job.state}`);
      granted.set(ruleOf(job), [...(granted.get(ruleOf(job)) ?? []), `${job.cpus} CPUs, ${job.memMb} MB, ${job.minutes} min`].sort());
    }
    assert.deepEqual(granted, expected);
    assert.ok(run.seen.size > 0, 'scontrol show job saw jobs while they ran');
    for (const [id, live] of run.seen) {
      const record = ended.find((job) => job.id === id);
      assert.deepEqual({ ...live, state: '' }, { ...record, state: '' }, `job ${id}: scontrol and the completion log agree`);
    }
  }

  it("the README's --cluster 'sbatch --parsable ...' line: the outputs of single runs, each job with its CPUs, memory and time limit", async (t) => {
    // Default threads (2): pack and the shard jobs ask for both CPUs of the node. Caps added on
    // memory and time: the merges ask 1024 MB, capped to 1000; every job 11 minutes, capped to 9.
    const { dir, out, run: running } = pasted('cluster', withConfig(readmeSlurmLines().cluster, 'max_mem_mb=1000 max_runtime=9'));
    const run = await running;
    t.diagnostic(`${cluster.version}, node ${cluster.nodes}; --cluster sbatch, 10 jobs: ${run.seconds.toFixed(1)} s`);
    assert.equal(run.status, 0, `${run.stderr}\n${jobErrors(dir)}`);
    const plan = assertSingleRunOutputs(out);
    await assertJobs(dir, run, expectedJobs(plan, 2, 1000, 9));
  });

  it("the README's line with the shipped profile (--slurm): the outputs of single runs, each job with its CPUs, memory and time limit", async (t) => {
    // threads=1 added: with --slurm every job runs Snakemake twice (srun inside sbatch); two such jobs at once.
    const { dir, out, run: running } = pasted('profile', withConfig(readmeSlurmLines().profile, 'threads=1'));
    const run = await running;
    t.diagnostic(`--profile workflow/profiles/slurm, 10 jobs: ${run.seconds.toFixed(1)} s`);
    assert.equal(run.status, 0, `${run.stderr}\n${jobErrors(dir)}`);
    assert.match(run.stdout + run.stderr, /submitted with SLURM jobid/, 'the built-in SLURM executor submitted the jobs');
    const plan = assertSingleRunOutputs(out);
    // Worked out by hand for the demo (115,558 bytes of gzip: 1.10 MiB of text; shards of 360,000 and
    // 180,000 column bytes): pack 512 + ceil(0.66) = 513 MB, a shard 256 + 1 = 257 MB, a merge
    // 1024 MB; every time limit 10 + 1 = 11 minutes (all under 256 MiB).
    const expected = expectedJobs(plan, 1);
    assert.deepEqual([expected.get('pack'), expected.get('vcf_shard'), expected.get('vcf')], [['1 CPUs, 513 MB, 11 min'], ['1 CPUs, 257 MB, 11 min', '1 CPUs, 257 MB, 11 min'], ['1 CPUs, 1024 MB, 11 min']]);
    await assertJobs(dir, run, expected);
  });

  const bad = 'CHROM\tPOS\tREF\t1a\t1b\nchr1\t10\tA\tA\tC\nchr1\tx\tA\tA\tC\n';
  const badLine = /^genomatrix: bad\.tsv:3:2: POS 'x' is not a positive integer[^\n]*$/m;

  it('a failing job through --cluster: genomatrix\'s one-line error in the job\'s SLURM output, no output left', async (t) => {
    const dir = runDir('cluster-bad');
    writeFileSync(join(dir, 'bad.tsv'), bad);
    const run = await snakemake(dir, ['--jobs', '10', '--cluster', sbatch, '--config', 'matrix=bad.tsv', 'threads=1']);
    t.diagnostic(`--cluster sbatch, a failing pack: ${run.seconds.toFixed(1)} s`);
    assert.notEqual(run.status, 0);
    // Snakemake names the SLURM job; sbatch wrote the job's output to slurm-<job id>.out.
    const id = /Error executing rule pack on cluster \(jobid: \d+, external: (\d+),/.exec(run.stderr)?.[1];
    assert.ok(id, run.stderr);
    const output = readFileSync(join(dir, `slurm-${id}.out`), 'utf8');
    assert.match(output, badLine);
    assert.equal(output.match(/^genomatrix: /gm)?.length, 1, 'one line');
    assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
    assert.deepEqual(filesUnder(join(dir, 'genomatrix-out')), []);
  });

  it('a failing job through the profile: genomatrix\'s one-line error printed by Snakemake, no output left', async (t) => {
    const dir = runDir('profile-bad');
    writeFileSync(join(dir, 'bad.tsv'), bad);
    const run = await snakemake(dir, ['--profile', 'workflow/profiles/slurm', '--config', 'matrix=bad.tsv', 'threads=1']);
    t.diagnostic(`--profile workflow/profiles/slurm, a failing pack: ${run.seconds.toFixed(1)} s`);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /SLURM-job '\d+' failed, SLURM status is: 'FAILED'/);
    assert.match(run.stderr, badLine, 'the job log, shown by Snakemake');
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(filesUnder(join(dir, 'genomatrix-out')), []);
  });
});
