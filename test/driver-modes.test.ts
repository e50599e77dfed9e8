// Every mode of the conversion driver writes the same bytes: each command's `--low-memory` output
// equals its in-memory output (text, gzip and packed inputs), standard input equals the file
// (plain and gzip; vcf's spool of it is removed; a packed .arrow on standard input too), every `-o NAME.gz` is BGZF that `bgzip -t` accepts and that inflates to the
// plain output, and BCF (which genomatrix does not write) is refused with the command to convert.
// A VCF's `##genomatrixCommand` line records each run's own arguments, so VCFs are compared
// without it.

import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { assertOneLine, cliPath, generate, runCli, scratchDir, withoutCommandLine } from './helpers.js';
import { convert, convertTo, fromArguments } from './in-process.js';
import { formats, lowMemoryPack, writeFormat } from '../src/index.js';

/** Text outputs of each command, as `[command, extra arguments]`. */
const TEXT_COMMANDS: [string, string[]][] = [
  ['haplotype', []],
  ['vcf', []],
  ['stats', []],
  ['stats', ['--json']],
];

/** An output as compared across runs: a VCF without its command line. */
function comparable(command: string, text: string): string {
  return command === 'vcf' ? withoutCommandLine(text) : text;
}

describe('conversion driver modes', () => {
  const scratch = scratchDir();
  const plain = join(scratch.dir, 'matrix.tsv');
  const gzip = join(scratch.dir, 'matrix.tsv.gz');
  const packed = join(scratch.dir, 'matrix.arrow');
  const out = (name: string): string => join(scratch.dir, name);
  const ok = (args: string[], input?: string): string => {
    const result = runCli([...args, '-q', '-t', '2'], input === undefined ? {} : { input });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
  };

  before(() => {
    // Contigs of different sizes, and alleles met late (a later contig's IUPAC code and a two-base
    // allele), so a streamed run's dictionary grows in another order than the in-memory one's.
    const parts = [3000, 17, 4000].map((sites, i) => {
      const part = join(scratch.dir, `part${i}.tsv`);
      generate(part, ['--contigs', '1', '--sites', String(sites), '--seed', String(i + 7), '--haplotypes', '7']);
      return readFileSync(part, 'utf8').replaceAll(/^chr1\t/gm, `ctg${i}\t`);
    });
    const late = 'ctg2\t4000001\tA\tR\tA\tAT\tN\t-\tA\tA\nctg2\t4000002\tC\tC\tC\tC\tC\tC\tC\tC\n';
    const text = parts[0] + parts.slice(1).map((part) => part.slice(part.indexOf('\n') + 1)).join('') + late;
    writeFileSync(plain, text);
    writeFileSync(gzip, gzipSync(text));
    ok(['pack', plain, '-o', packed]);
  });
  after(scratch.cleanup);

  for (const [command, extra] of TEXT_COMMANDS) {
    for (const input of [plain, gzip, packed]) {
      const name = `${command}${extra.join('')}-${input.slice(input.lastIndexOf('.') + 1)}`;
      it(`${command} ${extra.join(' ')} of a ${input.slice(input.lastIndexOf('.') + 1)} input: --low-memory writes what the in-memory run writes`, async () => {
        // The command line's --no-low-memory and --low-memory once; the library's two modes (what they run) for the rest.
        if (input === plain) {
          ok([command, input, ...extra, '--no-low-memory', '-o', out(`${name}.memory`)]);
          ok([command, input, ...extra, '--low-memory', '-o', out(`${name}.low`)]);
        } else {
          const conversion = fromArguments(command, extra)[0];
          await convertTo(conversion, input, out(`${name}.memory`), { threads: 2 });
          await convertTo(conversion, input, out(`${name}.low`), { threads: 2, lowMemory: true });
        }
        const memory = readFileSync(out(`${name}.memory`));
        assert.ok(memory.length > 100, 'a real output');
        if (command === 'vcf') assert.equal(withoutCommandLine(readFileSync(out(`${name}.low`), 'utf8')), withoutCommandLine(memory.toString('utf8')));
        else assert.deepEqual(readFileSync(out(`${name}.low`)), memory);
      });
    }
  }

  it('pack --low-memory gives a matrix whose outputs are the in-memory ones', async () => {
    ok(['pack', plain, '--low-memory', '-o', out('low.arrow')]);
    assert.equal(await convert('haplotype', out('low.arrow')), await convert('haplotype', plain));
    assert.equal(withoutCommandLine(await convert('vcf', out('low.arrow'))), withoutCommandLine(await convert('vcf', plain)));
  });

  for (const [command, extra] of TEXT_COMMANDS) {
    it(`${command} ${extra.join(' ')}: -o NAME.gz is BGZF that bgzip -t accepts and inflates to the plain output, in both modes`, async () => {
      const conversion = fromArguments(command, extra)[0];
      const expected = comparable(command, await convert(conversion, plain));
      for (const mode of ['--no-low-memory', '--low-memory']) {
        const file = out(`${command}${extra.join('')}${mode}.gz`);
        // The command line in memory; the library streamed.
        if (mode === '--no-low-memory') ok([command, plain, ...extra, mode, '-o', file]);
        else await convertTo(conversion, plain, file, { lowMemory: true });
        const test = spawnSync('bgzip', ['-t', file], { encoding: 'utf8' });
        assert.equal(test.status, 0, `bgzip -t ${file}: ${test.stderr}`);
        assert.equal(comparable(command, gunzipSync(readFileSync(file)).toString('utf8')), expected);
      }
      // -O z on standard output, -O v over a .gz name.
      const stdout = spawnSync(process.execPath, [cliPath, command, plain, ...extra, '-O', 'z', '-q'], { maxBuffer: 1 << 26 });
      assert.equal(comparable(command, gunzipSync(stdout.stdout).toString('utf8')), expected);
      ok([command, plain, ...extra, '-O', 'v', '-o', out(`${command}${extra.join('')}-plain.gz`)]);
      assert.equal(comparable(command, readFileSync(out(`${command}${extra.join('')}-plain.gz`), 'utf8')), expected);
    });
  }

  for (const [command, extra] of [['haplotype', []], ['stats', []], ['stats', ['--json']]] as [string, string[]][]) {
    it(`${command} ${extra.join(' ')}: standard input (-) equals the file, plain and gzip`, async () => {
      const expected = await convert(fromArguments(command, extra)[0], plain);
      assert.equal(ok([command, '-', ...extra], readFileSync(plain, 'utf8')), expected);
      const piped = spawnSync(process.execPath, [cliPath, command, '-', ...extra, '-q', '-t', '2'], { input: readFileSync(gzip), encoding: 'utf8', maxBuffer: 1 << 26 });
      assert.equal(piped.status, 0, piped.stderr);
      assert.equal(piped.stdout, expected);
    });
  }

  it('vcf - equals vcf FILE, plain and gzip, with -r, -s and -O z; its spool of standard input is removed, also when the run fails', () => {
    // The spool goes to TMPDIR: a directory of the test's own, empty after every run.
    const spools = join(scratch.dir, 'spools');
    mkdirSync(spools);
    const env = { TMPDIR: spools };
    const vcf = (args: string[], input?: string | Buffer): SpawnSyncReturns<Buffer> =>
      spawnSync(process.execPath, [cliPath, 'vcf', ...args, '-q', '-t', '2'], { input, env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
    const text = (result: SpawnSyncReturns<Buffer>, gzipped = false): string => {
      assert.equal(result.status, 0, result.stderr.toString());
      return withoutCommandLine((gzipped ? gunzipSync(result.stdout) : result.stdout).toString('utf8'));
    };
    const file = vcf([plain]);
    // The spool a run killed with SIGKILL would leave (its process, here the run above, is gone).
    writeFileSync(join(spools, `.stdin.genomatrix-${file.pid}.tmp`), 'left over');
    assert.equal(text(vcf(['-'], readFileSync(plain))), text(file));
    assert.deepEqual(readdirSync(spools), []);
    const select = ['-r', 'ctg2:715000-4000001,ctg0', '-s', '^2a2b', '-O', 'z'];
    const piped = text(vcf(['-', ...select], readFileSync(gzip)), true);
    assert.match(piped, /\nctg0\t.*\nctg2\t/s, 'records of both selected contigs');
    assert.equal(piped, text(vcf([plain, ...select]), true));
    assert.deepEqual(readdirSync(spools), []);
    // A bad line: one line naming standard input, exit 1, no spool left.
    const failed = vcf(['-'], 'CHROM\tPOS\tREF\ta\nc1\t1\tA\tA\nc1\tx\tA\tA\n');
    assert.equal(failed.status, 1);
    assertOneLine(failed.stderr.toString());
    assert.match(failed.stderr.toString(), /^genomatrix: -:3:2: POS 'x' is not a positive integer/);
    assert.deepEqual(readdirSync(spools), []);
  });

  it('stats -o NAME.gz: the same bytes in memory and with --low-memory (the table in the same BGZF blocks)', () => {
    const memory = out('stats-memory.tsv.gz');
    const low = out('stats-low.tsv.gz');
    ok(['stats', plain, '--no-low-memory', '-o', memory]);
    ok(['stats', plain, '--low-memory', '-o', low]);
    assert.ok(readFileSync(memory).length > 100, 'a real output');
    assert.deepEqual(readFileSync(low), readFileSync(memory));
  });

  it('a packed .arrow on standard input equals the file: haplotype, vcf, stats, bed and pack; its spool is removed', async () => {
    const spools = join(scratch.dir, 'arrow-spools');
    mkdirSync(spools);
    const piped = (args: string[], input: Buffer): SpawnSyncReturns<Buffer> =>
      spawnSync(process.execPath, [cliPath, ...args, '-q', '-t', '2'], { input, env: { ...process.env, TMPDIR: spools }, maxBuffer: 1 << 26 });
    const arrow = readFileSync(packed);
    for (const [command, extra] of [['haplotype', []], ['vcf', []], ['stats', ['--json']]] as [string, string[]][]) {
      const result = piped([command, '-', ...extra], arrow);
      assert.equal(result.status, 0, result.stderr.toString());
      assert.equal(comparable(command, result.stdout.toString('utf8')), comparable(command, await convert(fromArguments(command, extra)[0], packed)));
    }
    const bed = piped(['bed', '-'], arrow);
    await writeFormat(formats.bed, packed, { output: out('file.bed') });
    assert.equal(bed.stdout.toString('utf8'), readFileSync(out('file.bed'), 'utf8'));
    // Standard input is streamed: the file packed the same way (--low-memory) gives the same bytes.
    assert.equal(piped(['pack', '-', '-o', out('stdin.arrow')], arrow).status, 0);
    await lowMemoryPack(packed, { output: out('file.arrow') });
    assert.deepEqual(readFileSync(out('stdin.arrow')), readFileSync(out('file.arrow')));
    // A truncated packed file: one line naming standard input, no spool left.
    const truncated = piped(['stats', '-'], arrow.subarray(0, arrow.length - 100));
    assert.equal(truncated.status, 1);
    assertOneLine(truncated.stderr.toString());
    assert.match(truncated.stderr.toString(), /^genomatrix: -: truncated Arrow IPC file/);
    assert.deepEqual(readdirSync(spools), []);
  });

  it('standard input with --no-low-memory is a usage error', () => {
    const result = runCli(['haplotype', '-', '--no-low-memory'], { input: readFileSync(plain, 'utf8') });
    assert.equal(result.status, 2);
    assertOneLine(result.stderr);
  });

  for (const args of [['-o', 'x.bcf'], ['-O', 'b'], ['-O', 'u']]) {
    it(`vcf ${args.join(' ')}: BCF is a usage error that gives the bcftools command`, () => {
      const result = runCli(['vcf', plain, ...args.map((arg) => (arg.endsWith('.bcf') ? out(arg) : arg))]);
      assert.equal(result.status, 2);
      assertOneLine(result.stderr);
      assert.match(result.stderr, /does not write BCF; write VCF \(-o \S+\.vcf\.gz\) and convert it: bcftools view -O b -o \S+\.bcf \S+\.vcf\.gz/);
    });
  }
});
