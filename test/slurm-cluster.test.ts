// scripts/slurm-cluster.sh as CI depends on it: a run killed before its `down` leaves the cluster's
// directory behind with its daemons gone, and the next `up` must make it anew, not stop there (a CI
// run once failed so); a directory whose daemons still run, or one the script did not make, is
// refused and left as it is; and a second cluster beside one already up (CI's own, for
// test/slurm.test.ts) takes the next free ports and runs a job. Real daemons: it runs where CI
// runs the SLURM tests (GENOMATRIX_SLURM=1, as root, the packages installed by `up`).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { root, scratchDir } from './helpers.js';

const skip = process.env.GENOMATRIX_SLURM ? false : 'no SLURM packages to start daemons with: set GENOMATRIX_SLURM=1 (CI does)';
const script = join(root, 'scripts', 'slurm-cluster.sh');

describe('scripts/slurm-cluster.sh', { skip }, () => {
  let scratch: ReturnType<typeof scratchDir>;
  let state: string;
  before(() => {
    scratch = scratchDir();
    // munged runs as user munge: it must reach its socket's directory through this one.
    chmodSync(scratch.dir, 0o755);
    state = join(scratch.dir, 'cluster');
  });
  after(() => {
    cluster('down');
    scratch.cleanup();
  });

  /** The script's `command` on the test's own directory. */
  function cluster(command: string): { status: number | null; stderr: string } {
    const run = spawnSync('bash', [script, command], { env: { ...process.env, GENOMATRIX_SLURM_DIR: state, GENOMATRIX_SLURM_PORT: '' }, encoding: 'utf8', timeout: 120_000 });
    return { status: run.status, stderr: run.stderr };
  }

  /** The PID in one of the cluster's PID files. */
  const pidOf = (daemon: string): number => Number(readFileSync(join(state, `${daemon}.pid`), 'utf8').trim());

  it('makes anew a directory a killed run left, takes free ports beside another cluster, and runs a job', () => {
    assert.equal(cluster('up').status, 0);
    // Killed as a run's end would kill them, without `down`: the directory stays, its daemons go.
    for (const daemon of ['slurmd', 'slurmctld', 'munged']) process.kill(pidOf(daemon), 'SIGKILL');
    spawnSync('sleep', ['0.5']);
    assert.ok(existsSync(join(state, '.genomatrix-slurm')), 'the directory is left behind');

    const again = cluster('up');
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /was left by a run that ended without down, its daemons gone: made anew/);
    const conf = readFileSync(join(state, 'slurm.conf'), 'utf8');
    const port = Number(/^SlurmctldPort=(\d+)$/m.exec(conf)?.[1]);
    // CI's own cluster (SLURM_CONF) holds its ports: this one took others.
    const theirs = process.env.SLURM_CONF && existsSync(process.env.SLURM_CONF) ? Number(/^SlurmctldPort=(\d+)$/m.exec(readFileSync(process.env.SLURM_CONF, 'utf8'))?.[1]) : undefined;
    if (theirs !== undefined) assert.notEqual(port, theirs, "ports other than the running cluster's");

    const out = join(scratch.dir, 'job.out');
    const job = spawnSync('sbatch', ['--wait', '--time=5', '-o', out, '--wrap', 'echo ran on the second cluster'], { env: { ...process.env, SLURM_CONF: join(state, 'slurm.conf') }, encoding: 'utf8', timeout: 120_000 });
    assert.equal(job.status, 0, job.stderr);
    assert.equal(readFileSync(out, 'utf8'), 'ran on the second cluster\n');
  });

  it('refuses a directory whose daemons run, and one it did not make, leaving both as they are', () => {
    // The cluster of the test before is up.
    const running = cluster('up');
    assert.notEqual(running.status, 0);
    assert.match(running.stderr, /the cluster is up already/);
    assert.equal(spawnSync('kill', ['-0', String(pidOf('slurmctld'))]).status, 0, 'its controller still runs');
    assert.equal(cluster('down').status, 0);
    assert.ok(!existsSync(state), 'down removes the directory');

    mkdirSync(state);
    writeFileSync(join(state, 'notes.txt'), 'not a cluster');
    const foreign = cluster('up');
    assert.notEqual(foreign.status, 0);
    assert.match(foreign.stderr, /exists and was not made by scripts\/slurm-cluster\.sh: left alone/);
    assert.equal(readFileSync(join(state, 'notes.txt'), 'utf8'), 'not a cluster');
  });
});
