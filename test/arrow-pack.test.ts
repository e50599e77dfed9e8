// `genomatrix pack` and .arrow input through the built CLI: every command gives byte-identical
// output from the text and from its packed file (the CLI for one command, the others through the
// library in process); pack is deterministic (a stored golden file); bad .arrow input gets one
// clear line.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as arrow from 'apache-arrow';
import { fixture, generate, root, runCli, scratchDir, withoutCommandLine } from './helpers.js';
import { convert, fromArguments } from './in-process.js';

const expected = readFileSync(fixture('small.expected.tsv'), 'utf8');
const expectedPairs = readFileSync(fixture('small.pairs-10a-10b.expected.tsv'), 'utf8');

/**
 * Commands whose output must not depend on the input being text or .arrow: each entry is the
 * arguments after the input path. Add every new command that reads a matrix here.
 */
const COMMANDS: string[][] = [
  ['haplotype'],
  ['haplotype', '--pairs', '10b:10a'],
  ['haplotype', '--threads', '1'],
  ['vcf'],
  ['vcf', '--pairs', '10b:10a', '--deletions', 'star'],
  ['stats'],
  ['stats', '--json'],
];

function pack(input: string, output: string, ...extra: string[]): void {
  const run = runCli(['pack', input, '-o', output, ...extra]);
  assert.equal(run.stderr, '');
  assert.equal(run.status, 0);
}

