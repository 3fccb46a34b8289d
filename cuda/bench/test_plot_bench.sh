#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Test of cuda/bench/plot_bench.py (no GPU needed): runs the plotter on the H200 layout F run
# (testdata/bench_sample.txt, the fenced block of docs/performance-gpu.md) and checks
#  - exit 0, the SVG parses as XML and is an SVG 1.1 document;
#  - one geomean polyline per layout (v1, F), one thin line per shape and layout, one bar per
#    shape, N <= 16 and layout, the copy reference line, the GPU name in the title;
#  - the plotted geometric means equal the bench's own summary tables (recomputed independently
#    from the shape tables, so a wrong column or a wrong mean fails);
#  - a missing shape is tolerated (only the shapes present are plotted);
#  - truncated or foreign input exits 2, creates no output file, leaves an existing one intact,
#    and leaves no temporary file behind.
# Usage: bash cuda/bench/test_plot_bench.sh   (python3 from PATH, or $PYTHON3)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON3:-python3}
PLOT="$HERE/plot_bench.py"
FIX="$HERE/testdata/bench_sample.txt"
W=$(mktemp -d "${TMPDIR:-/tmp}/tca-plot-test.XXXXXX")
trap 'rm -rf "$W"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

expect_rc() {
    local want=$1; shift
    "$@" > "$W/stdout" 2> "$W/stderr"
    local got=$?
    if [ "$got" != "$want" ]; then
        echo "--- stdout"; cat "$W/stdout"; echo "--- stderr"; cat "$W/stderr"
        fail "'$*' exited $got, expected $want"
    fi
}

no_tmp_left() {
    local left
    left=$(find "$W/out" -name '.plot_bench.*' | head -1)
    [ -z "$left" ] || fail "temporary file left behind: $left"
}

[ -f "$FIX" ] || fail "fixture missing: $FIX"
mkdir -p "$W/out"

# check_svg SVG N_LAYOUTS N_SHAPES N_BARS [SUMMARY_SOURCE]: structure (and, given a bench file
# with summary tables, the plotted geometric means against them)
check_svg() {
    "$PY" - "$@" <<'PY' || fail "SVG check failed for $1"
import re, sys, xml.dom.minidom
svg, nlay, nshape, nbar = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
doc = xml.dom.minidom.parse(svg)
root = doc.documentElement
def check(cond, msg):
    if not cond:
        sys.exit("check: " + msg)
check(root.tagName == "svg", "root element is %r" % root.tagName)
check(root.getAttribute("xmlns") == "http://www.w3.org/2000/svg", "SVG namespace")
check(root.getAttribute("version") == "1.1", "version 1.1")
polys = doc.getElementsByTagName("polyline")
gm = [p for p in polys if p.getAttribute("class") == "geomean"]
ps = [p for p in polys if p.getAttribute("class") == "per-shape"]
check(len(gm) == nlay, "%d geomean polylines, expected %d" % (len(gm), nlay))
want_ids = ["geomean-v1", "geomean-F"][:nlay]
check(sorted(p.getAttribute("id") for p in gm) == sorted(want_ids), "geomean ids")
check(len(ps) == nlay * nshape, "%d per-shape polylines, expected %d" % (len(ps), nlay * nshape))
bars = [r for r in doc.getElementsByTagName("rect") if r.getAttribute("class").startswith("bar-")]
check(len(bars) == nbar, "%d bars, expected %d" % (len(bars), nbar))
for b in bars:
    check(float(b.getAttribute("height")) > 0, "bar of zero height")
lines = {l.getAttribute("id") for l in doc.getElementsByTagName("line")}
check("copy-ref" in lines, "no copy reference line")
check("speedup-one" in lines, "no speedup = 1.0 line")
texts = " ".join(t.firstChild.data for t in doc.getElementsByTagName("text") if t.firstChild)
check("NVIDIA H200" in texts, "GPU name not in the plot")
if len(sys.argv) > 5:
    # summary tables of the bench: '## Summary: ZipGEMM (layout X) ...' then '| N | geomean auto |'
    want, lay = {}, None
    for line in open(sys.argv[5]):
        m = re.match(r"## Summary: ZipGEMM \(layout (\w+)\)", line)
        if m:
            lay = m.group(1)
            continue
        if line.startswith("## "):
            lay = None
        c = [x.strip() for x in line.strip().strip("|").split("|")]
        if lay and len(c) == 5 and c[0].isdigit():
            want[(lay, int(c[0]))] = float(c[1])
    check(len(want) == 8 * nlay, "fixture summary rows: %d" % len(want))
    got = {}
    for circ in doc.getElementsByTagName("circle"):
        t = circ.getElementsByTagName("title")[0].firstChild.data
        m = re.match(r"layout (\w+), N = (\d+): geomean ([0-9.]+) over (\d+) shape", t)
        check(m, "circle title %r" % t)
        check(int(m.group(4)) == nshape, "geomean over %s shapes" % m.group(4))
        got[(m.group(1), int(m.group(2)))] = float(m.group(3))
    check(set(got) == set(want), "geomean points %s vs summary %s" % (sorted(got), sorted(want)))
    for k in want:
        # the bench's mean is of unrounded speedups, the plot's of the 3-decimal table values:
        # they agree to the table's rounding (a wrong column, e.g. best-S, is off by >= 0.005)
        check(abs(got[k] - want[k]) <= 0.0015, "geomean %s: plotted %.6f, summary %.3f"
              % (k, got[k], want[k]))
    # and exactly (to the title's 6 decimals) the geometric mean of the auto-S speedup cells of
    # the shape tables, found here by position: v1 = column 4, F = column 11
    sp = {}
    for line in open(sys.argv[5]):
        c = [x.strip() for x in line.strip().strip("|").split("|")]
        if len(c) == 14 and c[0].isdigit():
            for lay, col in (("v1", 3), ("F", 10)):
                sp.setdefault((lay, int(c[0])), []).append(float(c[col]))
    check(set(sp) == set(want), "shape-table points %s" % sorted(sp))
    for k, v in sp.items():
        g = 1.0
        for x in v:
            g *= x
        g **= 1.0 / len(v)
        check(len(v) == nshape, "%s: %d shape rows" % (k, len(v)))
        check(abs(got[k] - g) <= 1.5e-6, "geomean %s: plotted %.6f, recomputed %.6f" % (k, got[k], g))
PY
}

