// Every output format made of a kernel and a description (formats/output-format.ts): the command
// line makes a command of each, and the library exports them. A new format is two files: its module
// here in src/formats (kernel and description) and its line below.

import { bedFormat } from './bed.js';
import type { OutputFormat } from './output-format.js';

/** The registered output formats by name, in the order `--help` lists their commands. */
export const formats = {
  bed: bedFormat,
} as const satisfies Record<string, OutputFormat>;