describe('genomatrix pack', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);

  it('writes an Arrow IPC file (ARROW1 at both ends) and nothing else', () => {
    const out = join(scratch.dir, 'small.arrow');
    pack(fixture('small.tsv'), out);
    const bytes = readFileSync(out);
    assert.equal(bytes.toString('latin1', 0, 6), 'ARROW1');
    assert.equal(bytes.toString('latin1', bytes.length - 6), 'ARROW1');
    assert.deepEqual(readdirSync(scratch.dir), ['small.arrow'], 'no temporary left behind');
  });

  it('gives the bytes of the stored golden file native-layout/small.arrow', () => {
    const out = join(scratch.dir, 'golden-check.arrow');
    pack(fixture('small.tsv'), out);
    assert.ok(readFileSync(out).equals(readFileSync(join(root, 'native-layout', 'small.arrow'))), 'pack output differs from native-layout/small.arrow');
  });

  it('reads a file of layout version 1 (a record batch per contig) as it did: verified, the same table, repacked to the golden bytes', () => {
    const v1 = fixture('small.v1.arrow');
    assert.equal(arrow.tableFromIPC(readFileSync(v1)).schema.metadata.get('genomatrix.layout_version'), '1');
    const verified = runCli(['verify', v1]);
    assert.equal(verified.status, 0, verified.stderr);
    assert.match(verified.stdout, /OK \(3 contigs, 18 sites; 60 buffer checksums/);
    assert.equal(runCli(['haplotype', v1]).stdout, readFileSync(fixture('small.expected.tsv'), 'utf8'));
    const out = join(scratch.dir, 'from-v1.arrow');
    pack(v1, out);
    assert.ok(readFileSync(out).equals(readFileSync(join(root, 'native-layout', 'small.arrow'))), 'a version 1 file packs again to the version 2 golden file');
  });

  it('holds the same columns from plain text, gzip and a header file; repacking an .arrow gives the same bytes', () => {
    const files = ['small.tsv', 'small.tsv.gz', 'small.noheader.tsv', 'repack'].map((name) => {
      const out = join(scratch.dir, `same-${name}.arrow`);
      if (name === 'repack') pack(join(scratch.dir, 'small.arrow'), out);
      else if (name === 'small.noheader.tsv') pack(fixture(name), out, '--header', fixture('small.header.tsv'));
      else pack(fixture(name), out);
      return readFileSync(out);
    });
    // Only the source name and size in the metadata differ between text inputs.
    const tables = files.map((bytes) => arrow.tableFromIPC(bytes));
    const rows = (table: arrow.Table) => JSON.stringify(table.toArray());
    for (const table of tables) {
      assert.equal(table.numRows, 18);
      assert.equal(rows(table), rows(tables[0] as arrow.Table));
      assert.deepEqual(table.schema.fields.map(String), (tables[0] as arrow.Table).schema.fields.map(String));
    }
    const metadata = (bytes: Buffer) => arrow.tableFromIPC(bytes).schema.metadata;
    assert.equal(metadata(files[1] as Buffer).get('genomatrix.source_name'), 'small.tsv.gz');
    assert.equal(metadata(files[3] as Buffer).get('genomatrix.source_name'), 'small.tsv', 'a repacked file keeps its source');
    assert.ok((files[3] as Buffer).equals(files[0] as Buffer), 'repacking an .arrow file gives the same bytes');
  });

  it('vcf (CLI): the same output and warning from the text and from the .arrow file', () => {
    const fromText = runCli(['vcf', fixture('small.tsv')]);
    const fromArrow = runCli(['vcf', join(scratch.dir, 'small.arrow')]);
    // small.tsv has deletion runs after POS gaps: vcf warns of them, from either input alike.
    assert.match(fromText.stderr, /^genomatrix: warning: 3 deletion runs follow or move left into a position missing/);
    assert.equal(fromArrow.stderr, fromText.stderr);
    assert.equal(fromArrow.status, 0);
    // A VCF's ##genomatrixCommand line names its input.
    assert.equal(withoutCommandLine(fromArrow.stdout), withoutCommandLine(fromText.stdout));
  });

  for (const args of COMMANDS) {
    it(`${args.join(' ')}: the same output from the text and from the .arrow file`, async () => {
      const [name, options] = fromArguments(args[0] as string, args.slice(1));
      const fromText = await convert(name, fixture('small.tsv'), options);
      const fromArrow = await convert(name, join(scratch.dir, 'small.arrow'), options);
      assert.ok(fromText.length > 100);
      assert.equal(withoutCommandLine(fromArrow), withoutCommandLine(fromText));
    });
  }

  it('haplotype of the .arrow file is the hand-made expected table', () => {
    const run = runCli(['haplotype', join(scratch.dir, 'small.arrow')]);
    assert.equal(run.stdout, expected);
  });

  it('stores --pairs: later commands use them by default, an explicit --pairs still wins', async () => {
    const out = join(scratch.dir, 'paired.arrow');
    pack(fixture('small.tsv'), out, '--pairs', '10b:10a');
    assert.equal(arrow.tableFromIPC(readFileSync(out)).schema.metadata.get('genomatrix.pairs'), '10a:10b');
    assert.equal(await convert('haplotype', out), expectedPairs);
    assert.equal(runCli(['haplotype', out, '--pairs', '3a:3b,10a:10b,8a:8b']).stdout.split('\n')[0], 'contig\tpos\tref\talt\t3a3b_PI\t3a3b_PG_al\t10a10b_PI\t10a10b_PG_al\t8a8b_PI\t8a8b_PG_al');
  });

  it('stores contig names of any UTF-8 in its CHROM dictionary: apache-arrow and genomatrix read them back', () => {
    // Names of one byte a character and of two, three and four (the dictionary's offsets count
    // bytes; pack encodes the names in one piece), in both lengths of contig run.
    const names = ['chr1', 'contig_é', 'chr_Ω_2', '染色体3', 'scaffold_😀', 'chr2'];
    const lines = ['CHROM\tPOS\tREF\ta\tb'];
    names.forEach((name, c) => {
      for (let pos = 1; pos <= (c % 2 === 0 ? 3 : 300); pos++) lines.push([name, pos, 'A', c % 3 === 0 ? 'C' : 'A', 'A'].join('\t'));
    });
    const input = scratch.file('utf8-names.tsv', `${lines.join('\n')}\n`);
    const out = join(scratch.dir, 'utf8-names.arrow');
    pack(input, out);
    const table = arrow.tableFromIPC(readFileSync(out));
    const chrom = table.getChild('CHROM') as arrow.Vector;
    assert.deepEqual([...new Set(chrom.toArray() as string[])], names);
    assert.equal(chrom.length, lines.length - 1);
    const fromText = runCli(['haplotype', input]);
    const fromArrow = runCli(['haplotype', out]);
    assert.equal(fromArrow.status, 0, fromArrow.stderr);
    assert.equal(fromArrow.stdout, fromText.stdout);
    assert.deepEqual([...new Set(fromArrow.stdout.trimEnd().split('\n').slice(1).map((line) => line.split('\t')[0]))], names.filter((_, c) => c % 3 === 0));
  });

  it('refuses bad --pairs and an unwritable output with exit 2, leaving no file', () => {
    const out = join(scratch.dir, 'bad-pairs.arrow');
    const bad = runCli(['pack', fixture('small.tsv'), '-o', out, '--pairs', '10a:nope']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^genomatrix: --pairs: 'nope' is not a haplotype column/);
    assert.equal(existsSync(out), false);
    const missingDir = runCli(['pack', fixture('small.tsv'), '-o', join(scratch.dir, 'no', 'such', 'dir.arrow')]);
    assert.equal(missingDir.status, 2);
    assert.match(missingDir.stderr, /^genomatrix: cannot write .*dir\.arrow/);
    const noOutput = runCli(['pack', fixture('small.tsv')]);
    assert.equal(noOutput.status, 2);
  });
});

