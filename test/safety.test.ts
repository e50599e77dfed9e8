// Safe by construction, through the built CLI: an output is never an input (even through a link)
// and is checked before any work; a repeated option keeps its last value; info writes through the
// output sink; sizes are bounded; the header rule; pair names; merge-stats counts; a killed run's
// temporary is removed by the next run.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { assertOneLine, cliPath, fixture, runCli, scratchDir } from './helpers.js';
import { convert, convertTo } from './in-process.js';

const MATRIX = 'CHROM\tPOS\tREF\tsa\tsb\nc1\t1\tA\tA\tC\nc1\t2\tG\tG\tG\nc2\t5\tT\tA\tT\n';

describe('outputs never touch inputs', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  const file = scratch.file;
  const matrix = file('m.tsv', MATRIX);
  const header = file('h.tsv', 'CHROM\tPOS\tREF\tsa\tsb\n');
  const noHeader = file('nh.tsv', MATRIX.split('\n').slice(1).join('\n'));
  symlinkSync(matrix, join(scratch.dir, 'sym.tsv'));
  linkSync(matrix, join(scratch.dir, 'hard.tsv'));
  mkdirSync(join(scratch.dir, 'sub'));
  symlinkSync(scratch.dir, join(scratch.dir, 'sub', 'up'));

  const refused: [string, string[]][] = [
    ['haplotype -o the matrix', ['haplotype', matrix, '-o', matrix]],
    ['haplotype --low-memory -o the matrix', ['haplotype', matrix, '--low-memory', '-o', matrix]],
    ['a symbolic link to the matrix', ['haplotype', matrix, '-o', join(scratch.dir, 'sym.tsv')]],
    ['a hard link to the matrix', ['vcf', matrix, '-o', join(scratch.dir, 'hard.tsv')]],
    ['the matrix through a linked directory', ['stats', matrix, '-o', join(scratch.dir, 'sub', 'up', 'm.tsv')]],
    ['the matrix read through a link, written by its own name', ['stats', join(scratch.dir, 'sym.tsv'), '-o', matrix]],
    ['the --header file', ['haplotype', noHeader, '--header', header, '-o', header]],
    ['pack over the matrix', ['pack', matrix, '-o', matrix]],
    ['pack --low-memory over the --header file', ['pack', noHeader, '--header', header, '--low-memory', '-o', header]],
  ];
  for (const [name, args] of refused) {
    it(`${name}: exit 2, one line, the input untouched`, () => {
      const before = { matrix: readFileSync(matrix, 'utf8'), header: readFileSync(header, 'utf8') };
      const run = runCli(args);
      assert.equal(run.status, 2, run.stderr);
      assertOneLine(run.stderr);
      assert.match(run.stderr, /cannot write .*: it is the input .*; choose another output name/);
      assert.equal(readFileSync(matrix, 'utf8'), before.matrix);
      assert.equal(readFileSync(header, 'utf8'), before.header);
      assert.deepEqual(readdirSync(scratch.dir).filter((name) => name.endsWith('.tmp')), []);
    });
  }

  it('merge-stats -o one of its parts: exit 2, the part untouched', async () => {
    const part = join(scratch.dir, 'part.json');
    await convertTo('stats --json', matrix, part);
    const before = readFileSync(part, 'utf8');
    const run = runCli(['merge-stats', part, '-o', part]);
    assert.equal(run.status, 2, run.stderr);
    assertOneLine(run.stderr);
    assert.equal(readFileSync(part, 'utf8'), before);
  });

  const badPaths: [string, string, RegExp][] = [
    ['an empty name', '', /cannot write '': an empty output name$/],
    ['a name ending in /', 'newdir/', /cannot write newdir\/: a file name must not end with \/$/],
    ['a missing directory', join(scratch.dir, 'no', 'x.tsv'), /: no such directory .*no$/],
    ['a directory', scratch.dir, /: is a directory$/],
    ['a name with no room for the temporary suffix', join(scratch.dir, 'n'.repeat(240)), /the name is 240 bytes; outputs are written under a temporary name first, which leaves 231 of the 255 bytes/],
    ['a file as the directory', join(matrix, 'x.tsv'), /is not a directory$/],
  ];
  for (const [name, output, message] of badPaths) {
    it(`${name}: refused before any work, exit 2`, () => {
      // A matrix that would fail late (bad line at the end) shows the output was checked first.
      const late = file('late.tsv', `${MATRIX}c2\t6\tT\tA\n`);
      const run = runCli(['haplotype', late, '-o', output]);
      assert.equal(run.status, 2, run.stderr);
      assertOneLine(run.stderr);
      assert.match(run.stderr.trim(), message);
    });
  }

  it('a valid 231-byte name is written', () => {
    const out = join(scratch.dir, 'o'.repeat(231));
    const run = runCli(['haplotype', matrix, '-o', out]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(existsSync(out));
  });

  it('a run killed with SIGKILL leaves a temporary that the next run removes', async () => {
    const big = join(scratch.dir, 'big.tsv');
    const rows = Array.from({ length: 200_000 }, (_, i) => `c1\t${i + 1}\tA\tA\tC`).join('\n');
    writeFileSync(big, `CHROM\tPOS\tREF\tsa\tsb\n${rows}\n`);
    const out = join(scratch.dir, 'killed.tsv');
    const child = spawn(process.execPath, [cliPath, 'haplotype', big, '-o', out, '--threads', '1'], { stdio: 'ignore' });
    const temporary = `.killed.tsv.genomatrix-${child.pid}.tmp`;
    for (let waited = 0; !readdirSync(scratch.dir).includes(temporary); waited += 10) {
      assert.ok(waited < 30_000, 'the temporary never appeared');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    assert.ok(readdirSync(scratch.dir).includes(temporary), 'SIGKILL leaves the temporary');
    // Another live process's temporary of the same name is left alone.
    const live = `.killed.tsv.genomatrix-${process.pid}.tmp`;
    writeFileSync(join(scratch.dir, live), 'being written');
    const run = runCli(['haplotype', matrix, '-o', out]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(!readdirSync(scratch.dir).includes(temporary), 'the next run removed it');
    assert.ok(readdirSync(scratch.dir).includes(live), 'a live process keeps its temporary');
  });
});

describe('the command line is total', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  const matrix = join(scratch.dir, 'm.tsv');
  writeFileSync(matrix, MATRIX);

  it('an option given twice keeps its last value, for every kind of option', () => {
    const a = join(scratch.dir, 'a.tsv');
    const b = join(scratch.dir, 'b.tsv');
    const run = runCli(['haplotype', matrix, '-o', a, '-o', b, '--contigs', 'c1', '--contigs', 'c2']);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(!existsSync(a));
    assert.equal(readFileSync(b, 'utf8'), 'contig\tpos\tref\talt\tsasb_PI\tsasb_PG_al\nc2\t5\tT\tA\tc2\tA|T\n');
    const vcf = join(scratch.dir, 'x.vcf');
    assert.equal(runCli(['vcf', matrix, '-O', 'z', '-O', 'v', '-o', vcf]).status, 0);
    assert.match(readFileSync(vcf, 'utf8'), /^##fileformat=VCF/, '-O v, the last, wins: plain text');
    assert.equal(runCli(['vcf', matrix, '-O', 'v', '-O', 'z', '-o', vcf]).status, 0);
    assert.equal(readFileSync(vcf)[0], 0x1f, '-O z, the last, wins: BGZF');
    const header = join(scratch.dir, 'h.tsv');
    writeFileSync(header, 'CHROM\tPOS\tREF\tx\ty\n');
    const twice = runCli(['stats', join(scratch.dir, 'm.tsv'), '--header', '/nonexistent', '--header', header, '--json']);
    assert.equal(twice.status, 1, 'the first line now differs from the --header file'); // names from the last --header
    assertOneLine(twice.stderr);
    assert.match(twice.stderr, /differs from the --header file .*h\.tsv/);
  });

  it('a number option that is not a number: exit 2, one line; given twice, the last is the one checked', async () => {
    const run = runCli(['haplotype', matrix, '--threads', 'many']);
    assert.equal(run.status, 2, run.stderr);
    assertOneLine(run.stderr);
    assert.match(run.stderr, /--threads must be a whole number from 1 to 1024, got 'many'/);
    const lastGood = runCli(['haplotype', matrix, '-t', 'many', '--threads', '1']);
    assert.equal(lastGood.status, 0, lastGood.stderr);
    assert.equal(lastGood.stdout, await convert('haplotype', matrix));
    const lastBad = runCli(['haplotype', matrix, '--threads', '1', '-t', 'many']);
    assert.equal(lastBad.status, 2, lastBad.stderr);
    assertOneLine(lastBad.stderr);
    assert.match(lastBad.stderr, /got 'many'/);
  });

  it('info | head -1 ends quietly; info > /dev/full is one line, exit 1', () => {
    const wide = join(scratch.dir, 'wide.tsv');
    const names = Array.from({ length: 20_000 }, (_, i) => `s${i}`);
    writeFileSync(wide, `CHROM\tPOS\tREF\t${names.join('\t')}\nc1\t1\tA\t${names.map(() => 'A').join('\t')}\n`);
    const piped = spawnShell(`node ${cliPath} info ${wide} | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`);
    assert.equal(piped.stdout.trim(), '0', piped.stderr);
    assert.equal(piped.stderr, '');
    for (const input of [matrix, fixture('small.tsv')]) {
      const full = spawnShell(`node ${cliPath} info ${input} > /dev/full`);
      assert.equal(full.status, 1, full.stderr);
      assertOneLine(full.stderr);
      assert.match(full.stderr, /cannot write standard output: no space left on device/);
    }
  });
});

describe('bounded sizes', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);

  it('stats of a 20,000-column matrix (no spread over columns)', () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `h${i}`);
    const path = join(scratch.dir, 'wide.tsv');
    writeFileSync(path, `CHROM\tPOS\tREF\t${names.join('\t')}\nc1\t1\tA\t${names.map((_, i) => (i % 3 === 0 ? 'C' : 'A')).join('\t')}\n`);
    const run = runCli(['stats', path]);
    assert.equal(run.status, 0, run.stderr);
    // header, then per scope (contig c1 and the genome): 4 site lines, 2 per haplotype, one per seed allele (A C G T N -)
    assert.equal(run.stdout.split('\n').length - 1, 1 + 2 * (4 + 2 * 20_000 + 6));
  });

  const limits: [string, string, RegExp][] = [
    ['a 10 MB contig name', `CHROM\tPOS\tREF\tsa\tsb\n${'c'.repeat(10_000_000)}\t1\tA\tA\tC\n`, /:2:1: contig name of 10000000 bytes is longer than the 1024 accepted$/],
    ['a 1025-byte contig name', `CHROM\tPOS\tREF\tsa\tsb\nc1\t1\tA\tA\tC\n${'c'.repeat(1025)}\t1\tA\tA\tC\n`, /:3:1: contig name of 1025 bytes is longer than the 1024 accepted$/],
    ['a 2 MB sample name', `CHROM\tPOS\tREF\t${'s'.repeat(2_000_000)}\tb\nc1\t1\tA\tA\tC\n`, /:1:4: column name of 2000000 bytes is longer than the 1024 accepted$/],
  ];
  for (const [name, content, message] of limits) {
    for (const mode of [[], ['--low-memory']]) {
      it(`${name}${mode.length ? ' (--low-memory)' : ''}: exit 1, one located line`, () => {
        const path = join(scratch.dir, 'limit.tsv');
        writeFileSync(path, content);
        const run = runCli(['haplotype', path, '-o', join(scratch.dir, 'out.tsv'), ...mode]);
        assert.equal(run.status, 1, run.stderr);
        assertOneLine(run.stderr);
        assert.match(run.stderr.trim(), message);
      });
    }
  }
});

