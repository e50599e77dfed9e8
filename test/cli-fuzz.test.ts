// A seeded fuzzer of the command line: random commands with random combinations and repetitions of
// options and values over the small fixtures. The only allowed ends: exit 0 with the output the
// canonical run gives (the same command with each option's last value only), or exactly one
// `genomatrix:` line on stderr with exit 1 or 2. CLI_FUZZ_CASES=200 CLI_FUZZ_SEED=7 runs more, or other, cases.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { cliPath, fixture, scratchDir, withoutCommandLine, seededRandom } from './helpers.js';

const CASES = Number(process.env.CLI_FUZZ_CASES ?? 16);
const SEED = Number(process.env.CLI_FUZZ_SEED ?? 20261201);


function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('command-line fuzzing', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  const out = join(scratch.dir, 'out');
  const values: Record<string, string[]> = {
    '--contigs': ['chr1', 'chr2,chr3', 'chr9', '', ',', 'chr1,chr1'],
    '--pairs': ['3a:3b', '10a:10b,8a:8b', '3a:3a', 'zz:3a', 'bad'],
    '--threads': ['1', '2', '0', 'x', '-1', '1.5'],
    '--header': [fixture('small.header.tsv'), '/nonexistent', ''],
    '-o': [out, '', `${scratch.dir}/`, '/nonexistent/x', fixture('small.tsv')],
    '-O': ['v', 'z', 'q'],
  };
  const flags = ['--json', '--quiet', '--low-memory', '--no-low-memory', '--allow-unsorted', '--bogus'];
  const commands: Record<string, string[]> = {
    haplotype: ['--contigs', '--pairs', '--threads', '--header', '-o'],
    vcf: ['--contigs', '--pairs', '--threads', '-o', '-O'],
    stats: ['--contigs', '--pairs', '--threads', '-o'],
    info: ['--contigs', '--threads', '--header'],
  };
  const inputs = [fixture('small.tsv'), fixture('small.tsv.gz'), fixture('small.noheader.tsv')];

  it(`${CASES} random command lines (seed ${SEED}) end in the canonical output or one error line`, async () => {
    const random = seededRandom(SEED);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    for (let c = 0; c < CASES; c++) {
      const command = pick(Object.keys(commands));
      const args = [command, pick(inputs)];
      const last = new Map<string, string | undefined>();
      const count = 1 + Math.floor(random() * 5);
      for (let k = 0; k < count; k++) {
        if (random() < 0.25) {
          const flag = pick(flags);
          args.push(flag);
          last.set(flag, undefined);
        } else {
          const option = pick(commands[command] as string[]);
          const value = pick(values[option] as string[]);
          args.push(option, value);
          last.set(option, value);
        }
      }
      rmSync(out, { force: true });
      const result = await run(args);
      const what = `genomatrix ${args.join(' ')}`;
      if (result.status === 0) {
        // The canonical run: each option once, with its last value.
        const canonical = [command, args[1] as string, ...[...last].flatMap(([option, value]) => (value === undefined ? [option] : [option, value]))];
        const written = (last.get('-o') ?? '') === out && existsSync(out) ? readFileSync(out) : Buffer.from(result.stdout);
        rmSync(out, { force: true });
        const again = await run(canonical);
        assert.equal(again.status, 0, `${what}: the canonical run failed: ${again.stderr}`);
        const canonicalOutput = (last.get('-o') ?? '') === out && existsSync(out) ? readFileSync(out) : Buffer.from(again.stdout);
        assert.equal(comparable(written), comparable(canonicalOutput), `${what}: output differs from the canonical run's`);
      } else {
        assert.ok(result.status === 1 || result.status === 2, `${what}: exit ${result.status}: ${result.stderr}`);
        assert.match(result.stderr, /^genomatrix: [^\n]*\n$/, `${what}: ${result.stderr}`);
        assert.doesNotMatch(result.stderr, /internal error/, what);
      }
    }
  });
});

/** An output as text to compare: inflated when gzip, without the VCF line that records the command line as typed. */
function comparable(output: Buffer): string {
  const text = output[0] === 0x1f && output[1] === 0x8b ? gunzipSync(output).toString('utf8') : output.toString('utf8');
  return withoutCommandLine(text);
}
