// A selection on a text input: the parse tasks skip the lines of contigs outside it (no rows made),
// in memory and streamed, across chunk boundaries. The skipped lines still give their alleles to
// the dictionary (the alleles stay the whole matrix's) and their cell errors; line numbers after
// them stay right. The fixture is written here: 300 lines of c1 (lines 2-301, over several 1 KiB
// parse chunks), then c2 (lines 302-303), then c3 (line 304).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadMatrix, lowMemoryHaplotype } from 'genomatrix';
import { scratchDir } from './helpers.js';

/** The matrix text, with `c1Line(k)` as the k-th c1 line (k = 0..299). */
function matrix(c1Line: (k: number) => string = (k) => `c1\t${k + 1}\tA\tA\t${k === 150 ? 'R' : 'A'}`, c2 = ['c2\t5\tG\tG\tT', 'c2\t6\tT\tT\tT']): string {
  const c1 = Array.from({ length: 300 }, (_, k) => c1Line(k));
  return ['CHROM\tPOS\tREF\ta\tb', ...c1, ...c2, 'c3\t1\tA\tA\tA', ''].join('\n');
}

describe('a text input with a selection skips the other contigs', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  const write = scratch.file;
  const good = write('good.tsv', matrix());

  it('in memory: only the selected contig is loaded; the alleles are the whole matrix\'s (R is only on a skipped c1 line)', async () => {
    const m = await loadMatrix(good, { contigs: ['c2'], chunkBytes: 1024, threads: 2 });
    try {
      assert.deepEqual(m.contigs.map((contig) => [contig.name, contig.sites]), [['c2', 2]]);
      assert.ok(m.alleles.includes('R'), m.alleles.join(','));
      const whole = await loadMatrix(good, { threads: 1 });
      assert.deepEqual(m.alleles, whole.alleles);
      await whole.close();
    } finally {
      await m.close();
    }
  });

  it('streamed: the selected contig\'s table is that of the whole run', async () => {
    const output = join(scratch.dir, 'c2.tsv');
    const whole = join(scratch.dir, 'whole.tsv');
    await lowMemoryHaplotype(good, { contigs: ['c2', 'c3'], chunkBytes: 1024, threads: 2, output });
    await lowMemoryHaplotype(good, { chunkBytes: 1024, threads: 2, output: whole });
    const lines = readFileSync(whole, 'utf8').split('\n');
    const part = lines.filter((line, i) => i === 0 || /^c[23]\t/.test(line));
    assert.ok(part.length > 1, 'c2 has a heterozygous site');
    assert.equal(readFileSync(output, 'utf8'), part.join('\n') + '\n');
  });

  it('a skipped line\'s POS is not read (it makes no row): a bad one there is no error', async () => {
    const path = write('skipped-pos.tsv', matrix((k) => `c1\t${k === 100 ? 'x' : k + 1}\tA\tA\tA`));
    const m = await loadMatrix(path, { contigs: ['c2'], chunkBytes: 1024, threads: 2 });
    assert.equal(m.sites, 2);
    await m.close();
    await assert.rejects(loadMatrix(path, { threads: 2 }), /skipped-pos\.tsv:102:2: POS 'x'/);
  });

  const bad = [
    { what: 'a bad POS in the selected contig after 300 skipped lines', text: matrix(undefined, ['c2\t5\tG\tG\tT', 'c2\tx\tT\tT\tT']), error: /bad-pos\.tsv:303:2: POS 'x' is not a positive integer/ },
    { what: 'a short line of a skipped contig', text: matrix((k) => (k === 200 ? 'c1\t201\tA\tA' : `c1\t${k + 1}\tA\tA\tA`)), error: /short\.tsv:202:5: expected 5 tab-separated fields, found 4/ },
    { what: 'a bad allele byte on a skipped line', text: matrix((k) => `c1\t${k + 1}\tA\tA\t${k === 250 ? '\x01' : 'A'}`), error: /byte\.tsv:252:5: unexpected byte 0x01 in an allele/ },
  ];
  const names = ['bad-pos.tsv', 'short.tsv', 'byte.tsv'];
  bad.forEach(({ what, text, error }, i) => {
    it(`${what}: the error names its line, in memory and streamed`, async () => {
      const path = write(names[i] as string, text);
      await assert.rejects(loadMatrix(path, { contigs: ['c2'], chunkBytes: 1024, threads: 2 }), error);
      await assert.rejects(lowMemoryHaplotype(path, { contigs: ['c2'], chunkBytes: 1024, threads: 2, output: join(scratch.dir, `out${i}`) }), error);
    });
  });
});