# 1. the fixture: 2 layouts, 2 shapes, 2 x 5 N (<= 16) x 2 layouts = 20 bars
expect_rc 0 "$PY" "$PLOT" "$FIX" "$W/out/full.svg"
[ -s "$W/out/full.svg" ] || fail "no SVG written"
"$PY" -c "import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])" "$W/out/full.svg" \
    || fail "SVG does not parse as XML"
check_svg "$W/out/full.svg" 2 2 20 "$FIX"
no_tmp_left

# 2. one shape missing (the 70B section and the summaries cut off): plotted, with a note
awk '/^## 70B/ {exit} {print}' "$FIX" > "$W/one_shape.txt"
expect_rc 0 "$PY" "$PLOT" "$W/one_shape.txt" "$W/out/one.svg"
grep -q "no summary tables" "$W/stderr" || fail "no note about the missing summary"
check_svg "$W/out/one.svg" 2 1 10

# 3. truncated in the middle of a table row: exit 2, no output file, nothing left behind
first_row=$(grep -n '^| 1 |' "$FIX" | head -1 | cut -d: -f1)
[ -n "$first_row" ] || fail "fixture has no '| 1 |' row"
head -n $((first_row - 1)) "$FIX" > "$W/trunc.txt"
sed -n "${first_row}p" "$FIX" | head -c 40 >> "$W/trunc.txt"
expect_rc 2 "$PY" "$PLOT" "$W/trunc.txt" "$W/out/trunc.svg"
[ ! -e "$W/out/trunc.svg" ] || fail "truncated input left an output file"
grep -q "unparsable" "$W/stderr" || fail "no clear error message: $(cat "$W/stderr")"
no_tmp_left

# 4. the same truncated input must not touch an existing output file
printf 'previous plot\n' > "$W/out/keep.svg"
expect_rc 2 "$PY" "$PLOT" "$W/trunc.txt" "$W/out/keep.svg"
[ "$(cat "$W/out/keep.svg")" = "previous plot" ] || fail "existing output was modified"
no_tmp_left

# 5. cut right after the first table header (no data row at all): exit 2
head -n $((first_row - 1)) "$FIX" > "$W/header_only.txt"
expect_rc 2 "$PY" "$PLOT" "$W/header_only.txt" "$W/out/h.svg"
[ ! -e "$W/out/h.svg" ] || fail "header-only input left an output file"

# 6. not bench output, and an empty file: exit 2
printf 'hello\n| 1 | 2 |\n' > "$W/foreign.txt"
expect_rc 2 "$PY" "$PLOT" "$W/foreign.txt" "$W/out/f.svg"
: > "$W/empty.txt"
expect_rc 2 "$PY" "$PLOT" "$W/empty.txt" "$W/out/e.svg"
[ ! -e "$W/out/f.svg" ] && [ ! -e "$W/out/e.svg" ] || fail "bad input left an output file"

# 7. a non-numeric cell in a data row: exit 2
sed "${first_row}s/| 68.6 |/| 6x8.6 |/" "$FIX" > "$W/badnum.txt"
cmp -s "$W/badnum.txt" "$FIX" && fail "could not corrupt the fixture"
expect_rc 2 "$PY" "$PLOT" "$W/badnum.txt" "$W/out/b.svg"
[ ! -e "$W/out/b.svg" ] || fail "bad number left an output file"

# 8. usage errors and unwritable output: exit 2
expect_rc 2 "$PY" "$PLOT"
expect_rc 2 "$PY" "$PLOT" "$W/does-not-exist.txt" "$W/out/x.svg"
expect_rc 2 "$PY" "$PLOT" "$FIX" "$W/no-such-dir/x.svg"
no_tmp_left

echo "test_plot_bench: all checks passed"
