// The results as a Markdown table for people (printed by `npm run bench`, pasted into README.md).

import { CellStatus, type BenchResults, type ResultCell } from './bench-results.js';

const MB = 1024 * 1024;

const seconds = (ms: number): string => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const megabytes = (bytes: number): string => (bytes / MB).toFixed(0);
const count = (n: number): string => (n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : n.toLocaleString('en-US'));

/** "4.3x" when the other approach takes 4.3 times genomatrix's time (or memory). */
function factor(ratio: number | undefined): string {
  if (ratio === undefined) return '';
  const other = 1 / ratio;
  return `${other.toFixed(other < 10 ? 1 : 0)}x`;
}

function row(cell: ResultCell, results: BenchResults): string {
  const head = `| ${cell.label} | ${count(cell.sites)} | ${cell.threads} |`;
  if (cell.status !== CellStatus.ok || !cell.wallMs || !cell.peakRssBytes) return `${head} ${cell.status}: ${cell.reason ?? ''} | | | | | |`;
  const ratio = results.ratios.find((r) => r.approach === cell.approach && r.sites === cell.sites && r.threads === cell.threads);
  const agreement = cell.comparison ? cell.comparison.agreement : cell.approach === 'genomatrix' ? 'reference' : '-';
  return (
    `${head} ${seconds(cell.wallMs.min)} / ${seconds(cell.wallMs.median)} | ${megabytes(cell.peakRssBytes.median)} | ` +
    `${cell.bytesPerCell?.toFixed(2) ?? ''} | ${factor(ratio?.genomatrixOverOther.wallMedian)} | ` +
    `${factor(ratio?.genomatrixOverOther.peakRssMedian)} | ${agreement} |`
  );
}

/** The results table, the parallel speed-ups and the conditions, in Markdown. */
export function formatReport(results: BenchResults): string {
  const { machine, options } = results;
  const lines = [
    `| approach | sites | threads | wall min / median (s) | peak RSS (MB) | bytes per cell | time vs genomatrix | memory vs genomatrix | output |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---|`,
    ...results.cells.map((cell) => row(cell, results)),
  ];
  if (results.speedups.length > 0) {
    lines.push('', 'Parallel speed-up (median wall time):');
    for (const s of results.speedups) lines.push(`- ${s.approach}, ${count(s.sites)} sites: ${s.fromThreads} -> ${s.toThreads} threads ${s.speedup.toFixed(2)}x`);
  }
  if (results.partial) lines.push('', '(Partial results: the run did not reach all its sizes.)');
  lines.push(
    '',
    `${options.runs} runs after 1 warm-up; matrices of ${options.contigs} contigs x ${options.haplotypes} haplotypes (seed ${options.seed}); ` +
      `peak RSS of the whole process tree sampled every ${options.intervalMs} ms; "x" columns: the other approach's median over genomatrix's. ` +
      `${machine.cpu}, ${machine.availableParallelism} cores, Node ${machine.node}${machine.inflate ? `, inflate: ${machine.inflate === 'isal' ? 'ISA-L' : 'node:zlib'}` : ''}${machine.deflate ? `, BGZF deflate: ${machine.deflate === 'libdeflate' ? 'libdeflate' : 'node:zlib'}` : ''}; load average ${machine.loadAverageAtStart.toFixed(1)} at start. ` +
      `${results.date.slice(0, 10)}.`,
  );
  return lines.join('\n');
}
