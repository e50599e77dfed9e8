// What a SLURM cluster says about its jobs, read two ways: `scontrol show job --oneliner` while they
// run (the controller forgets a job MinJobAge seconds after it ends), and the controller's job
// completion log (JobCompType=jobcomp/filetxt: one line per ended job, written by slurmctld from
// the same record). Used by test/slurm.test.ts; runs the real commands of the cluster SLURM_CONF names.

import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** One job as the controller holds it: what it was given, where it ran from, how it ended. */
export interface SlurmJob {
  id: string;
  name: string;
  state: string;
  cpus: number;
  memMb: number;
  /** The time limit in minutes. */
  minutes: number;
  workDir: string;
}

/** The Key=Value fields of one line (no value of ours holds a space). */
function fields(line: string): Map<string, string> {
  return new Map([...line.matchAll(/(?:^|\s)([\w/:]+)=(\S*)/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

/** `mem=513M` / `mem=1G` of a TRES list, in MB (SLURM's M is 2^20 bytes, as Snakemake's mem_mb is passed). */
export function tresMemMb(tres: string): number {
  const mem = /(?:^|,)mem=([\d.]+)([KMGT])/.exec(tres);
  if (!mem) throw new Error(`no mem in TRES '${tres}'`);
  const scale = { K: 1 / 1024, M: 1, G: 1024, T: 1024 * 1024 }[mem[2] as 'K' | 'M' | 'G' | 'T'];
  return Math.round(Number(mem[1]) * scale);
}

/** `[days-]hours:minutes:seconds` or a plain minute count, in minutes. */
export function limitMinutes(limit: string): number {
  const m = /^(?:(\d+)-)?(\d+):(\d+):(\d+)$/.exec(limit);
  if (!m) return Number(limit);
  return Number(m[1] ?? 0) * 1440 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 60;
}

function required(map: Map<string, string>, key: string, line: string): string {
  const value = map.get(key);
  if (value === undefined) throw new Error(`no ${key} in: ${line}`);
  return value;
}

/** A line of `scontrol show job --oneliner`. */
export function parseScontrolJob(line: string): SlurmJob {
  const f = fields(line);
  return {
    id: required(f, 'JobId', line),
    name: required(f, 'JobName', line),
    state: required(f, 'JobState', line),
    cpus: Number(required(f, 'NumCPUs', line)),
    memMb: tresMemMb(required(f, 'TRES', line)),
    minutes: limitMinutes(required(f, 'TimeLimit', line)),
    workDir: required(f, 'WorkDir', line),
  };
}

/** A line of the jobcomp/filetxt completion log. */
export function parseCompletedJob(line: string): SlurmJob {
  const f = fields(line);
  return {
    id: required(f, 'JobId', line),
    name: required(f, 'Name', line),
    state: required(f, 'JobState', line),
    cpus: Number(required(f, 'ProcCnt', line)),
    memMb: tresMemMb(required(f, 'Tres', line)),
    minutes: limitMinutes(required(f, 'TimeLimit', line)),
    workDir: required(f, 'WorkDir', line),
  };
}

/** The cluster's answer to `sinfo` (throws, saying why, when it does not answer). */
export function clusterState(): { version: string; nodes: string } {
  const version = spawnSync('sinfo', ['--version'], { encoding: 'utf8' });
  const nodes = spawnSync('sinfo', ['-h', '-N', '-o', '%N %c CPUs %m MB %T'], { encoding: 'utf8', timeout: 20_000 });
  if (version.status !== 0 || nodes.status !== 0 || !/\b(idle|mixed|allocated)\b/.test(nodes.stdout)) {
    throw new Error(`GENOMATRIX_SLURM is set, but the SLURM cluster (SLURM_CONF=${process.env.SLURM_CONF ?? 'unset'}) does not answer with a usable node: ${(version.stderr + nodes.stderr + nodes.stdout).trim() || 'no output'}`);
  }
  return { version: version.stdout.trim(), nodes: nodes.stdout.trim() };
}

/** Where slurmctld logs ended jobs (`scontrol show config`); the cluster must log them as text. */
export function completionLog(): string {
  const config = spawnSync('scontrol', ['show', 'config'], { encoding: 'utf8' }).stdout;
  const type = /^JobCompType\s*=\s*(\S+)/m.exec(config)?.[1];
  const loc = /^JobCompLoc\s*=\s*(\S+)/m.exec(config)?.[1];
  if (type !== 'jobcomp/filetxt' || !loc) throw new Error(`the cluster must log ended jobs with JobCompType=jobcomp/filetxt (scripts/slurm-cluster.sh does); it has ${type ?? 'none'}`);
  return loc;
}

/** The ended jobs submitted from workDir, once count of them are in the completion log (waits up to 30 s). */
export async function completedJobs(log: string, workDir: string, count: number): Promise<SlurmJob[]> {
  let jobs: SlurmJob[] = [];
  for (let tries = 0; tries < 60; tries++) {
    const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((line) => line.startsWith('JobId=')) : [];
    jobs = lines.map(parseCompletedJob).filter((job) => job.workDir === workDir);
    if (jobs.length >= count) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return jobs;
}

/** A finished command, its wall time, and the jobs from its directory that `scontrol` showed while it ran. */
export interface WatchedRun {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  seen: Map<string, SlurmJob>;
}

/** Runs a command in cwd (ended after timeoutMs), asking `scontrol show job` about cwd's jobs every second until it ends. */
export async function runWatched(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 600_000): Promise<WatchedRun> {
  const started = performance.now();
  const seen = new Map<string, SlurmJob>();
  let running = true;
  const watch = (async () => {
    while (running) {
      try {
        const { stdout } = await execFileAsync('scontrol', ['show', 'job', '--oneliner'], { timeout: 10_000 });
        for (const line of stdout.split('\n').filter((l) => l.startsWith('JobId='))) {
          const job = parseScontrolJob(line);
          if (job.workDir === cwd) seen.set(job.id, job);
        }
      } catch {
        // A missed look is made up by the next one; the completion log is the full record.
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  running = false;
  await watch;
  return { status, stdout, stderr, seconds: (performance.now() - started) / 1000, seen };
}
