// Measures a scenario's commands in interleaved rounds (the order reversed every other round, so
// that neither side always runs on a warmer machine), checks outputs, and computes its targets from
// per-round values: each round's subject against the same round's baseline.

import { statSync } from 'node:fs';
import { spread, type Spread } from './bench-results.js';
import { Agreement, compareOutputs } from './compare-outputs.js';
import { measureCommand, type Measurement } from './measure-command.js';
import { TargetKind, type Scenario, type ScenarioCommand, type TargetRule } from './scenarios.js';

const MIB = 1024 * 1024;

/** One command's runs and their summary. */
export interface CommandResult {
  name: string;
  label: string;
  x?: number;
  series?: string;
  cells?: number;
  failed?: string;
  runs: Measurement[];
  wallMs?: Spread;
  peakBytes?: Spread;
}

/** A target's value over the rounds, its limit, and whether the median meets it. */
export interface TargetResult {
  title: string;
  kind: TargetKind;
  limit: number;
  goal?: string;
  subject: string;
  baseline: string;
  /** min / median / max of the per-round values. */
  value?: Spread;
  /** For time ratios: min / median / max of the per-round CPU-time ratios (user + system of the process trees), less sensitive to a shared machine. */
  cpuRatio?: Spread;
  subjectMedianMs?: number;
  baselineMedianMs?: number;
  subjectPeakMiB?: number;
  met?: boolean;
  /** Why there is no value. */
  reason?: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  skipped?: string;
  commands: CommandResult[];
  targets: TargetResult[];
  checks: { subject: string; baseline: string; agreement: string; firstDifference?: string }[];
  chart?: Scenario['chart'];
}

/** Options of a scenario run. */
export interface RunOptions {
  runs: number;
  /** Unmeasured runs of each command first (default 1). */
  warmups?: number;
  intervalMs: number;
  timeoutMs: number;
  log: (line: string) => void;
}

/** The per-round value of a target (see `TargetKind`). */
function roundValue(rule: TargetRule, subject: Measurement, baseline: Measurement, cells: { subject?: number; baseline?: number }): number {
  switch (rule.kind) {
    case TargetKind.ratioAtMost:
      return subject.wallMs / baseline.wallMs;
    case TargetKind.msOverAtMost:
      return subject.wallMs - baseline.wallMs;
    case TargetKind.secondsAtMost:
      return subject.wallMs / 1000;
    case TargetKind.throughputAtLeast:
      return ((cells.subject ?? 1) / subject.wallMs) / ((cells.baseline ?? 1) / baseline.wallMs);
    case TargetKind.mibAtMost:
      return subject.peakRssBytes / MIB;
  }
}

/** A target from the runs of its two commands (run i of each from the same round). */
export function targetResult(rule: TargetRule, subject: CommandResult | undefined, baseline: CommandResult | undefined): TargetResult {
  const result: TargetResult = { title: rule.title, kind: rule.kind, limit: rule.limit, subject: rule.subject, baseline: rule.baseline };
  if (rule.goal) result.goal = rule.goal;
  if (!subject || !baseline) return { ...result, reason: `not measured (${!subject ? rule.subject : rule.baseline})` };
  if (subject.failed || baseline.failed) return { ...result, reason: subject.failed ?? baseline.failed ?? '' };
  const rounds = Math.min(subject.runs.length, baseline.runs.length);
  if (rounds === 0) return { ...result, reason: 'no runs' };
  const values = Array.from({ length: rounds }, (_, i) =>
    roundValue(rule, subject.runs[i] as Measurement, baseline.runs[i] as Measurement, { subject: subject.cells, baseline: baseline.cells }),
  );
  const value = spread(values);
  if (rule.kind === TargetKind.ratioAtMost || rule.kind === TargetKind.throughputAtLeast) {
    const cpu = Array.from({ length: rounds }, (_, i) => {
      const [a, b] = [subject.runs[i] as Measurement, baseline.runs[i] as Measurement];
      const ratio = a.cpuMs / Math.max(1, b.cpuMs);
      return rule.kind === TargetKind.throughputAtLeast ? (subject.cells ?? 1) / (baseline.cells ?? 1) / ratio : ratio;
    });
    result.cpuRatio = spread(cpu);
  }
  const met = rule.kind === TargetKind.throughputAtLeast ? value.median >= rule.limit : value.median <= rule.limit;
  return {
    ...result,
    value,
    subjectMedianMs: subject.wallMs?.median,
    baselineMedianMs: baseline.wallMs?.median,
    subjectPeakMiB: (subject.peakBytes?.median ?? 0) / MIB,
    met,
  } as TargetResult;
}

