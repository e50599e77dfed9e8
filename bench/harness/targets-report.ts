// The targets of issue 15 as a Markdown table, ratios first, each beside its baseline.

import type { ScenarioResult, TargetResult } from './run-scenarios.js';
import { TargetKind } from './scenarios.js';

const fixed = (v: number, kind: TargetKind): string => (kind === TargetKind.msOverAtMost ? v.toFixed(0) : kind === TargetKind.mibAtMost ? v.toFixed(0) : v.toFixed(2));

function unit(kind: TargetKind): string {
  switch (kind) {
    case TargetKind.ratioAtMost:
      return 'x';
    case TargetKind.msOverAtMost:
      return ' ms';
    case TargetKind.secondsAtMost:
      return ' s';
    case TargetKind.throughputAtLeast:
      return 'x';
    case TargetKind.mibAtMost:
      return ' MiB';
  }
}

function limitText(target: TargetResult): string {
  const comparison = target.kind === TargetKind.throughputAtLeast ? '>=' : '<=';
  const over = target.kind === TargetKind.msOverAtMost ? ' over' : '';
  return `${comparison} ${target.limit}${unit(target.kind)}${over}${target.goal ? ` (goal: ${target.goal})` : ''}`;
}

const seconds = (ms: number | undefined): string => (ms === undefined ? '' : (ms / 1000).toFixed(ms < 1000 ? 3 : 2));

/** One row per target: value min / median / max over the rounds, met or not, and both medians. */
export function formatTargets(targets: readonly TargetResult[]): string {
  const lines = [
    '| target | limit | min / median / max | met | CPU-time ratio min / median / max | genomatrix median (s) | baseline | baseline median (s) |',
    '|---|---|---:|:---:|---:|---:|---|---:|',
  ];
  for (const t of targets) {
    if (!t.value) {
      lines.push(`| ${t.title} | ${limitText(t)} | ${t.reason ?? 'not measured'} | - | | | ${t.baseline} | |`);
      continue;
    }
    const u = unit(t.kind);
    const value = `${fixed(t.value.min, t.kind)} / **${fixed(t.value.median, t.kind)}** / ${fixed(t.value.max, t.kind)}${u}`;
    const cpu = t.cpuRatio ? `${t.cpuRatio.min.toFixed(2)} / ${t.cpuRatio.median.toFixed(2)} / ${t.cpuRatio.max.toFixed(2)}x` : '';
    lines.push(`| ${t.title} | ${limitText(t)} | ${value} | ${t.met ? 'yes' : '**no**'} | ${cpu} | ${seconds(t.subjectMedianMs)} | ${t.baseline} | ${seconds(t.baselineMedianMs)} |`);
  }
  return lines.join('\n');
}

/** Each scenario's commands: wall min / median and peak memory, and its output checks. */
export function formatScenarios(results: readonly ScenarioResult[]): string {
  const lines: string[] = [];
  for (const scenario of results) {
    lines.push('', `**${scenario.title}**${scenario.skipped ? `: skipped (${scenario.skipped})` : ''}`);
    if (scenario.skipped) continue;
    lines.push('', '| command | wall min / median (s) | peak memory median (MiB) |', '|---|---:|---:|');
    for (const c of scenario.commands) {
      if (c.failed || !c.wallMs || !c.peakBytes) lines.push(`| ${c.label} | failed: ${c.failed ?? 'no runs'} | |`);
      else lines.push(`| ${c.label} | ${seconds(c.wallMs.min)} / ${seconds(c.wallMs.median)} | ${(c.peakBytes.median / 2 ** 20).toFixed(0)} |`);
    }
    for (const check of scenario.checks) lines.push('', `Output of ${check.subject} vs ${check.baseline}: ${check.agreement}${check.firstDifference ? ` (${check.firstDifference})` : ''}`);
  }
  return lines.join('\n');
}
