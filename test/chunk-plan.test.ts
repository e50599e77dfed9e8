import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadMatrix } from '../src/index.js';
import { byteRanges, DEFAULT_CHUNK_BYTES, loadChunkBytes, MIN_LOAD_CHUNK_BYTES } from '../src/read/chunk-plan.js';
import { generate, scratchDir } from './helpers.js';

const MiB = 1 << 20;

describe('parse chunks of a load', () => {
  it('cuts a small file into 8 tasks per worker, within 1 and 8 MiB a task, and 1 KiB a field', () => {
    assert.equal(loadChunkBytes(32 * MiB, 2, 34), 2 * MiB);
    assert.equal(loadChunkBytes(32 * MiB, 4, 34), MIN_LOAD_CHUNK_BYTES);
    assert.equal(loadChunkBytes(300 * MiB, 2, 34), DEFAULT_CHUNK_BYTES);
    assert.equal(loadChunkBytes(1000, 2, 34), MIN_LOAD_CHUNK_BYTES);
    assert.equal(loadChunkBytes(32 * MiB, 0, 34), 4 * MiB);
    // Wide lines: 2,003 fields at least 2 MB a task; 100,003 fields as many bytes as before.
    assert.equal(loadChunkBytes(8 * MiB, 2, 2003), 1024 * 2003);
    assert.equal(loadChunkBytes(5 * MiB, 2, 100003), DEFAULT_CHUNK_BYTES);
    // A 32 MB file of the bench's shapes: 16 byte ranges for 2 workers.
    assert.equal(byteRanges(0, 32 * MiB, loadChunkBytes(32 * MiB, 2, 34), 34).length, 16);
  });

  it('loads a file of many contigs cut into several tasks as when it is one task', async () => {
    const scratch = scratchDir();
    try {
      const path = join(scratch.dir, 'contigs.tsv');
      // About 3 MiB: three parse tasks by default, contigs cut at their boundaries.
      generate(path, ['--contigs', '3000', '--sites', '20', '--haplotypes', '31']);
      const size = readFileSync(path).length;
      assert.ok(size > 2 * MIN_LOAD_CHUNK_BYTES, `${size} bytes`);
      const whole = await loadMatrix(path, { threads: 2, chunkBytes: 2 * size });
      const cut = await loadMatrix(path, { threads: 2 });
      try {
        assert.equal(cut.contigs.length, 3000);
        assert.deepEqual(cut.contigs, whole.contigs);
        for (const name of ['POS', 'REF', ...whole.samples]) {
          const a = cut.column(name);
          const b = whole.column(name);
          for (let row = 0; row < whole.sites; row++) if (a.get(row) !== b.get(row)) assert.fail(`${name} differs at row ${row}: ${a.get(row)} against ${b.get(row)}`);
        }
      } finally {
        await whole.close();
        await cut.close();
      }
    } finally {
      scratch.cleanup();
    }
  });
});