describe('genomatrix pack over a generated matrix (contigs in two runs, gzip)', () => {
  const scratch = scratchDir();
  let text: string;
  let packed: string;
  before(() => {
    text = join(scratch.dir, 'gen.tsv.gz');
    packed = join(scratch.dir, 'gen.arrow');
    generate(text, ['--contigs', '5', '--sites', '1500', '--haplotypes', '9', '--seed', '7', '--split-contigs', '--gzip']);
    pack(text, packed);
  });
  after(scratch.cleanup);

  for (const args of COMMANDS.filter((command) => !command.includes('--pairs'))) {
    it(`${args.join(' ')}: byte-identical output from text and .arrow`, async () => {
      const [name, options] = fromArguments(args[0] as string, args.slice(1));
      const fromText = await convert(name, text, options);
      const fromArrow = await convert(name, packed, options);
      assert.ok(fromText.length > 1000);
      assert.ok(withoutCommandLine(fromArrow) === withoutCommandLine(fromText), 'outputs differ');
    });
  }

  it('holds the column data and little else (metadata, alignment)', () => {
    const rows = 5 * 1500;
    const dataBytes = rows * (4 + 4 + 1 + 9); // CHROM, POS, REF, 9 haplotypes
    const size = statSync(packed).size;
    assert.ok(size >= dataBytes && size < dataBytes + 64 * 1024, `${size} bytes for ${dataBytes} bytes of data`);
  });
});

describe('bad .arrow input', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  const golden = readFileSync(join(root, 'native-layout', 'small.arrow'));
  const file = scratch.file;

  const cases: [string, () => Uint8Array, RegExp][] = [
    ['truncated file', () => golden.subarray(0, golden.length - 100), /\.arrow: truncated Arrow IPC file: it does not end with the ARROW1 magic/],
    ['only the magic', () => Buffer.from('ARROW1\0\0'), /\.arrow: truncated Arrow IPC file \(8 bytes\)$/],
    ['corrupt footer', () => {
      const bytes = Buffer.from(golden);
      bytes.writeInt32LE(0x7fffff00, bytes.length - 10);
      return bytes;
    }, /\.arrow: corrupt Arrow IPC footer length/],
    ['garbled footer', () => {
      const bytes = Buffer.from(golden);
      bytes.fill(0xee, bytes.length - 10 - bytes.readInt32LE(bytes.length - 10), bytes.length - 10);
      return bytes;
    }, /\.arrow: corrupt Arrow IPC metadata: metadata offset \d+ \(\+4\) is outside its 1152 bytes$/],
    ['an Arrow file not written by pack', () => arrow.tableToIPC(arrow.tableFromArrays({ x: new Int32Array([1, 2]) }), 'file'), /\.arrow: not a genomatrix matrix file: expected column 1 CHROM/],
    ['the pack schema without the genomatrix metadata', () => {
      const table = arrow.tableFromIPC(golden);
      return arrow.tableToIPC(new arrow.Table(new arrow.Schema(table.schema.fields), table.batches.map((batch) => new arrow.RecordBatch(new arrow.Schema(table.schema.fields), batch.data))), 'file');
    }, /\.arrow: no genomatrix\.layout_version in the schema metadata: not a matrix written by genomatrix pack$/],
  ];
  for (const [name, content, message] of cases) {
    it(`${name}: exit 1 and one line naming the file`, () => {
      const path = file(`${name.replace(/\W+/g, '-')}.arrow`, content());
      const run = runCli(['haplotype', path]);
      assert.equal(run.status, 1, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^genomatrix: /);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr.trim(), message);
    });
  }

  it('--header with an .arrow input is a usage error (exit 2)', () => {
    const run = runCli(['haplotype', join(root, 'native-layout', 'small.arrow'), '--header', fixture('small.header.tsv')]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^genomatrix: --header is for text matrices/);
  });
});
