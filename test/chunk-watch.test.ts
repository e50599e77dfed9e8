// The main thread's watch over a load's parse chunks: when one fails, each later chunk is
// cancelled once. (Each cancelled chunk ends as a failure too; cancelling every later chunk again
// for each of them was quadratic, and an AbortController's abort() builds a DOMException even when
// it is aborted already: a load of 4,400 small chunks spent 45 s there after a bad line.)

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkWatch, type Chunk } from '../src/read/chunk-watch.js';
import type { ParseResult } from '../src/worker/messages.js';

/** A parse that ends when it is told to, or fails when its signal is aborted. */
function pendingParse(signal: AbortSignal): { result: Promise<ParseResult>; end: (result: ParseResult) => void } {
  let end: (result: ParseResult) => void = () => undefined;
  const result = new Promise<ParseResult>((resolve, reject) => {
    end = resolve;
    signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
  });
  return { result, end };
}

describe('parse chunk watch', () => {
  for (const failing of [0, 700]) {
    it(`a failing chunk (${failing} of 1000) cancels each later chunk once, and only those`, async () => {
      const watch = new ChunkWatch(1000, {});
      const chunks: Chunk[] = [];
      const parses: ReturnType<typeof pendingParse>[] = [];
      let aborts = 0;
      const abort = AbortController.prototype.abort;
      AbortController.prototype.abort = function (this: AbortController, reason?: unknown) {
        aborts++;
        abort.call(this, reason);
      };
      try {
        for (let i = 0; i < 1000; i++) {
          chunks.push(
            watch.start(chunks, i, 1, 1, (signal) => {
              const parse = pendingParse(signal);
              parses.push(parse);
              return parse.result;
            }),
          );
        }
        parses[failing]!.end({ rows: 0, problem: { line: 1, column: 1, message: 'bad' } } as unknown as ParseResult);
        await Promise.allSettled(chunks.slice(failing).map((chunk) => chunk.result));
        assert.equal(aborts, 999 - failing);
        assert.deepEqual(
          chunks.map((chunk) => chunk.cancel.signal.aborted),
          chunks.map((_, i) => i > failing),
        );
        // An earlier chunk failing later still cancels those between the two.
        if (failing > 0) {
          parses[failing - 2]!.end({ rows: 0, problem: { line: 1, column: 1, message: 'bad' } } as unknown as ParseResult);
          await Promise.allSettled([chunks[failing - 2]!.result, chunks[failing - 1]!.result]);
          assert.equal(chunks[failing - 1]!.cancel.signal.aborted, true);
          assert.equal(chunks[failing - 3]!.cancel.signal.aborted, false);
          assert.equal(aborts, 999 - failing + 1);
        }
      } finally {
        AbortController.prototype.abort = abort;
      }
    });
  }
});
