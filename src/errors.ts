/** Exit codes of the command line, as `bcftools` and `samtools` use them. */
export const ExitCode = {
  ok: 0,
  dataError: 1,
  usageError: 2,
  interrupted: 130,
  terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where in an input file a problem was found (1-based line and column). */
export interface InputLocation {
  file: string;
  line?: number;
  column?: number;
}

/** A problem the user can fix: bad input, a bad option. Printed as one line, never with a stack. */
export class GenomatrixError extends Error {
  override name = 'GenomatrixError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.dataError,
  ) {
    super(message);
  }
}

/** A malformed input file: the message names the file, the line and what was expected. */
export class InputError extends GenomatrixError {
  override name = 'InputError';
  constructor(
    readonly location: InputLocation,
    readonly problem: string,
  ) {
    super(formatLocated(location, problem), ExitCode.dataError);
  }
}

/** A wrong option or argument on the command line or in an API call. */
export class UsageError extends GenomatrixError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, ExitCode.usageError);
  }
}

/** `file:line:column: problem`, the form compilers and linters use. */
export function formatLocated(location: InputLocation, problem: string): string {
  let where = location.file;
  if (location.line !== undefined) where += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) where += `:${location.column}`;
  return `${where}: ${problem}`;
}
