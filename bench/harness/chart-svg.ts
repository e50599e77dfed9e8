// A self-contained SVG chart of the results: median wall time and median peak memory against
// input size, one line per approach and thread count, log-log axes (so linear growth is a line
// of slope 1, and approaches an order of magnitude apart stay readable). No script, no CDN.

import { CellStatus, type BenchResults } from './bench-results.js';

const COLORS = ['#1b7837', '#c51b7d', '#2166ac', '#8c6d31', '#762a83', '#e08214'];
const PANEL = { width: 440, height: 300, left: 64, right: 16, top: 36, bottom: 48 };

interface Series {
  name: string;
  color: string;
  dashed: boolean;
  /** Draw a dot at each point (not for the guide line). */
  marks: boolean;
  points: { x: number; y: number }[];
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Ticks 1, 2, 5 x 10^k covering [lo, hi]. */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo / 1.0001 && v <= hi * 1.0001) ticks.push(v);
    }
  }
  return ticks;
}

function label(v: number): string {
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  return String(Number(v.toPrecision(3)));
}

function panel(x0: number, title: string, unit: string, series: Series[], xLabel = 'sites'): string {
  const all = series.flatMap((s) => s.points);
  const [xs, ys] = [all.map((p) => p.x), all.map((p) => p.y)];
  const xlo = Math.min(...xs) / 1.4;
  const xhi = Math.max(...xs) * 1.4;
  const ylo = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const yhi = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const w = PANEL.width - PANEL.left - PANEL.right;
  const h = PANEL.height - PANEL.top - PANEL.bottom;
  const sx = (x: number): number => x0 + PANEL.left + ((Math.log(x) - Math.log(xlo)) / (Math.log(xhi) - Math.log(xlo))) * w;
  const sy = (y: number): number => PANEL.top + h - ((Math.log(y) - Math.log(ylo)) / (Math.log(yhi) - Math.log(ylo))) * h;
  const out: string[] = [];
  out.push(`<text x="${x0 + PANEL.left + w / 2}" y="22" text-anchor="middle" font-weight="bold">${escape(title)}</text>`);
  out.push(`<rect x="${x0 + PANEL.left}" y="${PANEL.top}" width="${w}" height="${h}" fill="none" stroke="#888"/>`);
  for (const t of logTicks(ylo, yhi)) {
    const y = sy(t).toFixed(1);
    out.push(`<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.left + w}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${x0 + PANEL.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${label(t)}</text>`);
  }
  for (const t of [...new Set(xs)].sort((a, b) => a - b)) {
    const x = sx(t).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${PANEL.top}" y2="${PANEL.top + h}" stroke="#eee"/>`);
    out.push(`<text x="${x}" y="${PANEL.top + h + 16}" text-anchor="middle">${label(t)}</text>`);
  }
  out.push(`<text x="${x0 + PANEL.left + w / 2}" y="${PANEL.height - 10}" text-anchor="middle">${escape(xLabel)} (log)</text>`);
  out.push(`<text transform="translate(${x0 + 16} ${PANEL.top + h / 2}) rotate(-90)" text-anchor="middle">${escape(unit)} (log)</text>`);
  for (const s of series) {
    const points = s.points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`);
    if (points.length > 1) {
      out.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    }
    if (s.marks) for (const p of points) out.push(`<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3.5" fill="${s.color}"/>`);
  }
  return out.join('\n');
}

/** Adds a grey line of exactly linear growth from the first series' smallest size, to judge scaling by eye. */
function withLinearGuide(series: Series[]): Series[] {
  const first = series[0]?.points;
  const start = first?.[0];
  const end = first?.[first.length - 1];
  if (!start || !end || first.length < 2) return series;
  return [...series, { name: `linear growth from ${series[0]?.name}`, color: '#999', dashed: true, marks: false, points: [start, { x: end.x, y: (start.y * end.x) / start.x }] }];
}

