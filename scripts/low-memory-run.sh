#!/usr/bin/env bash
# Peak memory and time of every command in both modes, `--low-memory` against in memory, on a
# generated matrix of about 10 GB (32 contigs x 4,200,000 sites x 31 haplotypes); each command's
# two outputs must be the same bytes (a VCF's ##genomatrixCommand line aside, a packed file's
# source aside: compared through its haplotype table). Not part of `npm test`; run with
# `npm run bench:low-memory` (needs ~11 GB free for the input and room for two outputs at a time,
# and ~8 GB of RAM for the in-memory runs).
#
#   MATRIX=/tmp/big10.tsv   input (generated when missing, deleted afterwards unless KEEP=1)
#   OUT_DIR=/tmp            where the outputs go (compared, then deleted)
#   COMMANDS="haplotype vcf stats pack bed"
#   CONTIGS=32 SITES=4200000 HAPLOTYPES=31 THREADS=(usable cores)
set -euo pipefail
cd "$(dirname "$0")/.."
MATRIX=${MATRIX:-/tmp/big10.tsv}
OUT_DIR=${OUT_DIR:-/tmp}
CONTIGS=${CONTIGS:-32}
SITES=${SITES:-4200000}
HAPLOTYPES=${HAPLOTYPES:-31}
THREADS=${THREADS:-$(node -p 'require("node:os").availableParallelism()')}
COMMANDS=${COMMANDS:-haplotype vcf stats pack bed}
CLI=dist/src/cli/main.js

generated=0
if [ ! -f "$MATRIX" ]; then
  df -h "$(dirname "$MATRIX")"
  node dist/scripts/generate-matrix.js --out "$MATRIX" --contigs "$CONTIGS" --sites "$SITES" --haplotypes "$HAPLOTYPES"
  generated=1
fi
cleanup() {
  rm -f "$OUT_DIR"/low-memory-run.*
  if [ "$generated" = 1 ] && [ "${KEEP:-0}" != 1 ]; then rm -f "$MATRIX"; fi
}
trap cleanup EXIT

# One run under GNU time: prints "wall_s peak_kb cpu_s".
measure() {
  local log
  log=$(mktemp)
  /usr/bin/time -v node "$CLI" "$@" --quiet --threads "$THREADS" 2>"$log" >/dev/null
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
    /Maximum resident set size/ { peak = $2 }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 }
    END { printf "%.1f %d %.1f\n", wall, peak, cpu }' "$log"
  rm -f "$log"
}

# What is compared of an output: a VCF without its command line, a packed file by its haplotype table.
comparable() {
  case "$1" in
    vcf) grep -v '^##genomatrixCommand' "$2" ;;
    pack) node "$CLI" haplotype "$2" --quiet --threads "$THREADS" ;;
    *) cat "$2" ;;
  esac
}

bytes=$(stat -c %s "$MATRIX")
echo "input: $MATRIX, $bytes bytes; threads: $THREADS; $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# The largest contig's columns: POS (4 bytes a row), REF and one byte a haplotype.
contig_kb=$((SITES * (5 + HAPLOTYPES) / 1024))
echo "largest contig's columns: $((contig_kb / 1024)) MiB"
echo
echo "| command | in memory: wall / CPU / peak | --low-memory: wall / CPU / peak | outputs |"
echo "|---|---|---|---|"
failed=0
for command in $COMMANDS; do
  ext=tsv
  case "$command" in vcf) ext=vcf ;; pack) ext=arrow ;; bed) ext=bed ;; esac
  memory="$OUT_DIR/low-memory-run.memory.$ext" streamed="$OUT_DIR/low-memory-run.streamed.$ext"
  read -r mem_wall mem_peak mem_cpu < <(measure "$command" "$MATRIX" --no-low-memory -o "$memory")
  read -r low_wall low_peak low_cpu < <(measure "$command" "$MATRIX" --low-memory -o "$streamed")
  if cmp -s <(comparable "$command" "$memory") <(comparable "$command" "$streamed"); then same=identical; else same=DIFFERENT; failed=1; fi
  rm -f "$memory" "$streamed"
  echo "| \`$command\` | $mem_wall s / $mem_cpu s / $((mem_peak / 1024)) MiB | $low_wall s / $low_cpu s / $((low_peak / 1024)) MiB | $same |"
done
[ "$failed" = 0 ]
