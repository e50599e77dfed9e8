// Which of a bundle and tsc's own output to load. `npm run build` bundles the command line
// (dist/src/cli/cli.bundle.js) and the worker threads' entry (dist/src/worker/entry.bundle.js)
// after tsc (scripts/bundle.ts); a build by tsc alone leaves an older bundle behind, which must
// never run in place of the code just compiled.

import { statSync } from 'node:fs';

/**
 * `bundle` when it exists and is at least as new as tsc's last build record (`dist/.tsbuildinfo`,
 * at `record`), else `plain`. An installed package has no build record: its bundle is its build's.
 */
export function freshBundle(bundle: URL, plain: URL, record: URL): URL {
  const bundled = statSync(bundle, { throwIfNoEntry: false });
  const built = statSync(record, { throwIfNoEntry: false });
  return bundled && (!built || bundled.mtimeMs >= built.mtimeMs) ? bundle : plain;
}
