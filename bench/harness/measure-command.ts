// Runs one command as a child process and measures it from the outside: wall time from spawn to
// exit (process.hrtime), and peak resident memory of the whole process tree, sampled from /proc.
//
// Memory: every `intervalMs` the sampler finds the child and all its descendants (by walking the
// parent pid of every /proc/<pid>/stat) and sums their VmRSS; threads share their process's RSS,
// so worker threads are counted once, with their process. Sampling can miss a peak shorter than
// the interval, so each process's own high-water mark (VmHWM, kept exactly by the kernel) is read
// too; the reported peak is the larger of the sampled tree sum and the largest single VmHWM, both
// lower bounds of the true peak.

import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';

/** What one run of a command cost. */
export interface Measurement {
  wallMs: number;
  /** Peak resident memory of the process tree, bytes (see the file comment). */
  peakRssBytes: number;
  /** Largest sampled sum of VmRSS over the tree, bytes. */
  sampledTreeRssBytes: number;
  /** Largest VmHWM of any single process of the tree, bytes. */
  maxProcessHwmBytes: number;
  /**
   * Peak of the summed proportional set size (PSS, /proc/<pid>/smaps_rollup) over the tree, bytes,
   * when asked for (`pss`): a page shared by k processes counts 1/k in each, so forked workers'
   * copy-on-write pages are counted once in all, where summing RSS counts them once per process.
   */
  peakPssBytes?: number;
  /**
   * CPU time (user + system, all threads) of the process tree, ms: each process's last sampled
   * utime + stime from /proc/<pid>/stat, summed (so the last sampling interval of each is missed).
   * Less sensitive than wall time to other work on a shared machine.
   */
  cpuMs: number;
  /** Largest number of processes seen at once in the tree. */
  processes: number;
  samples: number;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The last lines of the child's stderr. */
  stderrTail: string;
}

/** Options of `measureCommand`. */
export interface MeasureOptions {
  /** The child's standard output goes to this file (truncated first). */
  stdoutFile: string;
  intervalMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill the child (SIGKILL) after this many milliseconds; the measurement then has signal SIGKILL and `timedOut`. */
  timeoutMs?: number;
  /** Also sample the tree's summed PSS, every `pssIntervalMs` (default 100): reading smaps_rollup walks page tables, too slow for every sample. */
  pss?: boolean;
  pssIntervalMs?: number;
}

/** Reads `Key:   1234 kB` from a /proc status text, in bytes (0 when absent). */
function statusKilobytes(status: string, key: string): number {
  const at = status.indexOf(`${key}:`);
  if (at < 0) return 0;
  const match = /^\s*(\d+)/.exec(status.slice(at + key.length + 1, at + key.length + 40));
  return match ? Number(match[1]) * 1024 : 0;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

/** utime + stime of a process (all its threads), in clock ticks, or undefined when it is gone. */
function cpuTicksOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 0, utime field 11, stime field 12.
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** PSS of one process in bytes, from /proc/<pid>/smaps_rollup (0 when it is gone). */
function pssBytes(pid: number): number {
  try {
    return statusKilobytes(readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1'), 'Pss');
  } catch {
    return 0;
  }
}

/** Parent pid of every process now visible in /proc. */
function parentPids(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const c = entry.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      // pid (comm) state ppid ...: comm may contain spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // the process ended between readdir and read
    }
  }
  return parents;
}

/** The pid and all its descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentPids()) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}

/** Samples the memory of a process tree until stopped. */
class TreeSampler {
  sampledTreeRss = 0;
  maxProcessHwm = 0;
  /** Last seen CPU ticks (utime + stime) of each process of the tree. */
  readonly cpuTicks = new Map<number, number>();
  peakPss = 0;
  private readonly pssTimer: NodeJS.Timeout | undefined;
  processes = 0;
  samples = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly root: number,
    intervalMs: number,
    pssIntervalMs?: number,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    if (pssIntervalMs !== undefined) this.pssTimer = setInterval(() => this.samplePss(), pssIntervalMs);
  }

  /** Sums PSS over the whole tree (walked afresh: a Pool forks its workers at any time). */
  samplePss(): void {
    let sum = 0;
    for (const pid of processTree(this.root)) sum += pssBytes(pid);
    this.peakPss = Math.max(this.peakPss, sum);
  }

  sample(): void {
    // Walking all of /proc costs ~1 ms; the tree rarely changes, so re-walk only every 10th sample.
    const tree = this.samples % 10 === 0 || !this.tree ? (this.tree = processTree(this.root)) : this.tree;
    let sum = 0;
    let alive = 0;
    for (const pid of tree) {
      let status: string;
      try {
        status = readFileSync(`/proc/${pid}/status`, 'latin1');
      } catch {
        continue;
      }
      alive++;
      sum += statusKilobytes(status, 'VmRSS');
      const ticks = cpuTicksOf(pid);
      if (ticks !== undefined) this.cpuTicks.set(pid, ticks);
      this.maxProcessHwm = Math.max(this.maxProcessHwm, statusKilobytes(status, 'VmHWM'));
    }
    this.samples++;
    this.processes = Math.max(this.processes, alive);
    this.sampledTreeRss = Math.max(this.sampledTreeRss, sum);
  }

  private tree: number[] | undefined;

  stop(): void {
    clearInterval(this.timer);
    clearInterval(this.pssTimer);
  }
}

/**
 * Runs `command args` with stdout to a file, sampling its process tree's memory; resolves when it exits.
 *
 * @example
 * const m = await measureCommand('node', ['dist/src/cli/main.js', 'haplotype', 'm.tsv'], { stdoutFile: 'out.tsv' });
 */
export function measureCommand(command: string, args: readonly string[], options: MeasureOptions): Promise<Measurement> {
  const out = openSync(options.stdoutFile, 'w');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', out, 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
    closeSync(out);
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      stderr = (stderr + text).slice(-4000);
    });
    if (child.pid === undefined) {
      child.once('error', reject);
      return;
    }
    const sampler = new TreeSampler(child.pid, options.intervalMs ?? 10, options.pss ? (options.pssIntervalMs ?? 100) : undefined);
    child.once('error', (error) => {
      sampler.stop();
      reject(error);
    });
    let wallMs = 0;
    let timedOut = false;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, options.timeoutMs)
      : undefined;
    child.once('exit', () => {
      wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      sampler.stop();
      clearTimeout(timer);
    });
    // 'close' comes after 'exit' once stderr is drained.
    child.once('close', (exitCode, signal) => {
      resolve({
        wallMs,
        peakRssBytes: Math.max(sampler.sampledTreeRss, sampler.maxProcessHwm),
        sampledTreeRssBytes: sampler.sampledTreeRss,
        maxProcessHwmBytes: sampler.maxProcessHwm,
        cpuMs: ([...sampler.cpuTicks.values()].reduce((sum, ticks) => sum + ticks, 0) * 1000) / CLOCK_TICKS,
        ...(options.pss ? { peakPssBytes: sampler.peakPss } : {}),
        processes: sampler.processes,
        samples: sampler.samples,
        exitCode,
        signal,
        timedOut,
        stderrTail: stderr.split('\n').slice(-6).join('\n').trim(),
      });
    });
  });
}
