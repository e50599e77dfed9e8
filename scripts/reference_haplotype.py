#!/usr/bin/python3
"""Reference haplotype conversion: pandas + multiprocessing, the classic pipeline.

Usage:
    /usr/bin/python3 scripts/reference_haplotype.py MATRIX OUT [--header FILE]
        [--pairs a:b,c:d] [--processes 3]

(Use Debian's /usr/bin/python3, which has pandas from the python3-pandas package;
a pyenv python3 earlier on PATH may not have pandas installed.)

MATRIX is a tab-separated genome matrix, plain or gzip (detected by magic bytes),
with `\\n` or `\\r\\n` line ends. Column names come from the first line when it starts
with `CHROM`, otherwise from --header FILE (one tab-separated line). OUT is the output
path (`-` for stdout).

This is the baseline that genomatrix outputs are compared against. It deliberately
does things the straightforward way: read the whole matrix with pandas, group by
contig (order of first appearance), ship each contig's frame to a worker with
Pool.map and concatenate the results. It follows the conversion spec exactly:

- alt: distinct cell values over ALL haplotype columns, excluding `N` and the row's
  REF (`-` counts), comma-joined in order of first appearance from left to right;
- rows with an empty alt are dropped;
- pairs: automatic (`<stem>a` + `<stem>b`, listed in string order of the pair name)
  or explicit (--pairs); members ordered by name, pair name = names concatenated;
- <pair>_PI = contig; <pair>_PG_al = `x|y` in member order, `N`/`-` replaced by REF;
- header: contig pos ref alt, then <pair>_PI <pair>_PG_al per pair.
"""

import argparse
import gzip
import io
import sys
from multiprocessing import Pool

import pandas as pd

FIXED = ["CHROM", "POS", "REF"]

# Set in main() before the pool is created; inherited by forked workers.
PAIRS = []  # list of (pair_name, first_member, second_member)
HAPS = []  # haplotype column names, in file order


def is_gzip(path):
    with open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


def open_text(path):
    if is_gzip(path):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, "r", encoding="utf-8", newline="")


def first_line(path):
    with open_text(path) as f:
        return f.readline().rstrip("\r\n")


def auto_pairs(haps):
    names = set(haps)
    pairs = []
    for h in haps:
        if h.endswith("a"):
            stem = h[:-1]
            if stem + "b" in names:
                a, b = sorted([stem + "a", stem + "b"])
                pairs.append((a + b, a, b))
    pairs.sort(key=lambda p: p[0])
    return pairs


def explicit_pairs(spec, haps):
    pairs = []
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        parts = item.split(":")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            sys.exit(f"reference_haplotype: bad pair '{item}' (expected a:b)")
        for p in parts:
            if p not in haps:
                sys.exit(f"reference_haplotype: pair member '{p}' is not a haplotype column")
        a, b = sorted(parts)
        pairs.append((a + b, a, b))
    return pairs


def alt_of(ref, cells):
    seen = []
    for c in cells:
        if c != "N" and c != ref and c not in seen:
            seen.append(c)
    return ",".join(seen)


def convert(frame):
    """matrix_to_vcf for one contig's frame; returns a DataFrame of kept rows."""
    refs = frame["REF"].tolist()
    cells = frame[HAPS].values.tolist()
    alts = [alt_of(r, row) for r, row in zip(refs, cells)]
    out = pd.DataFrame(
        {
            "contig": frame["CHROM"].values,
            "pos": frame["POS"].values,
            "ref": frame["REF"].values,
            "alt": alts,
        }
    )
    for name, a, b in PAIRS:
        ra = frame[a].where(~frame[a].isin(["N", "-"]), frame["REF"])
        rb = frame[b].where(~frame[b].isin(["N", "-"]), frame["REF"])
        out[name + "_PI"] = frame["CHROM"].values
        out[name + "_PG_al"] = (ra + "|" + rb).values
    return out[out["alt"] != ""]


def main():
    global PAIRS, HAPS
    ap = argparse.ArgumentParser(description="Reference haplotype conversion (pandas + Pool.map)")
    ap.add_argument("matrix")
    ap.add_argument("out")
    ap.add_argument("--header", help="file holding the tab-separated header line")
    ap.add_argument("--pairs", help="explicit pairs, e.g. 10a:10b,3a:3b")
    ap.add_argument("--processes", type=int, default=3)
    args = ap.parse_args()

    line = first_line(args.matrix)
    has_header = line.startswith("CHROM")
    if args.header:
        with open(args.header, "r", encoding="utf-8", newline="") as f:
            names = f.readline().rstrip("\r\n").split("\t")
    elif has_header:
        names = line.split("\t")
    else:
        sys.exit("reference_haplotype: no header line in MATRIX and no --header given")
    if names[:3] != FIXED:
        sys.exit(f"reference_haplotype: header must start with CHROM POS REF, got {names[:3]}")
    HAPS = names[3:]
    PAIRS = explicit_pairs(args.pairs, HAPS) if args.pairs else auto_pairs(HAPS)

    dtypes = {n: str for n in names}
    dtypes["POS"] = "int64"
    df = pd.read_csv(
        args.matrix,
        sep="\t",
        header=None,
        names=names,
        skiprows=1 if has_header else 0,
        dtype=dtypes,
        keep_default_na=False,
        na_filter=False,
        quoting=3,  # csv.QUOTE_NONE
        compression="gzip" if is_gzip(args.matrix) else None,
    )
    # A trailing '\r' (CRLF input) ends up in the last column; strip it.
    last = names[-1]
    df[last] = df[last].str.rstrip("\r")

    frames = [g for _, g in df.groupby("CHROM", sort=False)]
    with Pool(args.processes) as pool:
        results = pool.map(convert, frames)

    columns = ["contig", "pos", "ref", "alt"]
    for name, _, _ in PAIRS:
        columns += [name + "_PI", name + "_PG_al"]
    result = pd.concat(results, ignore_index=True) if results else pd.DataFrame(columns=columns)
    result = result[columns]
    dest = sys.stdout if args.out == "-" else args.out
    result.to_csv(dest, sep="\t", index=False, lineterminator="\n", quoting=3)


if __name__ == "__main__":
    main()
