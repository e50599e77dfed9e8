// The haplotype table as one DuckDB SQL statement (read_csv -> list functions -> COPY TO), the
// way an analyst who knows SQL would do it. DuckDB is not a dependency of genomatrix: install it
// for the benchmarks with `npm run bench:duckdb` (an npm install that is not saved).
//
// Usage: node dist/bench/baselines/duckdb-haplotype.js MATRIX [--threads N] > haplotypes.tsv

import { closeSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';

/** The few calls of `@duckdb/node-api` used here (declared so the build needs no DuckDB). */
interface DuckDBApi {
  DuckDBInstance: {
    create(path: string, options?: Record<string, string>): Promise<{ connect(): Promise<{ run(sql: string): Promise<unknown> }> }>;
  };
}

/** The module name, held in a variable so that TypeScript does not resolve it at build time. */
export const DUCKDB_MODULE = '@duckdb/node-api';

/** The header line's column names (the first line of the file). */
function headerNames(path: string): string[] {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const line = buf.subarray(0, n).toString('utf8').split('\n')[0] ?? '';
    const names = line.replace(/\r$/, '').split('\t');
    if (names[0] !== 'CHROM') throw new Error(`${path}: expected a header line starting with CHROM`);
    return names;
  } finally {
    closeSync(fd);
  }
}

const quoteName = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const quoteText = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** The SQL of the transform (docs/specification.md, "The haplotype table"), for a matrix whose header is `names`. */
export function haplotypeSql(path: string, names: string[]): string {
  const haplotypes = names.slice(3);
  const pairs = haplotypes
    .filter((a) => a.endsWith('a') && haplotypes.includes(a.slice(0, -1) + 'b'))
    .map((a) => [a, a.slice(0, -1) + 'b'] as const)
    .sort(([a1, b1], [a2, b2]) => (a1 + b1 < a2 + b2 ? -1 : a1 + b1 > a2 + b2 ? 1 : 0));
  const cells = `[${haplotypes.map(quoteName).join(', ')}]`;
  const shown = (name: string): string => `CASE WHEN ${quoteName(name)} IN ('N', '-') THEN REF ELSE ${quoteName(name)} END`;
  const pairColumns = pairs.flatMap(([a, b]) => [
    `CHROM AS ${quoteName(`${a}${b}_PI`)}`,
    `concat(${shown(a)}, '|', ${shown(b)}) AS ${quoteName(`${a}${b}_PG_al`)}`,
  ]);
  // alt: the distinct cells that are neither N nor REF, put back in order of first appearance by
  // sorting on "<first position, zero-padded><allele>" and cutting the position off again (a
  // list_filter keeping x where list_position(cells, x) = i says the same, but runs ~3x slower).
  const width = String(haplotypes.length).length;
  return `
    COPY (
      SELECT CHROM AS contig, POS AS pos, REF AS ref, array_to_string(alts, ',') AS alt,
        ${pairColumns.join(',\n        ')}
      FROM (
        SELECT *, list_transform(
            list_sort(list_transform(
              list_distinct(list_filter(cells, x -> x <> 'N' AND x <> REF)),
              x -> lpad(list_position(cells, x)::VARCHAR, ${width}, '0') || x)),
            y -> y[${width + 1}:]) AS alts
        FROM (SELECT *, ${cells} AS cells FROM read_csv(${quoteText(path)}, delim = '\t', header = true, all_varchar = true))
      )
      WHERE len(alts) > 0
    ) TO '/dev/stdout' (FORMAT csv, DELIMITER '\t', HEADER true)`;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { threads: { type: 'string' } } });
  const path = positionals[0];
  if (!path) throw new Error('usage: duckdb-haplotype MATRIX [--threads N]');
  const threads = values.threads ?? String(availableParallelism());
  const { DuckDBInstance } = (await import(DUCKDB_MODULE)) as DuckDBApi;
  const instance = await DuckDBInstance.create(':memory:', { threads });
  const connection = await instance.connect();
  await connection.run(haplotypeSql(path, headerNames(path)));
}

main().catch((error: unknown) => {
  process.stderr.write(`duckdb-haplotype: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
