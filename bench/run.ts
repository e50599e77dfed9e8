// `npm run bench`: genomatrix against the naive Node.js approach, DuckDB (when installed) and the
// copy floor, side by side on the same generated matrices. Every measured command is a child
// process; see bench/README.md for what is measured and how.
//
// Usage: node dist/bench/run.js [--sizes 1000000,4000000] [--threads 1,2] [--runs 5]
//          [--approaches genomatrix,c,pandas,naive-node,duckdb,copy] [--scenarios startup,compressed,vcf,contigs,haplotypes|none]
//          [--json] [--quick] [--data-dir DIR]

import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { approaches, type Approach } from './harness/approaches.js';
import { benchMatrix, SEED_SHAPE, type BenchMatrix } from './harness/bench-matrix.js';
import { formatReport } from './harness/bench-report.js';
import { CellStatus, compareCells, machineInfo, spread, type BenchResults, type ResultCell } from './harness/bench-results.js';
import { chartSvg, scaleChartSvg } from './harness/chart-svg.js';
import { Agreement, compareOutputs } from './harness/compare-outputs.js';
import { measureCommand, type Measurement } from './harness/measure-command.js';
import { runScenario, targetResult, type CommandResult, type TargetResult } from './harness/run-scenarios.js';
import { FULL_SIZES, QUICK_SIZES, scenarios, TargetKind, type TargetRule } from './harness/scenarios.js';
import { formatScenarios, formatTargets } from './harness/targets-report.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string' },
    threads: { type: 'string' },
    runs: { type: 'string' },
    approaches: { type: 'string' },
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: join(root, 'bench', 'data') },
    'results-dir': { type: 'string', default: join(root, 'bench', 'results') },
    contigs: { type: 'string', default: String(SEED_SHAPE.contigs) },
    haplotypes: { type: 'string', default: String(SEED_SHAPE.haplotypes) },
    seed: { type: 'string', default: String(SEED_SHAPE.seed) },
    interval: { type: 'string', default: '10' },
    timeout: { type: 'string', default: '600' },
    scenarios: { type: 'string' },
    warmups: { type: 'string', default: '1' },
  },
});

