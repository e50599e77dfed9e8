import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { automaticPairs, haplotypeHeader, resolvePairs, UsageError } from 'genomatrix';

describe('pairs', () => {
  it('pairs <stem>a with <stem>b, listed in string order of the pair name', () => {
    const pairs = automaticPairs(['8b', '3a', 'out', '38a', '8a', '3b', '38b', 'xa']);
    assert.deepEqual(
      pairs.map((p) => [p.name, p.members, p.columns]),
      [
        ['38a38b', ['38a', '38b'], [3, 6]],
        ['3a3b', ['3a', '3b'], [1, 5]],
        ['8a8b', ['8a', '8b'], [4, 0]],
      ],
    );
  });

  it('orders explicit members by name and keeps the given pair order', () => {
    const pairs = resolvePairs(['s2', 's1', 'q9', 'q1'], 's2:s1, q9:q1');
    assert.deepEqual(pairs.map((p) => [p.name, p.columns]), [['s1s2', [1, 0]], ['q1q9', [3, 2]]]);
    assert.deepEqual(resolvePairs(['x', 'y'], [['y', 'x']]).map((p) => p.name), ['xy']);
  });

  it('refuses unknown, repeated and malformed pairs with usage errors', () => {
    assert.throws(() => resolvePairs(['a', 'b'], 'a:c'), (e: unknown) => e instanceof UsageError && /'c' is not a haplotype column/.test(e.message));
    assert.throws(() => resolvePairs(['a', 'b', 'c'], 'a:b,b:c'), /'b' is in more than one pair/);
    assert.throws(() => resolvePairs(['a', 'b'], 'a:a'), /cannot be paired with itself/);
    assert.throws(() => resolvePairs(['a', 'b'], 'a;b'), /expected NAME:NAME/);
  });

  it('writes the header', () => {
    assert.equal(haplotypeHeader(resolvePairs(['1a', '1b'])), 'contig\tpos\tref\talt\t1a1b_PI\t1a1b_PG_al\n');
    assert.equal(haplotypeHeader([]), 'contig\tpos\tref\talt\n');
  });
});