/** Runs a scenario: `warmups` warm-ups each (default 1), then `runs` interleaved rounds; then the checks and the targets. */
export async function runScenario(scenario: Scenario, options: RunOptions): Promise<ScenarioResult> {
  const base = { id: scenario.id, title: scenario.title, ...(scenario.chart ? { chart: scenario.chart } : {}) };
  if (scenario.skipped) return { ...base, skipped: scenario.skipped, commands: [], targets: scenario.targets.map((rule) => targetResult(rule, undefined, undefined)), checks: [] };
  options.log(`${scenario.title}`);
  const results = scenario.commands.map((command): CommandResult => {
    const result: CommandResult = { name: command.name, label: command.label, runs: [] };
    if (command.x !== undefined) result.x = command.x;
    if (command.series !== undefined) result.series = command.series;
    if (command.cells !== undefined) result.cells = command.cells;
    return result;
  });
  const measure = async (command: ScenarioCommand, result: CommandResult, warmup: boolean): Promise<void> => {
    if (result.failed) return;
    const m = await measureCommand(command.program, command.args, { stdoutFile: `${command.output}.stdout`, intervalMs: options.intervalMs, timeoutMs: options.timeoutMs });
    const failed = m.timedOut ? `timed out after ${options.timeoutMs / 1000} s` : m.exitCode !== 0 ? `exit ${m.exitCode ?? m.signal}: ${m.stderrTail.split('\n').pop()?.slice(0, 160) ?? ''}` : undefined;
    options.log(`  ${command.name.padEnd(16)} ${warmup ? 'warm-up' : 'run    '} ${(m.wallMs / 1000).toFixed(3).padStart(8)} s ${(m.peakRssBytes / MIB).toFixed(0).padStart(6)} MiB${failed ? `  FAILED ${failed}` : ''}`);
    if (failed) result.failed = failed;
    else if (!warmup) result.runs.push(m);
  };
  const pairs = scenario.commands.map((command, i) => [command, results[i] as CommandResult] as const);
  for (let w = 0; w < (options.warmups ?? 1); w++) for (const [command, result] of pairs) await measure(command, result, true);
  for (let round = 0; round < options.runs; round++) {
    const order = round % 2 === 0 ? pairs : [...pairs].reverse();
    for (const [command, result] of order) await measure(command, result, false);
  }
  for (const result of results) {
    if (result.runs.length === 0) continue;
    result.wallMs = spread(result.runs.map((m) => m.wallMs));
    result.peakBytes = spread(result.runs.map((m) => m.peakRssBytes));
  }
  const byName = new Map(results.map((r) => [r.name, r]));
  const outputOf = new Map(scenario.commands.map((c) => [c.name, c.output]));
  const checks: ScenarioResult['checks'] = [];
  for (const [subject, baseline] of scenario.sameBytes) {
    const [a, b] = [outputOf.get(subject), outputOf.get(baseline)];
    if (!a || !b || byName.get(subject)?.failed || byName.get(baseline)?.failed || !statSync(a, { throwIfNoEntry: false }) || !statSync(b, { throwIfNoEntry: false })) continue;
    const comparison = await compareOutputs(b, a);
    const check: ScenarioResult['checks'][number] = { subject, baseline, agreement: comparison.agreement };
    if (comparison.agreement !== Agreement.identical && comparison.firstDifference) {
      check.firstDifference = `line ${comparison.firstDifference.line}: ${comparison.firstDifference.actual} / ${comparison.firstDifference.expected}`;
    }
    if (comparison.agreement !== Agreement.identical) options.log(`*** OUTPUT MISMATCH: ${subject} differs from ${baseline}: ${check.firstDifference ?? comparison.agreement}`);
    checks.push(check);
  }
  const targets = scenario.targets.map((rule) => targetResult(rule, byName.get(rule.subject), byName.get(rule.baseline)));
  return { ...base, commands: results, targets, checks };
}
