// -r/--regions, -R/--regions-file, -s/--samples and -S/--samples-file on the command line, as
// bcftools taught them (docs/selection.md): a selected run equals the whole run's lines in range
// (worked out by hand on the small fixture, by a plain filter over the whole table on a generated
// one), `vcf -r/-s` equals `bcftools view -r/-s` of the whole VCF, every input form and both memory
// modes agree, and a packed input reads only the record batches it needs. Runs compared with one
// another go through the library in process (test/in-process.ts); the command line's own forms
// of each option run the CLI.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeMatrix, describePackedMatrix, loadMatrix, pack, stats, vcf, type MatrixDescription, type MatrixStats } from 'genomatrix';
import { assertOneLine, fixture, generate, runCli, scratchDir, withoutCommandLine } from './helpers.js';
import { convert, convertTo } from './in-process.js';

const has = (tool: string): boolean => spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0;
// CI installs bcftools and tabix (.ci/run): there these tests must run, never be skipped.
const skip = !process.env.CI && !(has('bcftools') && has('bgzip')) ? 'bcftools or bgzip is not installed (apt-get install bcftools tabix)' : false;

function cli(args: string[]): string {
  const run = runCli([...args, '--quiet']);
  assert.equal(run.status, 0, `${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

function bcftools(args: string[]): string {
  const run = spawnSync('bcftools', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, `bcftools ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

/** Data lines (neither `#` header lines nor the haplotype table's header). */
const records = (text: string): string[] => text.split('\n').filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('contig\t'));
const chromLine = (vcf: string): string | undefined => vcf.split('\n').find((line) => line.startsWith('#CHROM'));

/** Lines of a table (first field contig, second POS) whose site lies in one of `regions`, checked one by one. */
function inRegions(lines: readonly string[], regions: readonly [string, number, number][]): string[] {
  return lines.filter((line) => {
    const [contig, pos] = line.split('\t');
    return regions.some(([c, from, to]) => c === contig && Number(pos) >= from && Number(pos) <= to);
  });
}

describe('selection on the small fixture, worked out by hand', () => {
  const scratch = scratchDir();
  const arrow = join(scratch.dir, 'small.arrow');
  before(() => convertTo('pack', fixture('small.tsv'), arrow));
  after(scratch.cleanup);
  const table = readFileSync(fixture('small.expected.tsv'), 'utf8');
  const header = table.slice(0, table.indexOf('\n') + 1);
  // small.tsv's chr1 sites: 100 101 103 104 107 108 | 200 201 205 206 210 (101, 103, 200 and 210
  // have no alt). chr1:101-201 holds 101..201: kept 104 107 108 201; chr3:1 is the site at 1.
  const byHand = ['chr1\t104\t', 'chr1\t107\t', 'chr1\t108\t', 'chr1\t201\t', 'chr3\t1\t'];
  const expected = header + byHand.map((start) => table.split('\n').find((line) => line.startsWith(start)) + '\n').join('');

  for (const input of [fixture('small.tsv'), fixture('small.tsv.gz'), arrow]) {
    it(`haplotype -r: the whole table's lines in range (${input.split('/').pop()})`, async () => {
      assert.equal(await convert('haplotype', input, { regions: 'chr1:101-201,chr3:1' }), expected);
      // The same regions unsorted, overlapping and split: merged, in matrix order.
      if (input === arrow) assert.equal(cli(['haplotype', input, '-r', 'chr3:1-1,chr1:150-201,chr1:101-108,chr1:104-105']), expected);
      else assert.equal(await convert('haplotype', input, { regions: 'chr3:1-1,chr1:150-201,chr1:101-108,chr1:104-105' }), expected);
    });
  }

  it('-R: a BED file (0-based, end exclusive) and a 1-based CHR POS END file select the same sites', () => {
    const bed = join(scratch.dir, 'sites.bed');
    const tsv = join(scratch.dir, 'sites.txt');
    writeFileSync(bed, 'track name=sites\nchr1\t100\t201\nchr3\t0\t1\n');
    writeFileSync(tsv, '#CHROM\tFROM\tTO\nchr1\t101\t201\nchr3\t1\n');
    assert.equal(cli(['haplotype', arrow, '-R', bed]), expected);
    assert.equal(cli(['haplotype', fixture('small.tsv'), '-R', tsv]), expected);
  });

  it('-s: the named pairs in the order given, ^ all but those; alt still sees every haplotype', async () => {
    const whole = table.trimEnd().split('\n').map((line) => line.split('\t'));
    // Columns: contig pos ref alt 10a10b_PI 10a10b_PG_al 3a3b_PI 3a3b_PG_al 8a8b_PI 8a8b_PG_al.
    const pick = (columns: number[]) => whole.map((fields) => columns.map((c) => fields[c]).join('\t') + '\n').join('');
    assert.equal(cli(['haplotype', fixture('small.tsv'), '-s', '^3a3b']), pick([0, 1, 2, 3, 4, 5, 8, 9]));
    assert.equal(await convert('haplotype', arrow, { samples: '8a8b,10a10b' }), pick([0, 1, 2, 3, 8, 9, 4, 5]));
    // chr1:108's alt C,G,T comes from 3b, 3a, 10b: still there with only 8a8b written.
    assert.match(await convert('haplotype', arrow, { samples: '8a8b', regions: 'chr1:108' }), /\nchr1\t108\tA\tC,G,T\tchr1\tA\|G\n$/);
    const list = join(scratch.dir, 'pairs.txt');
    writeFileSync(list, '3a3b\n\n10a10b\n');
    assert.equal(cli(['haplotype', arrow, '-S', `^${list}`]), pick([0, 1, 2, 3, 8, 9]));
  });

  it('vcf -s selects among all the VCF\'s samples, the haploid one (out) too; alleles stay the whole matrix\'s', async () => {
    // The whole VCF's samples: 10a10b 3a3b 8a8b, then out (in no pair). -s picks among those
    // columns of the whole VCF's records, as bcftools view -s does; every record stays.
    const whole = records(await convert('vcf', fixture('small.tsv'))).map((line) => line.split('\t'));
    const pick = (samples: number[]) => whole.map((fields) => [...fields.slice(0, 9), ...samples.map((s) => fields[9 + s])].join('\t'));
    // vcf -s on the command line once (in memory, ^out); the other selections and modes in process.
    const run = async (mode: string[], samples: string): Promise<string> =>
      mode.length === 1 && samples === '^out' ? cli(['vcf', ...mode, '-s', samples]) : await convert('vcf', mode.length === 1 ? fixture('small.tsv') : arrow, { lowMemory: mode.length > 1, samples });
    for (const mode of [[fixture('small.tsv')], [arrow, '--low-memory']]) {
      const dropOut = await run(mode, '^out');
      assert.equal(chromLine(dropOut), '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t10a10b\t3a3b\t8a8b');
      // chr1:107's only alt (A) is out's: still written, as chr2:12's (G).
      assert.deepEqual(records(dropOut), pick([0, 1, 2]));
      assert.match(dropOut, /\nchr1\t107\t\.\tG\tA\t/);
      const two = await run(mode, 'out,10a10b');
      assert.equal(chromLine(two), '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tout\t10a10b');
      assert.deepEqual(records(two), pick([3, 0]));
      assert.deepEqual(records(await run(mode, '10a10b')), pick([0]));
      const unknown = runCli(['vcf', ...mode, '-s', '^9a9b', '--quiet']);
      assert.equal(unknown.status, 2);
      assert.equal(unknown.stderr, 'genomatrix: -s: no sample 9a9b; the samples are 10a10b, 3a3b, 8a8b, out\n');
    }
  });

  it('a contig cut into two ranges: one contig in stats, the VCF header, a packed file and info', async () => {
    const regions = 'chr1:100-104,chr1:201-206';
    // chr1 sites in range: 100 101 103 104 and 201 205 206, 7 in all; 100 104 201 205 206 have an alt.
    // In the VCF, 104's only non-REF cells are deletions (3a, 10b), anchored on 103, where both of
    // those haplotypes are N: the record `103 GT N` (docs/vcf.md, "Anchoring"); records 100 103 201 205 206.
    const statsJson = JSON.parse(cli(['stats', arrow, '--json', '-r', regions])) as MatrixStats;
    assert.deepEqual(statsJson.contigs.map((contig) => [contig.contig, contig.sites, contig.variableSites]), [['chr1', 7, 5]]);
    const vcfText = cli(['vcf', fixture('small.tsv'), '-r', regions]);
    assert.deepEqual(vcfText.match(/^##contig=.*$/gm), ['##contig=<ID=chr1,length=210>']);
    assert.deepEqual(records(vcfText).map((line) => line.split('\t')[1]), ['100', '103', '201', '205', '206']);
    const part = join(scratch.dir, 'part.arrow');
    cli(['pack', fixture('small.tsv'), '-r', regions, '-o', part]);
    assert.deepEqual((JSON.parse(cli(['info', part, '--json'])) as MatrixDescription).contigs, [{ name: 'chr1', sites: 7 }]);
    assert.deepEqual((JSON.parse(cli(['info', arrow, '--json', '-r', regions])) as MatrixDescription).contigs, [{ name: 'chr1', sites: 7 }]);
    assert.equal(await convert('haplotype', part), await convert('haplotype', arrow, { regions }));
    // Short ranges are gathered into one batch (what the command line did above); kept as ranges,
    // the library lists one entry per range, and the outputs still speak of one contig.
    const matrix = await loadMatrix(arrow, { regions, gatherBelowRows: 0 });
    const gathered = await loadMatrix(arrow, { regions });
    try {
      assert.deepEqual(gathered.contigs.map((contig) => [contig.name, contig.sites, contig.rowStart]), [['chr1', 7, 0]]);
      assert.deepEqual(matrix.contigs.map((contig) => [contig.name, contig.sites, contig.rowStart]), [['chr1', 4, 0], ['chr1', 3, 4]]);
      assert.deepEqual(await stats(matrix), statsJson);
      assert.deepEqual(await stats(gathered), statsJson);
      assert.deepEqual(describeMatrix(matrix).contigs, [{ name: 'chr1', sites: 7 }]);
      const [ranges, one] = [join(scratch.dir, 'ranges.vcf'), join(scratch.dir, 'one.vcf')];
      await vcf(matrix, { output: ranges });
      await vcf(gathered, { output: one });
      assert.equal(readFileSync(ranges, 'utf8'), readFileSync(one, 'utf8'));
      // The library writes no ##genomatrixCommand line unless given a command; the CLI does.
      assert.equal(readFileSync(ranges, 'utf8'), withoutCommandLine(vcfText));
      const packed = join(scratch.dir, 'ranges.arrow');
      await pack(matrix, { output: packed });
      assert.deepEqual(describePackedMatrix(packed).contigs, [{ name: 'chr1', sites: 7 }]);
      assert.deepEqual([...matrix.column('POS').chunks.flatMap((chunk) => [...chunk])], [100, 101, 103, 104, 201, 205, 206]);
      assert.deepEqual([...matrix.table.getChild('POS')!.toArray()], [100, 101, 103, 104, 201, 205, 206]);
      assert.deepEqual(matrix.table.getChild('CHROM')!.toArray(), ['chr1', 'chr1', 'chr1', 'chr1', 'chr1', 'chr1', 'chr1']);
      assert.equal(matrix.site('chr1', 205)?.row, 5);
      assert.equal(matrix.site('chr1', 107), undefined); // outside the regions
    } finally {
      await Promise.all([matrix.close(), gathered.close()]);
    }
  });

  it('a selection holding no site (chr1 has none at 150): the header alone, and pack refuses', async () => {
    assert.equal(await convert('haplotype', arrow, { regions: 'chr1:150' }), header);
    assert.deepEqual(records(await convert('vcf', fixture('small.tsv'), { regions: 'chr1:150' })), []);
    const out = join(scratch.dir, 'empty.arrow');
    for (const mode of [[], ['--low-memory']]) {
      const run = runCli(['pack', arrow, '-r', 'chr1:150', '-o', out, ...mode]);
      assert.equal(run.status, 2, run.stderr);
      assert.equal(run.stderr, `genomatrix: ${arrow}: no sites to pack\n`);
      assert.equal(existsSync(out), false);
    }
  });

  it('unsorted positions (--allow-unsorted): the rows inside, in matrix order', () => {
    const unsorted = join(scratch.dir, 'unsorted.tsv');
    writeFileSync(unsorted, 'CHROM\tPOS\tREF\t1a\t1b\nc\t5\tA\tC\tA\nc\t3\tA\tG\tA\nc\t9\tA\tT\tA\nc\t4\tA\tA\tC\n');
    const run = runCli(['haplotype', unsorted, '--allow-unsorted', '-q', '-r', 'c:3-4']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'contig\tpos\tref\talt\t1a1b_PI\t1a1b_PG_al\nc\t3\tA\tG\tc\tG|A\nc\t4\tA\tC\tc\tA|C\n');
  });

  it('--contigs and -r together, -s and -S together: exit 2, one line', () => {
    for (const args of [['--contigs', 'chr1', '-r', 'chr2'], ['-s', '3a3b', '-S', 'x.txt']]) {
      const run = runCli(['haplotype', fixture('small.tsv'), ...args]);
      assert.equal(run.status, 2, run.stderr);
      assertOneLine(run.stderr);
      assert.match(run.stderr, /give one of them/);
    }
  });

  it('bad selections: exit 2, one line naming what is wrong, and no output', () => {
    const badBed = join(scratch.dir, 'bad.bed');
    writeFileSync(badBed, 'chr1\t1\t5\nchr1\tfive\t9\n');
    const out = join(scratch.dir, 'out.tsv');
    for (const [args, message] of [
      [['-s', '9a9b'], '-s: no pair 9a9b; the pairs are 10a10b, 3a3b, 8a8b'],
      [['-s', '^3a3b,x'], '-s: no pair x; the pairs are 10a10b, 3a3b, 8a8b'],
      [['-r', 'chr1:abc'], '-r "chr1:abc": "abc" is not a position: expected CHR, CHR:POS, CHR:FROM-TO or CHR:FROM- (1-based, inclusive)'],
      [['-r', 'chr1:9-2'], '-r "chr1:9-2": the end 2 is before the start 9'],
      [['-r', 'chr1:5,chrX:1-9'], `${fixture('small.tsv')}: no contig chrX; its contigs are chr1, chr2, chr3`],
      [['-R', badBed], `${badBed}:2: "five" is not a whole number: expected CHR, START and END separated by tabs (BED: 0-based, END exclusive)`],
    ] as const) {
      for (const mode of args[0] === '-s' ? [[], ['--low-memory']] : [[]]) {
        const run = runCli(['haplotype', args[0] === '-s' ? arrow : fixture('small.tsv'), ...args, ...mode, '-o', out]);
        assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
        assertOneLine(run.stderr);
        assert.equal(run.stderr, `genomatrix: ${message}\n`);
        assert.equal(existsSync(out), false);
      }
    }
  });
});

describe('selection on a generated matrix: every input and mode, and bcftools', { skip }, () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  const text = join(scratch.dir, 'gen.tsv');
  const arrow = join(scratch.dir, 'gen.arrow');
  const wholeVcf = join(scratch.dir, 'whole.vcf.gz');
  let regionList: [string, number, number][] = [];
  let regions = '';
  let wholeTable: string[] = [];

  before(async () => {
    // 3 contigs x 3000 sites, each contig's rows together (so --low-memory streams the text too).
    generate(text, ['--contigs', '3', '--sites', '3000', '--haplotypes', '6', '--seed', '21', '--deletion-rate', '0.05']);
    await convertTo('pack', text, arrow);
    await convertTo('vcf', text, wholeVcf);
    bcftools(['index', wholeVcf]);
    const positions = new Map<string, number[]>();
    for (const line of readFileSync(text, 'utf8').split('\n').slice(1)) {
      const [contig, pos] = line.split('\t');
      if (contig && pos) (positions.get(contig) ?? positions.set(contig, []).get(contig)!).push(Number(pos));
    }
    const p = (contig: string, row: number): number => positions.get(contig)![row]!;
    // Overlapping chr1 regions, a start between sites, one site, an open end; chr3 untouched.
    regionList = [
      ['chr1', p('chr1', 100) + 1, p('chr1', 400)],
      ['chr1', p('chr1', 300), p('chr1', 700)],
      ['chr1', p('chr1', 1500), p('chr1', 1500)],
      ['chr2', p('chr2', 2500), 2 ** 31 - 1],
    ];
    regions = [`chr1:${regionList[0]![1]}-${regionList[0]![2]}`, `chr1:${regionList[1]![1]}-${regionList[1]![2]}`, `chr1:${regionList[2]![1]}`, `chr2:${regionList[3]![1]}-`].join(',');
    wholeTable = records(await convert('haplotype', arrow));
  });

  it('haplotype -r: the whole table\'s lines in range, from text and .arrow, in memory and --low-memory', async () => {
    const expected = inRegions(wholeTable, regionList);
    assert.ok(expected.length > 300 && expected.length < wholeTable.length / 2, `${expected.length} lines`);
    const first = cli(['haplotype', text, '-r', regions]);
    assert.deepEqual(records(first), expected);
    for (const [input, lowMemory] of [[arrow, false], [text, true], [arrow, true]] as const) {
      assert.equal(await convert('haplotype', input, { regions, lowMemory }), first, `${input} ${lowMemory}`);
    }
  });

  it('vcf and stats -r -s: --low-memory (text, .arrow) and standard input (stats, haplotype) write what the in-memory run writes', async () => {
    const select = ['-r', regions, '-s', '^2a2b'];
    for (const command of ['vcf', 'stats'] as const) {
      const memory = cli([command, text, ...select]);
      // The ##genomatrixCommand line names each run's own command line and date.
      for (const input of [arrow, text]) {
        const low = await convert(command, input, { regions, samples: '^2a2b', lowMemory: true });
        assert.equal(withoutCommandLine(low), withoutCommandLine(memory), `${command} ${input} --low-memory`);
      }
    }
    // Standard input: a single pass (vcf reads its input twice, once for the header).
    for (const command of ['stats', 'haplotype']) {
      const piped = runCli([command, '-', ...select, '--quiet'], { input: readFileSync(text, 'utf8') });
      assert.equal(piped.status, 0, piped.stderr);
      assert.equal(piped.stdout, await convert(command as 'stats' | 'haplotype', text, { regions, samples: '^2a2b' }), `${command} -`);
    }
    // A cut contig keeps its whole length in the header, in every mode: chr1's last site is row 2999.
    const positions = readFileSync(text, 'utf8').split('\n').filter((line) => line.startsWith('chr1\t'));
    const chr1Length = Number(positions[positions.length - 1]!.split('\t')[1]);
    assert.match(await convert('vcf', text, { regions, samples: '^2a2b', lowMemory: true }), new RegExp(`##contig=<ID=chr1,length=${chr1Length}>`));
    // One statistics row per contig, however its regions cut it: chr1 and chr2, chr3 not selected.
    const rows = (await convert('stats', arrow, { regions, samples: '^2a2b', lowMemory: true })).split('\n').filter((line) => /^chr\d\t/.test(line));
    assert.deepEqual([...new Set(rows.map((line) => line.split('\t')[0]))], ['chr1', 'chr2']);
  });

  it('vcf -r and -s: the records and the sample columns of bcftools view -r/-s of the whole VCF', async () => {
    for (const samples of [undefined, '3a3b,1a1b', '^2a2b']) {
      const select = samples === undefined ? [] : ['-s', samples];
      // -I: no INFO/AC and AN added for the subset (genomatrix writes no INFO).
      const theirs = bcftools(['view', '-I', '-r', regions, ...select, wholeVcf]);
      for (const input of [text, arrow]) {
        const ours = input === text ? cli(['vcf', input, '-r', regions, ...select]) : await convert('vcf', input, { regions, ...(samples === undefined ? {} : { samples }) });
        assert.equal(chromLine(ours), chromLine(theirs), `${samples}`);
        assert.deepEqual(records(ours), records(theirs), `${input} ${samples}`);
      }
    }
    assert.ok(records(bcftools(['view', '-r', regions, wholeVcf])).length > 100);
  });

  it('-R: BED and 1-based files select what -r selects, and what bcftools view -R selects', async () => {
    const bed = join(scratch.dir, 'regions.bed');
    const tsv = join(scratch.dir, 'regions.tsv');
    const end = (to: number) => Math.min(to, 1e9);
    writeFileSync(bed, regionList.map(([contig, from, to]) => `${contig}\t${from - 1}\t${end(to)}\n`).join(''));
    writeFileSync(tsv, regionList.map(([contig, from, to]) => `${contig}\t${from}\t${end(to)}\n`).join(''));
    const byR = await convert('vcf', arrow, { regions });
    for (const file of [bed, tsv]) {
      const ours = file === bed ? cli(['vcf', arrow, '-R', file]) : await convert('vcf', arrow, { regionsFile: file });
      assert.equal(withoutCommandLine(ours), withoutCommandLine(byR), file);
      assert.deepEqual(records(ours), records(bcftools(['view', '-R', file, wholeVcf])), file);
    }
  });

  it('a packed input reads only the record batches of the selected contigs', async () => {
    // `arrow` holds the three contigs in one record batch (small contigs go together); here each
    // is a batch of its own (batches of at most 1,000 bytes of columns).
    const perContig = join(scratch.dir, 'per-contig.arrow');
    const whole = await loadMatrix(text);
    await pack(whole, { output: perContig, batchBytes: 1000 });
    await whole.close();
    const region = `chr2:${regionList[3]![1]}-`;
    const textMatrix = await loadMatrix(text, { regions: region });
    const fromText = describeMatrix(textMatrix);
    await textMatrix.close();
    // Each file: one buffer, holding its record batch of chr2, 3000 rows (or 9000 for the three
    // contigs) of POS (4 bytes), REF and 6 haplotypes (1 byte), with padding.
    for (const [file, rows] of [[perContig, 3000], [arrow, 9000]] as const) {
      const described = JSON.parse(cli(['info', file, '--json', '-r', region])) as MatrixDescription;
      assert.deepEqual(described.contigs, [{ name: 'chr2', sites: 500 }]); // rows 2500..2999 of chr2
      assert.deepEqual(described.contigs, fromText.contigs);
      assert.equal(described.sharedBuffers.count, 1);
      assert.ok(described.sharedBuffers.bytes >= rows * 11 && described.sharedBuffers.bytes < rows * 11 + 64 * 9, `${described.sharedBuffers.bytes} bytes`);
      if (file === perContig) assert.ok(described.sharedBuffers.bytes < readFileSync(file).length / 2);
      const matrix = await loadMatrix(file, { regions: region });
      try {
        assert.equal(matrix.layout.buffers.length, 1);
        assert.equal(matrix.sites, 500);
      } finally {
        await matrix.close();
      }
    }
  });

  it('stats and pack with a selection: in memory and --low-memory agree', async () => {
    const inMemory = join(scratch.dir, 'part.arrow');
    const streamed = join(scratch.dir, 'part-low.arrow');
    cli(['pack', text, '-r', regions, '-o', inMemory]);
    cli(['pack', text, '-r', regions, '--low-memory', '-o', streamed]);
    const expected = await convert('haplotype', text, { regions });
    assert.equal(await convert('haplotype', inMemory), expected);
    assert.equal(await convert('haplotype', streamed), expected);
    const stats = JSON.parse(cli(['stats', arrow, '--json', '-r', regions, '-s', '^1a1b'])) as MatrixStats;
    assert.deepEqual(stats.contigs.map((contig) => contig.contig), ['chr1', 'chr2']);
    assert.equal(stats.genome.sites, inRegions(readFileSync(text, 'utf8').split('\n').slice(1), regionList).length);
    assert.deepEqual(stats.genome.pairs.map((pair) => pair.pair), ['2a2b', '3a3b']);
    assert.deepEqual(JSON.parse(await convert('stats --json', inMemory, { samples: '^1a1b' })), stats);
  });
});
