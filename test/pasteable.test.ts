// Every example a user may paste runs: the examples of every command's --help, and every line of
// every ```sh block in the README, in order, in a scratch directory that holds the demo matrix
// under the names they use (examples/data/demo.tsv.gz, matrix.tsv.gz, matrix.tsv, body.tsv with
// names.tsv, matrix.arrow). `genomatrix` is the built CLI; lines that start with npm or npx run in
// the checkout, with npm's global prefix in the scratch directory, so `npm link` and
// `npm install -g` install there. A line is skipped only when it needs a program the machine
// lacks, is the set-up that .ci/run itself runs, or is a SLURM line (test/slurm.test.ts runs those
// on a real cluster), and the test says which and why. The README's Snakemake command runs the
// installed package's workflow with its binary, and must write what single runs write.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { cliPath, root, runCli, scratchDir, withoutCommandLine } from './helpers.js';

const scratch = scratchDir();
const work = join(scratch.dir, 'work');
const globalPrefix = join(scratch.dir, 'global');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const tarball = join(root, `genomatrix-${version}.tgz`); // what the README's `npm pack` writes

const env = {
  ...process.env,
  USER: process.env.USER ?? userInfo().username, // as in a login shell: Snakemake's --slurm needs it
  PATH: [join(globalPrefix, 'bin'), join(scratch.dir, 'bin'), dirname(process.execPath), process.env.PATH].join(':'),
  npm_config_prefix: globalPrefix,
  npm_config_ignore_scripts: 'true', // the checkout is built already; other test files read dist/ meanwhile
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  npm_config_prefer_offline: 'true',
};

const has = (tool: string): boolean => spawnSync('bash', ['-c', `command -v ${tool}`], { env }).status === 0;

/** Why a line cannot run here, or false. */
function skipReason(line: string): string | false {
  if (/^npm (install|ci|test)$/.test(line)) return 'the set-up itself: .ci/run runs it in a fresh clone';
  // The README's SLURM lines run in test/slurm.test.ts, as pasted, on the cluster CI brings up.
  if (/\b(sbatch|srun|--slurm|--cluster|profiles\/slurm)\b/.test(line)) return 'run as pasted by test/slurm.test.ts, which checks the outputs and each job on a real cluster';
  for (const segment of pipeline(line)) {
    const tool = segment.trim().split(/\s+/)[0] ?? '';
    if (tool !== '' && !has(tool)) return `${tool} is not installed`;
  }
  return false;
}

/** The commands of a pipeline: the line cut at each `|` outside quotes. */
function pipeline(line: string): string[] {
  const segments = [''];
  let quote = '';
  for (const char of line) {
    if (quote === '' && char === '|') segments.push('');
    else {
      if (quote === '' && (char === "'" || char === '"')) quote = char;
      else if (char === quote) quote = '';
      segments[segments.length - 1] += char;
    }
  }
  return segments;
}

/** Runs one pasted line with bash; every command of its pipeline must succeed (or end on a closed pipe). */
function paste(line: string): void {
  const cwd = /^np[mx] /.test(line) ? root : work;
  const run = spawnSync('bash', ['-c', `${line}\nprintf '%s' "\${PIPESTATUS[*]}" >&3`], { cwd, env, encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  const statuses = String(run.output[3] ?? '').split(' ');
  const what = `${line}\n(in ${cwd}) exit ${statuses.join(' ')}\n${run.stderr}`;
  assert.ok(statuses.length > 0 && statuses.every((status) => status === '0' || status === '141'), what);
  assert.ok(statuses.at(-1) === '0', what);
  assert.doesNotMatch(run.stderr, /^genomatrix: (?!warning|note)/m, what);
  assert.doesNotMatch(run.stderr, /npm (warn|error)/i, what);
}

/**
 * The README's workflow command (the workflow and binary of the installed package) wrote what
 * single runs of the built CLI write, byte for byte.
 */
function sameAsSingleRuns(line: string): void {
  const outdir = join(work, /\boutdir=(\S+)/.exec(line)?.[1] ?? 'genomatrix-out');
  const matrix = join(work, /\bmatrix=(\S+)/.exec(line)?.[1] ?? '');
  const single = (args: string[]): string => {
    const run = runCli([...args, matrix, '--quiet']);
    assert.equal(run.status, 0, run.stderr);
    return run.stdout;
  };
  assert.equal(readFileSync(join(outdir, 'haplotypes.tsv'), 'utf8'), single(['haplotype']));
  // The merged VCF's ##genomatrixCommand line is the first shard's command, not the single run's.
  assert.equal(withoutCommandLine(gunzipSync(readFileSync(join(outdir, 'matrix.vcf.gz'))).toString('utf8')), withoutCommandLine(single(['vcf'])));
  assert.equal(readFileSync(join(outdir, 'stats.tsv'), 'utf8'), single(['stats']));
}

/** The commands of `genomatrix --help`. */
function commands(): string[] {
  const help = runCli(['--help']).stdout;
  return [...help.matchAll(/^ {2}genomatrix ([a-z-]+) /gm)].map((match) => match[1] as string);
}

/** A command's examples: each `# what` line and the commands under it. */
function helpExamples(command: string): { what: string; lines: string[] }[] {
  const help = runCli([command, '--help']).stdout;
  const section = help.split('\nExamples:\n')[1]?.split('\n\n')[0] ?? '';
  const examples: { what: string; lines: string[] }[] = [];
  for (const text of section.split('\n')) {
    const line = text.trim();
    if (line.startsWith('# ')) examples.push({ what: line.slice(2), lines: [] });
    else if (line !== '') examples.at(-1)?.lines.push(line);
  }
  return examples;
}

/** The README's ```sh blocks, each a list of lines. */
function readmeBlocks(): string[][] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => (match[1] as string).split('\n').filter((line) => line.trim() !== ''));
}

