// Which runs start their worker threads before the command line loads (cli/main.ts,
// dispatch/pool-threads.ts): those of a command that converts a matrix, as the command line gives
// them. Read from the raw arguments, before yargs: anything unusual (help, a malformed thread
// count) starts nothing early, and yargs then reads the arguments as it always does.

/** The commands whose every run puts its work on the worker threads. */
const CONVERSIONS = new Set(['haplotype', 'vcf', 'stats', 'pack']);

/** Arguments after which a run does no conversion. */
const NO_RUN = new Set(['-h', '--help', '--version']);

/**
 * The thread count a run of `args` (the arguments after the script) will ask its pool for, when
 * it is a conversion: `-t`/`--threads` as given (`-t 2`, `-t2`, `--threads 2`, `--threads=2`),
 * else `cores`. Undefined for any other run, and when the count is not a whole number from 1 to
 * 1024 (yargs reports that).
 */
export function earlyThreadCount(args: readonly string[], cores: number): number | undefined {
  if (!CONVERSIONS.has(args[0] ?? '')) return undefined;
  let threads = cores;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') break;
    if (NO_RUN.has(arg)) return undefined;
    let value: string | undefined;
    if (arg === '-t' || arg === '--threads') value = args[++i];
    else if (arg.startsWith('--threads=')) value = arg.slice('--threads='.length);
    else if (arg.startsWith('-t') && !arg.startsWith('--')) value = arg.slice(arg[2] === '=' ? 3 : 2);
    else continue;
    if (value === undefined || !/^\d+$/.test(value)) return undefined;
    threads = Number(value);
    if (threads < 1 || threads > 1024) return undefined;
  }
  return threads;
}
