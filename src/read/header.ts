// Column names of a genome matrix: `CHROM POS REF <haplotype>...`, from the data's first line or
// from a separate header file.

import { readFileSync } from 'node:fs';
import { GenomatrixError, InputError, UsageError } from '../errors.js';
import { MAX_NAME_BYTES } from '../layout/matrix-layout.js';

/** The leading columns every matrix has before its haplotype columns. */
export const SITE_COLUMNS = ['CHROM', 'POS', 'REF'] as const;

/** The UTF-8 byte order mark some editors put first; skipped before a header or the first data line. */
const BOM = '\uFEFF';

/** True when a line is a header line: its first field is `CHROM` or `#CHROM` (so a contig `CHROMOSOME_I` is data). */
export function isHeaderLine(line: string): boolean {
  const first = withoutBom(line).split('\t', 1)[0]?.replace(/\r$/, '');
  return first === 'CHROM' || first === '#CHROM';
}

function withoutBom(line: string): string {
  return line.startsWith(BOM) ? line.slice(1) : line;
}

/** Splits and checks a header line; returns the haplotype (sample) names. */
export function parseHeaderLine(line: string, file: string, lineNumber = 1): string[] {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const names = text.split('\t');
  const at = { file, line: lineNumber };
  if (names.length < 4) {
    throw new InputError(at, `expected a header of at least 4 tab-separated columns (CHROM, POS, REF and one haplotype), found ${names.length}`);
  }
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '') throw new InputError({ ...at, column: i + 1 }, 'empty column name in header');
    if (Buffer.byteLength(name) > MAX_NAME_BYTES) throw new InputError({ ...at, column: i + 1 }, `column name of ${Buffer.byteLength(name)} bytes is longer than the ${MAX_NAME_BYTES} accepted`);
    const before = seen.get(name);
    if (before !== undefined) throw new InputError({ ...at, column: i + 1 }, `duplicate column name '${name}' (also column ${before + 1})`);
    seen.set(name, i);
  });
  return names.slice(SITE_COLUMNS.length);
}

/** Reads a header file: one tab-separated line of column names. */
export function readHeaderFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read header file ${path}: ${describeFsError(error)}`);
  }
  const lines = withoutBom(text).split('\n').filter((line, i, all) => line !== '' || i < all.length - 1);
  const first = lines[0];
  if (first === undefined || first === '') throw new InputError({ file: path, line: 1 }, 'empty header file: expected one tab-separated line of column names');
  if (lines.length > 1) throw new InputError({ file: path, line: 2 }, 'expected a single header line');
  return parseHeaderLine(first, path);
}

/** A short reason for a failed file operation, without a stack: "no such file", "permission denied". */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EROFS':
      return 'read-only file system';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** The column names of a matrix and where they came from. */
export interface Header {
  samples: string[];
  /** Lines before the data (0 or 1). */
  lines: number;
  /** Bytes of a byte order mark before the first data line (3 or 0), when there is no header line. */
  bom: number;
  /** The `--header` file the names came from, when they did. */
  file?: string;
}

/**
 * The header of a matrix whose first line is `firstLine` (undefined for an empty file). With a
 * `--header` file, its names are the columns, and the first line is data unless it equals that
 * header (`lines: 1`); a first line that looks like another header is refused. Without one, the
 * first line must be a header line. A UTF-8 byte order mark before the first line is skipped.
 */
export function matrixHeader(file: string, firstLine: string | undefined, headerFile: string[] | undefined, headerPath: string | undefined): Header {
  const bom = firstLine?.startsWith(BOM) ? 3 : 0;
  const line = firstLine === undefined ? undefined : withoutBom(firstLine).replace(/\r$/, '');
  if (headerFile && headerPath !== undefined) {
    const fields = line?.split('\t') ?? [];
    const same = fields.length === headerFile.length + SITE_COLUMNS.length && headerFile.every((name, i) => fields[i + SITE_COLUMNS.length] === name);
    if (same) return { samples: headerFile, file: headerPath, lines: 1, bom: 0 };
    if (line !== undefined && isHeaderLine(line) && !/^\d+$/.test(fields[1] ?? '')) {
      throw new InputError({ file, line: 1 }, `a header line that differs from the --header file ${headerPath}: give one of them (a first line equal to the --header file is skipped)`);
    }
    return { samples: headerFile, file: headerPath, lines: 0, bom };
  }
  if (line !== undefined && isHeaderLine(line)) return { samples: parseHeaderLine(line, file), lines: 1, bom: 0 };
  throw missingHeader(file, firstLine);
}

/** The error for a matrix whose first line is not a header and no `--header` was given (or an empty file). */
export function missingHeader(file: string, firstLine: string | undefined): GenomatrixError {
  if (firstLine === undefined) return new InputError({ file }, 'empty file: expected a genome matrix');
  return new UsageError(`${file}: no header line (a first line whose first field is CHROM) and no --header file given`);
}