const numbers = (text: string, what: string): number[] => {
  const list = text.split(',').map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--${what}: expected positive integers separated by commas, got '${text}'`);
  return list;
};
const cores = availableParallelism();
const sizes = numbers(args.sizes ?? (args.quick ? '100000' : '1000000,4000000'), 'sizes');
const threadCounts = [...new Set(numbers(args.threads ?? (args.quick ? String(cores) : `1,${cores}`), 'threads'))].sort((a, b) => a - b);
const runs = numbers(args.runs ?? (args.quick ? '2' : '5'), 'runs')[0] as number;
const intervalMs = Number(args.interval);
const timeoutMs = Number(args.timeout) * 1000;
const shape = { contigs: Number(args.contigs), haplotypes: Number(args.haplotypes), seed: Number(args.seed) };
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const buildDir = join(args['data-dir'], 'build');
const known = approaches(root, buildDir);
const chosen: Approach[] = args.approaches
  ? args.approaches.split(',').map((name) => {
      const approach = known.find((a) => a.name === name.trim());
      if (!approach) throw new Error(`--approaches: no approach '${name}' (known: ${known.map((a) => a.name).join(', ')})`);
      return approach;
    })
  : known;
if (!chosen.some((a) => a.name === 'genomatrix')) chosen.unshift(known[0] as Approach);

const outputDir = join(args['data-dir'], 'out');
mkdirSync(outputDir, { recursive: true });

/** Why a run failed, or undefined when it succeeded. */
function failure(m: Measurement): string | undefined {
  if (m.timedOut) return `timed out after ${args.timeout} s`;
  if (m.exitCode === 0) return undefined;
  return `${m.signal ? `killed by ${m.signal}` : `exit code ${m.exitCode}`}: ${m.stderrTail.split('\n').slice(-2).join(' ').slice(0, 200)}`;
}

/** An approach's cell of the sites table, and where its output goes. */
interface CellEntry {
  approach: Approach;
  cell: ResultCell;
  output: string;
}

/** Slow baselines of a matrix still to run (`measureSize`), and the output theirs is compared with. */
interface Deferred {
  matrix: BenchMatrix;
  entries: CellEntry[];
  reference: { output?: string };
}

/**
 * Measures every chosen approach on one matrix with one thread count: warm-ups, then the runs
 * round-robin. A slow baseline (`maxRuns`: pandas + Pool, some 8 GB) is only given its cell: it
 * runs after every other measurement of the bench (`runSlow`). Run among the rounds, it left the
 * machine's memory in another state for all that followed (the seed shape's peak 10 MiB higher in
 * the rounds after it; bench/README.md).
 */
async function measureSize(matrix: BenchMatrix, threads: number, reference: { output?: string }): Promise<{ cells: ResultCell[]; slow: Deferred }> {
  const cells: CellEntry[] = [];
  for (const approach of chosen) {
    if (!approach.threaded && threads !== threadCounts[threadCounts.length - 1]) continue;
    const cellThreads = approach.threaded ? threads : 1;
    const cell: ResultCell = { approach: approach.name, label: approach.label, sites: matrix.sites, threads: cellThreads, status: CellStatus.ok, runs: [] };
    if (!approach.producesTable) cell.floor = true;
    const reason = approach.unavailable();
    if (reason) Object.assign(cell, { status: CellStatus.unavailable, reason });
    cells.push({ approach, cell, output: join(outputDir, `${approach.name}-${matrix.sites}-t${cellThreads}.tsv`) });
  }
  const interleaved = cells.filter((entry) => entry.approach.maxRuns === undefined);
  for (const entry of interleaved) await measure(matrix, entry, true);
  for (let run = 0; run < runs; run++) {
    for (const entry of interleaved) await measure(matrix, entry, false);
  }
  await settle(matrix, interleaved, reference);
  return { cells: cells.map((entry) => entry.cell), slow: { matrix, entries: cells.filter((entry) => entry.approach.maxRuns !== undefined), reference } };
}

/** The slow baselines of a measured size: no warm-up (the others have warmed the page cache), at most `maxRuns` runs. */
async function runSlow({ matrix, entries, reference }: Deferred): Promise<void> {
  for (const entry of entries) for (let run = 0; run < Math.min(entry.approach.maxRuns ?? runs, runs); run++) await measure(matrix, entry, false);
  await settle(matrix, entries, reference);
}

/** One run of an approach's command on `matrix` into its cell (a warm-up's kept apart). */
async function measure(matrix: BenchMatrix, entry: CellEntry, warmup: boolean): Promise<void> {
  const { approach, cell, output } = entry;
  if (cell.status !== CellStatus.ok) return;
  const [command, commandArgs] = approach.command(matrix.path, cell.threads);
  const m = await measureCommand(command, commandArgs, { stdoutFile: output, intervalMs, timeoutMs, pss: approach.pss ?? false });
  // A forking approach's memory is its tree's summed PSS (RSS counts shared pages once per process).
  if (m.peakPssBytes !== undefined) m.peakRssBytes = m.peakPssBytes;
  const problem = failure(m);
  log(`  ${approach.name.padEnd(11)} ${String(cell.threads).padStart(2)} thr ${warmup ? 'warm-up' : 'run    '} ${(m.wallMs / 1000).toFixed(2).padStart(7)} s ${(m.peakRssBytes / 2 ** 20).toFixed(0).padStart(6)} MiB${problem ? `  FAILED ${problem}` : ''}`);
  if (problem) {
    Object.assign(cell, { status: CellStatus.failed, reason: problem });
    return;
  }
  if (warmup) cell.warmup = m;
  else cell.runs.push(m);
}

/** The measured cells' figures, and each one's output compared with genomatrix's (the first is the reference). */
async function settle(matrix: BenchMatrix, entries: CellEntry[], reference: { output?: string }): Promise<void> {
  for (const { approach, cell, output } of entries) {
    if (cell.status !== CellStatus.ok) continue;
    cell.wallMs = spread(cell.runs.map((m) => m.wallMs));
    cell.peakRssBytes = spread(cell.runs.map((m) => m.peakRssBytes));
    cell.bytesPerCell = cell.peakRssBytes.median / (matrix.sites * matrix.cellsPerSite);
    cell.outputBytes = statSync(output).size;
    if (!approach.producesTable) continue;
    if (approach.name === 'genomatrix' && !reference.output) {
      reference.output = output;
      cell.outputLines = (await compareOutputs(output, output)).lines;
      continue;
    }
    if (!reference.output) continue;
    cell.comparison = await compareOutputs(reference.output, output);
    cell.outputLines = cell.comparison.lines;
    if (cell.comparison.agreement === Agreement.mismatch) {
      const d = cell.comparison.firstDifference;
      log(`\n*** OUTPUT MISMATCH: ${approach.name} (${cell.threads} threads) differs from genomatrix at line ${d?.line} ***\n  genomatrix: ${d?.expected}\n  ${approach.name}: ${d?.actual}\n`);
    }
  }
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const results: BenchResults = {
    date: new Date().toISOString(),
    command: ['npm run bench --', ...process.argv.slice(2)].join(' ').replace(/ --$/, ''),
    machine,
    options: { sizes, threads: threadCounts, runs, ...shape, intervalMs },
    matrices: [],
    partial: true,
    cells: [],
    ratios: [],
    speedups: [],
  };
  log(`bench: sizes ${sizes.join(', ')} sites; threads ${threadCounts.join(', ')}; ${runs} runs after 1 warm-up; load average ${machine.loadAverageAtStart.toFixed(2)}`);
  // The slow baselines of each size, run last (see `measureSize`); each size's outputs kept until then.
  const deferred: Deferred[] = [];
  for (const sites of sizes) {
    const matrix = benchMatrix(args['data-dir'], join(root, 'dist', 'scripts', 'generate-matrix.js'), { sites, ...shape }, log);
    results.matrices.push({ sites, file: matrix.path.replace(root, ''), bytes: matrix.bytes, contigs: matrix.contigs, haplotypes: matrix.haplotypes });
    log(`${sites} sites (${(matrix.bytes / 2 ** 20).toFixed(0)} MB): ${matrix.path}`);
    const reference: { output?: string } = {};
    for (const threads of threadCounts) {
      const { cells, slow } = await measureSize(matrix, threads, reference);
      results.cells.push(...cells);
      deferred.push(slow);
    }
    // Saved after every size, so that a long run cut short keeps what it measured.
    if (sites !== sizes[sizes.length - 1]) saveResults(results, true);
  }
  results.targets = seedTargets(results.cells);
  const scenarioNames = args.scenarios === 'none' ? [] : (args.scenarios ?? 'startup,compressed,vcf,contigs,haplotypes').split(',').map((name) => name.trim());
  const outDir = join(args['data-dir'], 'out-scenarios');
  mkdirSync(outDir, { recursive: true });
  const context = { root, dataDir: args['data-dir'], outDir, threads: threadCounts[threadCounts.length - 1] as number, log };
  results.scenarios = [];
  for (const scenario of scenarioNames.length === 0 ? [] : scenarios(context, args.quick ? QUICK_SIZES : FULL_SIZES, scenarioNames)) {
    const result = await runScenario(scenario, { runs, warmups: Number(args.warmups), intervalMs, timeoutMs, log });
    results.scenarios.push(result);
    results.targets.push(...result.targets);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    saveResults(results, true);
  }
  for (const slow of deferred) await runSlow(slow);
  rmSync(outputDir, { recursive: true, force: true });
  const report = saveResults(results, false);
  if (args.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  else process.stdout.write(report + '\n');
  if (results.cells.some((cell) => cell.comparison?.agreement === Agreement.mismatch)) {
    log('bench: some outputs differ from genomatrix (see MISMATCH above)');
    process.exitCode = 1;
  }
}

/** The seed-shaped targets, from the sites table's largest size with the most threads (the runs there are interleaved rounds). */
function seedTargets(cells: ResultCell[]): TargetResult[] {
  const largest = Math.max(...cells.map((c) => c.sites));
  const threads = threadCounts[threadCounts.length - 1];
  const asCommand = (name: string): CommandResult | undefined => {
    const cell = cells.find((c) => c.approach === name && c.sites === largest && (c.threads === threads || name === 'copy'));
    if (!cell) return undefined;
    const result: CommandResult = { name, label: cell.label, runs: cell.runs };
    if (cell.status !== CellStatus.ok) result.failed = `${cell.status}: ${cell.reason ?? ''}`;
    if (cell.wallMs) result.wallMs = cell.wallMs;
    if (cell.peakRssBytes) result.peakBytes = cell.peakRssBytes;
    return result;
  };
  const sites = largest.toLocaleString('en-US');
  const rules: TargetRule[] = [
    { title: `haplotype, ${sites} sites: genomatrix vs C`, subject: 'genomatrix', baseline: 'c', kind: TargetKind.ratioAtMost, limit: 1.15, goal: '1.0x' },
    { title: `haplotype, ${sites} sites: genomatrix vs DuckDB (8x faster)`, subject: 'genomatrix', baseline: 'duckdb', kind: TargetKind.ratioAtMost, limit: 0.125 },
    { title: `haplotype, ${sites} sites: peak memory`, subject: 'genomatrix', baseline: 'copy', kind: TargetKind.mibAtMost, limit: 256 },
  ];
  return rules.map((rule) => targetResult(rule, asCommand(rule.subject), asCommand(rule.baseline)));
}

/** Writes the JSON, the chart and its page; returns the Markdown report. */
function saveResults(results: BenchResults, partial: boolean): string {
  Object.assign(results, compareCells(results.cells), { partial });
  const name = args.quick ? 'quick' : 'latest';
  const chart = name === 'latest' ? 'chart' : `${name}-chart`;
  mkdirSync(args['results-dir'], { recursive: true });
  const report = [
    '### Targets',
    '',
    formatTargets(results.targets ?? []),
    '',
    '### Haplotype table against sites',
    '',
    formatReport(results),
    formatScenarios(results.scenarios ?? []),
  ].join('\n');
  const svg = chartSvg(results);
  for (const scenario of results.scenarios ?? []) {
    if (!scenario.chart) continue;
    const series = [...new Set(scenario.commands.filter((c) => c.series).map((c) => c.series as string))];
    const lines = series.map((name) => ({
      name,
      points: scenario.commands
        .filter((c) => c.series === name && c.x !== undefined && c.wallMs && c.peakBytes)
        .map((c) => ({ x: c.x as number, wallMs: c.wallMs?.median ?? 0, peakBytes: c.peakBytes?.median ?? 0 }))
        .sort((a, b) => a.x - b.x),
    }));
    const note = `${results.machine.cpu}, ${results.machine.availableParallelism} cores, Node ${results.machine.node}, ${results.date.slice(0, 10)}; medians of ${results.options.runs} runs`;
    const file = args.quick ? `quick-${scenario.chart.file}` : scenario.chart.file;
    writeFileSync(join(args['results-dir'], file), scaleChartSvg(scenario.chart.title, scenario.chart.xLabel, lines, note));
  }
  writeFileSync(join(args['results-dir'], `${name}.json`), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(args['results-dir'], `${chart}.svg`), svg);
  writeFileSync(join(args['results-dir'], `${chart}.html`), chartPage(svg, report, results.command));
  log(`results${partial ? ' so far' : ''}: ${join(args['results-dir'], `${name}.json`)}`);
  return report;
}

/** A small self-contained HTML page: the chart and the table. */
function chartPage(svg: string, report: string, command: string): string {
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!doctype html>\n<meta charset="utf-8">\n<title>genomatrix benchmarks</title>\n<h1>genomatrix benchmarks</h1>\n<p><code>${escape(command)}</code></p>\n${svg}\n<pre>${escape(report)}</pre>\n`;
}

main().catch((error: unknown) => {
  log(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