/** The SVG text of the time and memory chart. */
export function chartSvg(results: BenchResults): string {
  const cells = results.cells.filter((c) => c.status === CellStatus.ok && c.wallMs && c.peakRssBytes && c.approach !== 'copy');
  const approaches = [...new Set(cells.map((c) => c.approach))];
  const maxThreads = Math.max(...results.options.threads);
  // genomatrix with the most threads first: the linear guide starts from it.
  const keys = [...new Set(cells.map((c) => `${c.approach}\t${c.threads}`))].sort((a, b) => {
    const [x, xt] = a.split('\t');
    const [y, yt] = b.split('\t');
    return approaches.indexOf(x ?? '') - approaches.indexOf(y ?? '') || Number(yt) - Number(xt);
  });
  const series = (value: (c: (typeof cells)[number]) => number): Series[] =>
    keys.map((key) => {
      const [approach, threads] = key.split('\t') as [string, string];
      const mine = cells.filter((c) => c.approach === approach && c.threads === Number(threads)).sort((a, b) => a.sites - b.sites);
      const first = mine[0];
      return {
        name: `${first?.label ?? approach}, ${threads} thread${threads === '1' ? '' : 's'}`,
        color: COLORS[approaches.indexOf(approach) % COLORS.length] as string,
        dashed: Number(threads) !== maxThreads,
        marks: true,
        points: mine.map((c) => ({ x: c.sites, y: value(c) })),
      };
    });
  if (keys.length === 0) return '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><text x="10" y="25">no results</text></svg>\n';
  const time = withLinearGuide(series((c) => (c.wallMs?.median ?? 0) / 1000));
  const memory = withLinearGuide(series((c) => (c.peakRssBytes?.median ?? 0) / (1024 * 1024)));
  const legendTop = PANEL.height + 8;
  const width = 2 * PANEL.width;
  const height = legendTop + 20 * time.length + 34;
  const legend = time.map((s, i) => {
    const y = legendTop + 20 * i + 10;
    return (
      `<line x1="${PANEL.left}" x2="${PANEL.left + 30}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>` +
      `<text x="${PANEL.left + 38}" y="${y}" dominant-baseline="middle">${escape(s.name)}</text>`
    );
  });
  const note = `${results.machine.cpu}, ${results.machine.availableParallelism} cores, Node ${results.machine.node}, ${results.date.slice(0, 10)}; medians of ${results.options.runs} runs`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    panel(0, 'Wall time, haplotype table', 'seconds', time),
    panel(PANEL.width, 'Peak memory, whole process tree', 'MB', memory),
    ...legend,
    `<text x="${PANEL.left}" y="${height - 10}" fill="#555">${escape(note)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

/** One line of a scale chart: a command family's median time and memory at each x. */
export interface ScalePoint {
  x: number;
  wallMs: number;
  peakBytes: number;
}

/** Time and memory against `xLabel` (contigs, haplotypes), one line per series, log-log. */
export function scaleChartSvg(title: string, xLabel: string, lines: { name: string; points: ScalePoint[] }[], note: string): string {
  const make = (value: (p: ScalePoint) => number): Series[] =>
    lines.map((line, i) => ({ name: line.name, color: COLORS[i % COLORS.length] as string, dashed: false, marks: true, points: line.points.map((p) => ({ x: p.x, y: value(p) })) }));
  const drawn = lines.filter((line) => line.points.length > 0);
  if (drawn.length === 0) return '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><text x="10" y="25">no results</text></svg>\n';
  const time = make((p) => p.wallMs / 1000);
  const memory = make((p) => p.peakBytes / (1024 * 1024));
  const legendTop = PANEL.height + 8;
  const width = 2 * PANEL.width;
  const height = legendTop + 20 * time.length + 34;
  const legend = time.map((s, i) => {
    const y = legendTop + 20 * i + 10;
    return `<line x1="${PANEL.left}" x2="${PANEL.left + 30}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2"/><text x="${PANEL.left + 38}" y="${y}" dominant-baseline="middle">${escape(s.name)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    panel(0, `Wall time ${title}`, 'seconds', time, xLabel),
    panel(PANEL.width, `Peak memory ${title}`, 'MB', memory, xLabel),
    ...legend,
    `<text x="${PANEL.left}" y="${height - 10}" fill="#555">${escape(note)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
