// Lines the command line writes to stderr besides errors: warnings and notes, each one line
// prefixed like errors, so scripts can tell them apart from the data on stdout.

import { stopProgressBars } from './progress-bar.js';

/** Prints `genomatrix: warning: <message>` (a problem accepted, such as --allow-unsorted's decreasing POS). */
export function warn(message: string): void {
  stopProgressBars();
  process.stderr.write(`genomatrix: warning: ${message}\n`);
}

/** Prints `genomatrix: note: <message>` (something chosen for the user, such as --low-memory). */
export function note(message: string): void {
  process.stderr.write(`genomatrix: note: ${message}\n`);
}
