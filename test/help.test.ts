// The help texts as a user reads them, and the thread option's messages. That every example runs
// as pasted is test/pasteable.test.ts.

import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertOneLine, fixture, runCli, scratchDir } from './helpers.js';

const commands = ['haplotype', 'vcf', 'stats', 'pack', 'info', 'merge-stats', 'verify', 'bed'];

describe('--help', () => {
  const helps = new Map([['', runCli(['--help']).stdout], ...commands.map((command) => [command, runCli([command, '--help']).stdout] as const)]);

  it('names the program, never a literal $0, and shows no empty default', () => {
    for (const [command, help] of helps) {
      assert.match(help, /^genomatrix /, command);
      assert.doesNotMatch(help, /\$0/, command);
      assert.doesNotMatch(help, /\[default: \[\]\]/, command);
    }
    assert.match(helps.get('merge-stats') ?? '', /^ {2}parts .*\n? *\[array\] \[required\]$/m);
  });

  it('prints each example whole, under a comment, within 80 columns', () => {
    for (const command of commands) {
      const examples = (helps.get(command) ?? '').split('\nExamples:\n')[1]?.split('\n\n')[0] ?? '';
      const lines = examples.split('\n').filter((line) => line !== '');
      assert.ok(lines.length >= 2 && lines[0]?.startsWith('  # '), `${command}: ${examples}`);
      for (const line of lines) {
        assert.ok(line.length <= 80, `${command}: ${line}`);
        // A command line starts with a program: a wrapped remainder of a command would not.
        assert.match(line, /^ {2}(# |genomatrix |bcftools )/, `${command}: ${line}`);
      }
    }
  });
});

describe('start-up', () => {
  it('makes the help layout\'s Unicode tables (string-width) only to print help: a run without help starts without them', () => {
    const scratch = scratchDir();
    try {
      // Counts the Intl.Segmenter objects made in the main thread (string-width makes one as it loads).
      const preload = scratch.file('count-segmenters.mjs', "const Made = Intl.Segmenter;\nlet made = 0;\nIntl.Segmenter = class extends Made { constructor(...args) { super(...args); made++; } };\nprocess.on('exit', () => process.stderr.write(`segmenters made: ${made}\\n`));\n");
      const made = (args: string[]): string | undefined => runCli(args, { env: { NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` } }).stderr.match(/^segmenters made: (\d+)$/m)?.[1];
      assert.equal(made(['info', fixture('small.tsv')]), '0');
      assert.equal(made(['haplotype', join(scratch.dir, 'absent.tsv')]), '0');
      assert.notEqual(made(['haplotype', '--help']), '0');
    } finally {
      scratch.cleanup();
    }
  });
});

describe('--threads', () => {
  it('names what was given when it is not a whole number from 1 to 1024 (exit 2)', () => {
    for (const given of ['abc', '0', '2.5', '1025', '-1']) {
      const run = runCli(['haplotype', fixture('small.tsv'), `--threads=${given}`]);
      assert.equal(run.status, 2, given);
      assertOneLine(run.stderr);
      assert.match(run.stderr, new RegExp(`--threads must be a whole number from 1 to 1024, got '${given.replace('.', '\\.')}'`));
    }
  });

  it('warns in one line when it exceeds the usable cores, and runs', () => {
    const cores = availableParallelism();
    const direct = runCli(['haplotype', fixture('small.tsv')]);
    const run = runCli(['haplotype', fixture('small.tsv'), '-t', String(cores + 1), '--quiet']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, `genomatrix: warning: --threads ${cores + 1} is more than the ${cores} usable cores: the threads take turns on them, so the run is slower than with --threads ${cores}\n`);
    assert.equal(run.stdout, direct.stdout);
    assert.equal(runCli(['haplotype', fixture('small.tsv'), '-t', String(cores)]).stderr, '', 'no warning up to the core count');
  });
});
