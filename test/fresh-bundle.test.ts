import assert from 'node:assert/strict';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { WORKER_ENTRY } from '../src/dispatch/pool-threads.js';
import { freshBundle } from '../src/fresh-bundle.js';
import { cliPath, scratchDir } from './helpers.js';

describe('bundles of the build', () => {
  it('loads a bundle only when it is at least as new as the build record', () => {
    const scratch = scratchDir();
    try {
      const url = (name: string): URL => pathToFileURL(join(scratch.dir, name));
      const [bundle, plain, record] = [url('x.bundle.js'), url('x.js'), url('.tsbuildinfo')];
      const at = (file: URL, seconds: number): void => {
        writeFileSync(file, '');
        utimesSync(file, seconds, seconds);
      };
      assert.equal(freshBundle(bundle, plain, record).href, plain.href, 'no bundle');
      at(bundle, 1000);
      assert.equal(freshBundle(bundle, plain, record).href, bundle.href, 'an installed package: no build record');
      at(record, 2000);
      assert.equal(freshBundle(bundle, plain, record).href, plain.href, 'a tsc build after the bundle');
      at(bundle, 2000);
      assert.equal(freshBundle(bundle, plain, record).href, bundle.href, 'the bundle of that build');
    } finally {
      scratch.cleanup();
    }
  });

  it('starts the worker threads from the worker bundle that `npm run build` wrote', () => {
    assert.match(WORKER_ENTRY, /\/dist\/src\/worker\/entry\.bundle\.js$/);
  });

  it('leaves apache-arrow out of both bundles, in a piece of its own loaded on first use', () => {
    const arrow = '// node_modules/apache-arrow/';
    for (const bundle of [join(dirname(cliPath), 'cli.bundle.js'), fileURLToPath(WORKER_ENTRY)]) {
      assert.ok(!readFileSync(bundle, 'utf8').includes(arrow), `${bundle} holds apache-arrow`);
      const pieces = readdirSync(dirname(bundle)).filter((name) => name.startsWith('bundle-'));
      assert.ok(pieces.some((name) => readFileSync(join(dirname(bundle), name), 'utf8').includes(arrow)), `no piece beside ${bundle} holds apache-arrow`);
    }
  });
});
