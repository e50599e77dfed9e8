// The first look at an input's bytes (binary or non-UTF-8 text), and the choice of low-memory mode.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tooLargeForMemory } from '../src/convert/low-memory-haplotype.js';
import { InputFormat } from '../src/read/input-format.js';
import { assertTextSample, firstInvalidUtf8 } from '../src/read/text-check.js';

describe('text check', () => {
  const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

  it('accepts UTF-8, and a character cut by the end of a partial sample', () => {
    assert.equal(firstInvalidUtf8(new TextEncoder().encode('chr1\tα\t𝄞\n'), true), -1);
    assert.equal(firstInvalidUtf8(bytes(0x41, 0xf0, 0x9d), false), -1);
    assert.equal(firstInvalidUtf8(bytes(0x41, 0xf0, 0x9d), true), 1);
  });

  it('finds Latin-1 bytes, overlong forms, surrogates and stray continuation bytes', () => {
    assert.equal(firstInvalidUtf8(bytes(0x63, 0xe9, 0x31), true), 1);
    assert.equal(firstInvalidUtf8(bytes(0x41, 0xc0, 0x80), true), 1);
    assert.equal(firstInvalidUtf8(bytes(0xed, 0xa0, 0x80), true), 0);
    assert.equal(firstInvalidUtf8(bytes(0x41, 0x80), true), 1);
  });

  it('names the line of the first bad byte', () => {
    assert.throws(() => assertTextSample(new TextEncoder().encode('CHROM\nchr1\t\0'), 'm.tsv', true), /^InputError: m.tsv:2: a NUL byte \(at byte 12\)/);
    assert.doesNotThrow(() => assertTextSample(new TextEncoder().encode('CHROM\tPOS\n'), 'm.tsv', true));
  });
});

describe('automatic low-memory mode', () => {
  const gb = 1e9;
  it('is chosen when an in-memory load would take more than half of the free memory', () => {
    assert.equal(tooLargeForMemory({ path: 'm.tsv', format: InputFormat.text, size: 10 * gb }, 24 * gb), undefined);
    assert.deepEqual(tooLargeForMemory({ path: 'm.tsv', format: InputFormat.text, size: 10 * gb }, 8 * gb), { needed: 6 * gb, free: 8 * gb });
    assert.ok(tooLargeForMemory({ path: 'm.tsv.gz', format: InputFormat.gzip, size: 2 * gb }, 16 * gb), 'gzip counts 10x its size');
  });
});