describe('the header rule', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  const file = scratch.file;
  const header = file('h.tsv', 'CHROM\tPOS\tREF\tsa\tsb\n');
  const worm = 'CHROMOSOME_I\t1\tA\tA\tC\nCHROMOSOME_I\t2\tA\tG\tA\n';
  const wormTable = 'contig\tpos\tref\talt\tsasb_PI\tsasb_PG_al\nCHROMOSOME_I\t1\tA\tC\tCHROMOSOME_I\tA|C\nCHROMOSOME_I\t2\tA\tG\tCHROMOSOME_I\tG|A\n';

  for (const [name, content] of [
    ['plain', worm],
    ['gzip', gzipSync(worm)],
    ['with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(worm)])],
  ] as const) {
    for (const mode of [[], ['--low-memory']]) {
      it(`a first contig starting with CHROM is data with --header (${name}${mode.length ? ', --low-memory' : ''})`, async () => {
        const path = file(`worm-${name}.tsv`, content);
        // The command line's --header in each mode on the plain file; the other input forms through the library.
        if (name === 'plain') {
          const run = runCli(['haplotype', path, '--header', header, ...mode]);
          assert.equal(run.status, 0, run.stderr);
          assert.equal(run.stdout, wormTable);
        } else assert.equal(await convert('haplotype', path, { header, lowMemory: mode.length > 0 }), wormTable);
      });
    }
  }

  it('a first line equal to the --header file is skipped; one that differs is refused', () => {
    const same = runCli(['haplotype', file('same.tsv', `CHROM\tPOS\tREF\tsa\tsb\n${worm}`), '--header', header]);
    assert.equal(same.stdout, wormTable);
    const other = runCli(['haplotype', file('other.tsv', `CHROM\tPOS\tREF\tx\ty\n${worm}`), '--header', header]);
    assert.equal(other.status, 1, other.stderr);
    assertOneLine(other.stderr);
    assert.match(other.stderr, /other\.tsv:1: a header line that differs from the --header file .*h\.tsv/);
  });

  it('without --header, CHROMOSOME_I is not a header line', () => {
    const run = runCli(['haplotype', file('worm.tsv', worm)]);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /no header line \(a first line whose first field is CHROM\)/);
  });

  it('a BOM before the header line, and in the header file, is skipped', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    assert.equal(await convert('haplotype', file('bom.tsv', Buffer.concat([bom, Buffer.from(`CHROM\tPOS\tREF\tsa\tsb\n${worm}`)]))), wormTable);
    const bomHeader = file('bomh.tsv', Buffer.concat([bom, Buffer.from('CHROM\tPOS\tREF\tsa\tsb\n')]));
    assert.equal(await convert('haplotype', file('worm2.tsv', worm), { header: bomHeader }), wormTable);
  });
});

