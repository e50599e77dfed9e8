// Seeded fuzzing of the loaders: valid inputs (plain and gzip) corrupted at random bytes must end in
// either a correct table or one clean error: never a crash, a hang or a stack trace. Most cases run
// in this process through the library (loadMatrix + haplotype, or lowMemoryHaplotype): a clean error
// is a GenomatrixError with a one-line message, which the CLI prints as its one line; anything else
// is what the CLI would report as an internal error. Every CLI_EVERY-th case runs the CLI itself.
// FUZZ_CASES=1000 FUZZ_SEED=7 runs more, or other, cases.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { GenomatrixError, haplotype, loadMatrix, lowMemoryHaplotype } from '../src/index.js';
import { cliPath, fixture, generate, scratchDir, seededRandom } from './helpers.js';

const CASES = Number(process.env.FUZZ_CASES ?? 120);
const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const TIMEOUT_MS = 30_000;
const CLI_EVERY = 8;


/** Bytes that matter to the parser, and a few that should never be there. */
const INTERESTING = [9, 10, 13, 0, 0xff, 0xc3, 0x80, 32, 45, 48, 49, 57, 65, 67, 71, 78, 84, 67, 35];

function corrupt(input: Buffer, random: () => number): Buffer {
  const pick = (n: number): number => Math.floor(random() * n);
  let bytes = Buffer.from(input);
  const edits = 1 + pick(3);
  for (let e = 0; e < edits; e++) {
    const at = pick(bytes.length);
    const byte = random() < 0.7 ? (INTERESTING[pick(INTERESTING.length)] as number) : pick(256);
    switch (pick(5)) {
      case 0:
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]); // delete
        break;
      case 1:
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([byte]), bytes.subarray(at)]); // insert
        break;
      case 2:
        if (random() < 0.3) bytes = bytes.subarray(0, at); // truncate
        break;
      default:
        bytes[at] = byte; // replace
    }
  }
  return bytes;
}

interface Outcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  timedOut: boolean;
}

function cli(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stderr, timedOut });
    });
  });
}

/** The CLI's `haplotype input -o output [--threads N] [--low-memory]`, through the library in this process. */
async function library(args: string[]): Promise<Outcome> {
  const [, input, , output] = args as [string, string, string, string];
  const threads = Number(args[args.indexOf('--threads') + 1]);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), TIMEOUT_MS)));
  try {
    const run = async (): Promise<void> => {
      if (args.includes('--low-memory')) {
        await lowMemoryHaplotype(input, { output, threads });
        return;
      }
      const matrix = await loadMatrix(input, { threads });
      try {
        await haplotype(matrix, { output });
      } finally {
        await matrix.close();
      }
    };
    await Promise.race([run(), timeout]);
    return { status: 0, signal: null, stderr: '', timedOut: false };
  } catch (error) {
    if ((error as Error).message === 'timed out') return { status: null, signal: null, stderr: '', timedOut: true };
    // What the CLI prints: a GenomatrixError as its one line; anything else is an internal error.
    if (error instanceof GenomatrixError) return { status: error.exitCode, signal: null, stderr: `genomatrix: ${error.message}\n`, timedOut: false };
    return { status: 1, signal: null, stderr: `genomatrix: internal error: ${(error as Error).stack ?? String(error)}\n`, timedOut: false };
  } finally {
    clearTimeout(timer);
  }
}

describe(`fuzz: ${CASES} corrupted inputs, seed ${SEED}`, () => {
  const scratch = scratchDir();
  const bases: { name: string; bytes: Buffer; gzip: boolean }[] = [];
  before(() => {
    const generated = join(scratch.dir, 'base.tsv');
    generate(generated, ['--contigs', '3', '--sites', '60', '--haplotypes', '6', '--seed', '3']);
    const small = readFileSync(fixture('small.tsv'));
    const tiny = readFileSync(generated);
    bases.push({ name: 'small.tsv', bytes: small, gzip: false }, { name: 'generated.tsv', bytes: tiny, gzip: false });
    bases.push({ name: 'generated.tsv.gz (text corrupted)', bytes: tiny, gzip: true }, { name: 'small.tsv.gz (gzip corrupted)', bytes: gzipSync(small), gzip: false });
  });
  after(scratch.cleanup);

  it('every run ends with a table or one clean error line', { timeout: 30 * 60_000 }, async () => {
    const random = seededRandom(SEED);
    const tally = { ok: 0, dataError: 0, usageError: 0, cli: 0 };
    const check = async (i: number): Promise<void> => {
      const base = bases[i % bases.length] as (typeof bases)[number];
      const corrupted = corrupt(base.bytes, random);
      const input = join(scratch.dir, `case${i}.in`);
      writeFileSync(input, base.gzip ? gzipSync(corrupted) : corrupted);
      const out = join(scratch.dir, `case${i}.out`);
      const lowMemory = i % 3 === 2 ? ['--low-memory'] : [];
      const run = i % CLI_EVERY === 0 ? cli : library;
      const first = await run(['haplotype', input, '-o', out, '--threads', '2', ...lowMemory]);
      const what = `case ${i} (${base.name}${lowMemory.length ? ', --low-memory' : ''}, ${run === cli ? 'CLI' : 'library'}, seed ${SEED}): ${JSON.stringify(first)}`;
      assert.ok(!first.timedOut && first.signal === null, `hang or crash: ${what}`);
      if (run === cli) tally.cli++;
      if (first.status === 0) {
        tally.ok++;
        assert.equal(first.stderr.replace(/^genomatrix: warning: .*\n/, ''), '', what);
        const table = readFileSync(out, 'utf8');
        const lines = table.split('\n');
        assert.equal(lines.pop(), '', `ends with a line end: ${what}`);
        const width = (lines[0] ?? '').split('\t').length;
        assert.ok(width >= 4 && (width - 4) % 2 === 0, `header shape: ${what}`);
        for (const line of lines) assert.equal(line.split('\t').length, width, `row shape: ${what}`);
        // The same table again, one thread, in memory: nothing depends on scheduling.
        const again = join(scratch.dir, `case${i}.again`);
        const second = await run(['haplotype', input, '-o', again, '--threads', '1']);
        assert.equal(second.status, 0, what);
        assert.equal(readFileSync(again, 'utf8'), table, `deterministic: ${what}`);
      } else {
        assert.ok(first.status === 1 || first.status === 2, `exit status: ${what}`);
        if (first.status === 1) tally.dataError++;
        else tally.usageError++;
        assert.match(first.stderr, /^genomatrix: [^\n]+\n$/, `one line: ${what}`);
        assert.doesNotMatch(first.stderr, /internal error|\n\s+at |TypeError|RangeError/, `no stack or internal error: ${what}`);
        assert.ok(!existsSync(out), `no output: ${what}`);
      }
    };
    // Two at a time: the machine has two cores.
    for (let i = 0; i < CASES; i += 2) await Promise.all([check(i), ...(i + 1 < CASES ? [check(i + 1)] : [])]);
    assert.ok(tally.ok > 0 && tally.dataError > 0 && tally.cli > 0, `both outcomes seen, and the CLI ran: ${JSON.stringify(tally)}`);
  });
});
