// `--contigs` (LoadOptions.contigs): a run over some contigs of a matrix gives exactly those
// contigs' part of the whole run, in matrix order, from every input form; a packed input reads only
// their bytes; a name the matrix lacks is a one-line usage error that writes nothing.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeMatrix, describePackedMatrix, loadMatrix, mergeStats, type MatrixDescription, type MatrixStats } from 'genomatrix';
import { assertOneLine, fixture, runCli, scratchDir } from './helpers.js';
import { convert, convertTo } from './in-process.js';

/** The header line(s) and the data lines of `text` whose first field is in `contigs`. */
function partOf(text: string, contigs: string[], isHeader: (line: string) => boolean): string {
  return text
    .split('\n')
    .filter((line) => line !== '' && (isHeader(line) || contigs.includes(line.slice(0, line.indexOf('\t')))))
    .map((line) => `${line}\n`)
    .join('');
}

function cli(args: string[]): string {
  const run = runCli([...args, '--quiet']);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

describe('--contigs', () => {
  const scratch = scratchDir();
  const arrow = join(scratch.dir, 'small.arrow');
  // small.tsv: chr1 in two runs (lines 2-7 and 13-17), then chr2 between them, chr3 last.
  const inputs = [fixture('small.tsv'), fixture('small.tsv.gz'), arrow];
  before(() => convertTo('pack', fixture('small.tsv'), arrow));
  after(scratch.cleanup);

  for (const input of inputs.map((path, i) => ({ path, name: ['text', 'gzip', '.arrow'][i] }))) {
    it(`haplotype, ${input.name}: the selected contigs' lines of the whole table, in matrix order`, async () => {
      const whole = readFileSync(fixture('small.expected.tsv'), 'utf8');
      const isHeader = (line: string) => line.startsWith('contig\t');
      assert.equal(await convert('haplotype', input.path, { contigs: ['chr3', 'chr1'] }), partOf(whole, ['chr1', 'chr3'], isHeader));
      assert.equal(await convert('haplotype', input.path, { contigs: ['chr2'] }), partOf(whole, ['chr2'], isHeader));
      // The command line's list: spaces around the names are dropped.
      if (input.name === 'text') assert.equal(cli(['haplotype', input.path, '--contigs', ' chr1 , chr2,chr3 ']), whole);
    });

    it(`vcf and stats, ${input.name}: the selected contigs' records and rows`, async () => {
      const records = (vcf: string) => vcf.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
      const whole = await convert('vcf', input.path);
      const shard = await convert('vcf', input.path, { contigs: ['chr1'] });
      assert.deepEqual(records(shard), records(whole).filter((line) => line.startsWith('chr1\t')));
      assert.ok(records(shard).length > 0);
      assert.match(shard, /^##contig=<ID=chr1,length=\d+>$/m);
      assert.doesNotMatch(shard, /^##contig=<ID=chr[23],/m);

      const all = JSON.parse(await convert('stats --json', input.path)) as MatrixStats;
      const some = JSON.parse(await convert('stats --json', input.path, { contigs: ['chr2', 'chr3'] })) as MatrixStats;
      assert.deepEqual(some.contigs, all.contigs.filter((contig) => contig.contig !== 'chr1'));
      assert.equal(some.genome.sites, 7);
    });
  }

  it('shards concatenate to the whole run', async () => {
    const whole = await convert('haplotype', arrow);
    const shards = await Promise.all(['chr1', 'chr2', 'chr3'].map((contig) => convert('haplotype', arrow, { contigs: [contig] })));
    assert.equal(shards[0]! + shards.slice(1).map((shard) => shard.slice(shard.indexOf('\n') + 1)).join(''), whole);
  });

  it('merge-stats: the statistics of shards make those of the whole matrix, TSV and JSON', async () => {
    const part = async (contigs: string, pairs?: string) => {
      const out = join(scratch.dir, `stats-${contigs}${pairs ? '-paired' : ''}.json`);
      writeFileSync(out, await convert('stats --json', arrow, { contigs: contigs.split(','), ...(pairs ? { pairs } : {}) }));
      return out;
    };
    const parts = [await part('chr1'), await part('chr2,chr3')];
    assert.equal(cli(['merge-stats', ...parts]), await convert('stats', arrow));
    const wholeJson = JSON.parse(await convert('stats --json', arrow)) as MatrixStats;
    assert.deepEqual(JSON.parse(cli(['merge-stats', ...parts, '--json'])), wholeJson);
    const paired = '8b:3a,10a:10b';
    assert.equal(cli(['merge-stats', await part('chr1', paired), await part('chr2', paired), await part('chr3', paired)]), await convert('stats', arrow, { pairs: paired }));
    // `-` reads one part from standard input, in its place among the others.
    const fromStdin = runCli(['merge-stats', '-q', '-', parts[1] as string], { input: readFileSync(parts[0] as string, 'utf8') });
    assert.equal(fromStdin.status, 0, fromStdin.stderr);
    assert.equal(fromStdin.stdout, await convert('stats', arrow));
    const merged = mergeStats(parts.map((path) => JSON.parse(readFileSync(path, 'utf8')) as MatrixStats));
    assert.deepEqual(merged, wholeJson);
  });

  it('merge-stats refuses parts that are not shards of one matrix, or not statistics: one line', async () => {
    const chr1 = join(scratch.dir, 'stats-chr1.json');
    const otherPairs = join(scratch.dir, 'stats-chr2-other.json');
    await convertTo('stats --json', arrow, otherPairs, { contigs: ['chr2'], pairs: '8a:8b' });
    const notJson = join(scratch.dir, 'not.json');
    const notStats = join(scratch.dir, 'other.json');
    writeFileSync(notJson, '{"contigs": [');
    writeFileSync(notStats, '{"contigs": [], "genome": {"sites": 1}}');
    for (const [parts, status, message] of [
      [[chr1, chr1], 2, `${chr1}: contig chr1 is in an earlier part already`],
      [['-', chr1, '-'], 2, 'standard input (-) holds one part: give - once'],
      [[chr1, otherPairs], 2, `${otherPairs}: other haplotypes, alleles or pairs than ${chr1}: not shards of one matrix`],
      [[chr1, notJson], 1, `${notJson}: not JSON`],
      [[notStats], 1, `${notStats}: expected the output of genomatrix stats --json (contigs and genome statistics, every count a whole number >= 0)`],
    ] as const) {
      const out = join(scratch.dir, 'merged.tsv');
      const run = runCli(['merge-stats', ...parts, '-o', out]);
      assert.equal(run.status, status, run.stderr);
      assertOneLine(run.stderr);
      assert.ok(run.stderr.startsWith(`genomatrix: ${message}`), run.stderr);
      assert.equal(existsSync(out), false);
    }
  });

  it('pack --contigs writes a smaller matrix of those contigs; info describes it', async () => {
    const part = join(scratch.dir, 'part.arrow');
    cli(['pack', fixture('small.tsv'), '--contigs', 'chr2', '-o', part]);
    const described = JSON.parse(cli(['info', part, '--json'])) as MatrixDescription;
    assert.deepEqual(described.contigs, [{ name: 'chr2', sites: 5 }]);
    assert.equal(await convert('haplotype', part), await convert('haplotype', arrow, { contigs: ['chr2'] }));
  });

  it('a packed input reads only the selected contigs: one buffer per record batch, of its columns', async () => {
    const whole = await loadMatrix(arrow);
    const some = await loadMatrix(arrow, { contigs: ['chr2'] });
    try {
      assert.deepEqual(some.contigs.map((contig) => [contig.name, contig.sites, contig.rowStart]), [['chr2', 5, 0]]);
      assert.equal(some.layout.buffers.length, 1);
      const columns = 4 * 5 + 8 * 5; // POS, then REF and 7 haplotypes, one byte a site
      assert.ok(some.layout.buffers[0]!.byteLength >= columns && some.layout.buffers[0]!.byteLength < columns + 64 * 9, `${some.layout.buffers[0]!.byteLength} bytes`);
      assert.deepEqual([...some.column('3b').contig('chr2')], [...whole.column('3b').contig('chr2')]);
      assert.equal(some.table.numRows, 5);
      assert.deepEqual(some.table.getChild('POS')?.toArray(), whole.contigViews('chr2').pos);
    } finally {
      await Promise.all([whole.close(), some.close()]);
    }
  });

  it('info of a packed matrix comes from its metadata, and says what a load would hold', async () => {
    for (const contigs of [undefined, ['chr3', 'chr2'], ['chr2', 'chr1', 'chr3']]) {
      const matrix = await loadMatrix(arrow, { contigs });
      try {
        // The command line once (info of an .arrow file with --contigs); the library's description from the metadata otherwise.
        const fromMetadata = contigs?.length === 2 ? (JSON.parse(cli(['info', arrow, '--json', '--contigs', contigs.join(',')])) as MatrixDescription) : (JSON.parse(JSON.stringify(describePackedMatrix(arrow, contigs))) as MatrixDescription);
        assert.deepEqual(fromMetadata, JSON.parse(JSON.stringify(describeMatrix(matrix))));
      } finally {
        await matrix.close();
      }
    }
  });

  for (const input of inputs) {
    for (const mode of input.endsWith('.arrow') ? [[], ['--low-memory']] : [[]]) {
      it(`a contig the matrix lacks: exit 2, one line naming the file and the contig, no output (${input.split('/').pop()} ${mode.join(' ')})`, () => {
        const out = join(scratch.dir, 'missing.tsv');
        const run = runCli(['haplotype', input, '--contigs', 'chr2,chrX,chrY', '-o', out, ...mode]);
        assert.equal(run.status, 2);
        assertOneLine(run.stderr);
        assert.equal(run.stderr, `genomatrix: ${input}: no contigs chrX, chrY; its contigs are chr1, chr2, chr3\n`);
        assert.equal(existsSync(out), false);
      });
    }
  }

  it('an empty name: exit 2, one line', () => {
    for (const value of ['', 'chr1,,chr2', ',']) {
      const run = runCli(['stats', arrow, '--contigs', value]);
      assert.equal(run.status, 2, value);
      assertOneLine(run.stderr);
      assert.match(run.stderr, /--contigs .*: expected contig names separated by commas, with no empty name/);
    }
  });
});