describe('pair names and merged counts', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  const matrix = join(scratch.dir, 'm.tsv');
  writeFileSync(matrix, 'CHROM\tPOS\tREF\ta\tbc\tab\tc\nc1\t1\tA\tA\tC\tA\tA\n');

  for (const command of ['haplotype', 'vcf', 'stats', 'pack']) {
    it(`two pairs with the same name are refused by ${command} (exit 2)`, () => {
      const run = runCli([command, matrix, '--pairs', 'a:bc,ab:c', '-o', join(scratch.dir, `out.${command}`)]);
      assert.equal(run.status, 2, run.stderr);
      assertOneLine(run.stderr);
      assert.match(run.stderr, /--pairs: a:bc and ab:c are both named 'abc'; pair names must differ/);
    });
  }

  it('merge-stats refuses negative and fractional counts', async () => {
    const part = join(scratch.dir, 'part.json');
    await convertTo('stats --json', matrix, part);
    const text = readFileSync(part, 'utf8');
    for (const [name, edited] of [
      ['negative', text.replace(/"sites": 1\b/, '"sites": -1')],
      ['fractional', text.replace(/"missing": 0\b/, '"missing": 0.5')],
    ] as const) {
      assert.notEqual(edited, text, name);
      const bad = join(scratch.dir, `${name}.json`);
      writeFileSync(bad, edited);
      const run = runCli(['merge-stats', bad]);
      assert.equal(run.status, 1, run.stderr);
      assertOneLine(run.stderr);
      assert.match(run.stderr, /every count a whole number >= 0/);
    }
    assert.equal(statSync(part).size, text.length);
  });

  it('merge-stats refuses counts that do not fit together, and derives the rates again from the counts', async () => {
    const part = join(scratch.dir, 'fit.json');
    await convertTo('stats --json', matrix, part);
    const text = readFileSync(part, 'utf8');
    // c1 has 1 site: a haplotype with 2 missing cells cannot be.
    const over = join(scratch.dir, 'over.json');
    writeFileSync(over, text.replace(/"missing": 0\b/, '"missing": 2'));
    const run = runCli(['merge-stats', over]);
    assert.equal(run.status, 1, run.stderr);
    assertOneLine(run.stderr);
    assert.equal(run.stderr, `genomatrix: ${over}: contig c1: a has 2 missing and 0 deleted cells, more than its 1 sites: expected the output of genomatrix stats --json\n`);
    // A damaged rate is not copied: the merged JSON is the undamaged part's.
    const rate = join(scratch.dir, 'rate.json');
    writeFileSync(rate, text.replace(/"missingRate": 0\b/, '"missingRate": 0.75'));
    assert.notEqual(readFileSync(rate, 'utf8'), text);
    const merged = runCli(['merge-stats', rate, '--json']);
    assert.equal(merged.status, 0, merged.stderr);
    assert.equal(merged.stdout, text);
  });
});

function spawnShell(script: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