before(() => {
  mkdirSync(join(work, 'examples', 'data'), { recursive: true });
  mkdirSync(join(scratch.dir, 'bin'));
  const demo = join(root, 'examples', 'data', 'demo.tsv.gz');
  copyFileSync(demo, join(work, 'examples', 'data', 'demo.tsv.gz'));
  copyFileSync(demo, join(work, 'matrix.tsv.gz'));
  const text = gunzipSync(readFileSync(demo)).toString('utf8');
  writeFileSync(join(work, 'matrix.tsv'), text);
  const newline = text.indexOf('\n') + 1;
  writeFileSync(join(work, 'names.tsv'), text.slice(0, newline));
  writeFileSync(join(work, 'body.tsv'), text.slice(newline));
  writeFileSync(join(work, 'ref.fa'), referenceOf(text));
  const packed = runCli(['pack', demo, '-o', join(work, 'matrix.arrow')]);
  assert.equal(packed.status, 0, packed.stderr);
  const shim = join(scratch.dir, 'bin', 'genomatrix');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
  chmodSync(shim, 0o755);
});
after(() => {
  rmSync(tarball, { force: true });
  scratch.cleanup();
});

describe('every example of every command\'s --help runs as pasted', () => {
  const names = commands();
  it('finds the commands', () => assert.ok(names.length >= 6 && names.includes('haplotype'), names.join(' ')));
  for (const command of names) {
    for (const example of helpExamples(command)) {
      it(`${command}: ${example.what}`, (t) => {
        assert.ok(example.lines.length > 0, 'an example has a command');
        for (const line of example.lines) {
          const skip = skipReason(line);
          if (skip) t.diagnostic(`skipped: ${line}: ${skip}`);
          else paste(line);
        }
      });
    }
  }
});

describe('every ```sh line of the README runs as pasted, in order', () => {
  const blocks = readmeBlocks();
  it('finds the blocks', () => assert.ok(blocks.length >= 5));
  blocks.forEach((lines, b) => {
    it(`block ${b + 1}: ${lines[0]}`, (t) => {
      for (const line of lines) {
        const skip = skipReason(line);
        if (skip) t.diagnostic(`skipped: ${line}: ${skip}`);
        else {
          paste(line);
          if (line.startsWith('snakemake ')) sameAsSingleRuns(line);
        }
      }
    });
  });
});

/** A reference FASTA for a matrix: each contig's REF bases at their POS, `N` where it has no row. */
function referenceOf(text: string): string {
  const contigs = new Map<string, string[]>();
  for (const line of text.slice(text.indexOf('\n') + 1).split('\n')) {
    if (line === '') continue;
    const [contig, pos, ref] = line.split('\t') as [string, string, string];
    const bases = contigs.get(contig) ?? [];
    bases[Number(pos) - 1] = /^[ACGTN]$/i.test(ref) ? ref : 'N';
    contigs.set(contig, bases);
  }
  return [...contigs].map(([name, bases]) => `>${name}\n${Array.from(bases, (base) => base ?? 'N').join('')}\n`).join('');
}
