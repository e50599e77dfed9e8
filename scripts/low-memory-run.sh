#!/usr/bin/env bash
# Peak memory and time of `genomatrix haplotype --low-memory` against the in-memory mode, on a
# generated matrix of about 10 GB (32 contigs x 4,200,000 sites x 31 haplotypes). Not part of
# `npm test`; run with `npm run bench:low-memory` (needs ~11 GB free for the input and ~14 GB for
# the two outputs, and ~6 GB of RAM for the in-memory run).
#
#   MATRIX=/tmp/big10.tsv   input (generated when missing, deleted afterwards unless KEEP=1)
#   OUT_DIR=/tmp            where the two outputs go (compared, then deleted)
#   CONTIGS=32 SITES=4200000 HAPLOTYPES=31 THREADS=(usable cores)
set -euo pipefail
cd "$(dirname "$0")/.."
MATRIX=${MATRIX:-/tmp/big10.tsv}
OUT_DIR=${OUT_DIR:-/tmp}
CONTIGS=${CONTIGS:-32}
SITES=${SITES:-4200000}
HAPLOTYPES=${HAPLOTYPES:-31}
THREADS=${THREADS:-$(node -p 'require("node:os").availableParallelism()')}
CLI=dist/src/cli/main.js

generated=0
if [ ! -f "$MATRIX" ]; then
  df -h "$(dirname "$MATRIX")"
  node dist/scripts/generate-matrix.js --out "$MATRIX" --contigs "$CONTIGS" --sites "$SITES" --haplotypes "$HAPLOTYPES"
  generated=1
fi
cleanup() {
  rm -f "$OUT_DIR/low-memory-run.memory.tsv" "$OUT_DIR/low-memory-run.streamed.tsv"
  if [ "$generated" = 1 ] && [ "${KEEP:-0}" != 1 ]; then rm -f "$MATRIX"; fi
}
trap cleanup EXIT

# One run under GNU time: prints "wall_s peak_kb cpu_s".
measure() {
  local log
  log=$(mktemp)
  /usr/bin/time -v node "$CLI" haplotype "$MATRIX" --quiet --threads "$THREADS" "$@" 2>"$log" >/dev/null
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
    /Maximum resident set size/ { peak = $2 }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 }
    END { printf "%.1f %d %.1f\n", wall, peak, cpu }' "$log"
  rm -f "$log"
}

bytes=$(stat -c %s "$MATRIX")
echo "input: $MATRIX, $bytes bytes; threads: $THREADS; $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
read -r mem_wall mem_peak mem_cpu < <(measure --no-low-memory -o "$OUT_DIR/low-memory-run.memory.tsv")
read -r low_wall low_peak low_cpu < <(measure --low-memory -o "$OUT_DIR/low-memory-run.streamed.tsv")
if cmp -s "$OUT_DIR/low-memory-run.memory.tsv" "$OUT_DIR/low-memory-run.streamed.tsv"; then same=identical; else same=DIFFERENT; fi

# The largest contig's columns: POS (4 bytes a row), REF and one byte a haplotype.
contig_bytes=$((SITES * (5 + HAPLOTYPES)))
node -e '
const [memWall, memPeak, memCpu, lowWall, lowPeak, lowCpu, contigBytes, same] = process.argv.slice(1);
const mb = (kb) => (kb / 1024).toFixed(0) + " MiB";
console.log("| mode | wall | CPU (user+sys) | peak RSS |");
console.log("|---|---|---|---|");
console.log(`| in memory | ${memWall} s | ${memCpu} s | ${mb(memPeak)} |`);
console.log(`| --low-memory | ${lowWall} s | ${lowCpu} s | ${mb(lowPeak)} |`);
const contig = contigBytes / 1024;
console.log(`largest contig columns: ${mb(contig)}; 1.5x that: ${mb(1.5 * contig)}; --low-memory peak minus 1.5x: ${mb(lowPeak - 1.5 * contig)} (the fixed overhead)`);
console.log(`throughput of --low-memory vs in memory: ${(100 * memWall / lowWall).toFixed(0)}% by wall time, ${(100 * memCpu / lowCpu).toFixed(0)}% by CPU time; outputs ${same}`);
' "$mem_wall" "$mem_peak" "$mem_cpu" "$low_wall" "$low_peak" "$low_cpu" "$contig_bytes" "$same"
[ "$same" = identical ]
