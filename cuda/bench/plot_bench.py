#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Plot the output of cuda_bench_zipgemm as a self-contained SVG (standard library only).

Usage: python3 cuda/bench/plot_bench.py BENCH_OUTPUT.txt OUT.svg

Input: the text printed by cuda_bench_zipgemm (format: docs/performance-gpu.md), i.e.
  # bench_zipgemm: <GPU name>, <n> SMs, ...
  # device-to-device copy: <X> TB/s (read + write)
  ## <shape>: compressed ...
  decompressor ... lines, large-N: lines (ignored)
  | N | cuBLASLt us | ZipGEMM auto us (S) | speedup | ... | F auto us (S) | F speedup | ... |
  ## Summary: ... tables (ignored: the geometric means are recomputed from the shape tables,
  so that a run cut short still gets a consistent plot of the shapes it has).
Tables without the layout F columns (runs before layout F existed) plot layout v1 only.

Output: two panels side by side.
  1. speedup over cuBLASLt (cuBLASLt time / ZipGEMM time, automatic split-K) against N, log2 x
     axis, log y axis, dashed line at 1.0; per layout a thick line for the geometric mean over the
     shapes that have that N, and a thin light line per shape.
  2. in-kernel compressed TB/s (compressed bytes / fused-kernel time, auto S) at N <= 16, grouped
     bars per shape and N (v1 next to F), with the same-run device-to-device copy rate as a
     dashed reference line.

Exit codes: 0 written; 2 usage error, unreadable or unparsable input, or the output could not be
written. OUT.svg is written to a temporary file in the same directory and renamed into place, so a
failure never leaves a half-written (or any new) OUT.svg behind.
"""

import math
import os
import re
import sys
import tempfile
from xml.sax.saxutils import escape

EXIT_OK = 0
EXIT_FAIL = 2

BAR_MAX_N = 16  # panel 2 shows the decode-bound range N <= 16

# Layouts: key, label, header of the time column whose right neighbour is the speedup column,
# header of the compressed TB/s column, colour of the mean line, light colour of per-shape lines.
LAYOUTS = (
    ("v1", "layout v1", "ZipGEMM auto us (S)", "ZipGEMM compressed TB/s", "#1f5fa8", "#8fb3dc"),
    ("F", "layout F", "F auto us (S)", "F compressed TB/s", "#d4541a", "#efab8a"),
)

FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"


class ParseError(Exception):
    pass


# ----------------------------------------------------------------------------------------------
# Parsing


def _cells(line):
    """Cells of a markdown table row '| a | b |', or None when the row is not closed by '|'
    (a row cut short by a truncated file)."""
    s = line.strip()
    if not (s.startswith("|") and s.endswith("|") and len(s) >= 2):
        return None
    return [c.strip() for c in s[1:-1].split("|")]


_NUM = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


_CELL = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?: \(\d+\))?$")


def _number(cell, lineno, what):
    """The number of a cell such as '121.1 (15)' (value, then the split factor S)."""
    tok = cell.split()[0] if cell.split() else ""
    if not _NUM.match(tok):
        raise ParseError("line %d: %s: not a number: %r" % (lineno, what, cell))
    v = float(tok)
    if not math.isfinite(v):
        raise ParseError("line %d: %s: not finite: %r" % (lineno, what, cell))
    return v


def parse(text):
    """Returns dict(gpu, header, copy_tbs or None, shapes=[(name, {N: {layout: (speedup, tbs)}})])."""
    gpu = None
    header = None
    copy_tbs = None
    shapes = []
    cur = None  # (name, rows) of the shape section being read
    header_cells = None
    cols = None  # column indexes of the table being read in the current shape section
    in_summary = False
    seen_summary = False
    lines = text.split("\n")
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        s = line.strip()
        if s.startswith("# bench_zipgemm:"):
            if gpu is not None:
                raise ParseError("line %d: a second '# bench_zipgemm:' line (two runs in one file?)"
                                 % lineno)
            header = s[len("# bench_zipgemm:"):].strip()
            m = re.match(r"(.+?),\s*\d+\s+SMs\b", header)
            gpu = (m.group(1) if m else header.split(",")[0]).strip()
            if not gpu:
                raise ParseError("line %d: no GPU name in the '# bench_zipgemm:' line" % lineno)
            continue
        if s.startswith("# device-to-device copy:"):
            m = re.match(r"# device-to-device copy:\s*(\S+)\s*TB/s", s)
            if not m:
                raise ParseError("line %d: unreadable copy line: %r" % (lineno, s))
            copy_tbs = _number(m.group(1), lineno, "copy TB/s")
            continue
        if s.startswith("## "):
            cols = None
            if s.startswith("## Summary"):
                in_summary = seen_summary = True
                cur = None
                continue
            in_summary = False
            name = s[3:].split(":", 1)[0].strip()
            if not name:
                raise ParseError("line %d: shape heading without a name" % lineno)
            if any(n == name for n, _ in shapes):
                raise ParseError("line %d: shape %r appears twice" % (lineno, name))
            cur = (name, {})
            shapes.append(cur)
            continue
        if in_summary or not s.startswith("|"):
            continue  # summary tables, decompressor/large-N lines, blank lines
        if cur is None:
            raise ParseError("line %d: table row outside a '## <shape>:' section" % lineno)
        cells = _cells(s)
        if cells is None:
            raise ParseError("line %d: table row not closed by '|' (truncated input?): %r"
                             % (lineno, s))
        if cells and cells[0] == "N":
            cols = {"ncol": len(cells)}
            header_cells = cells
            for key, _, tcol, bcol, _, _ in LAYOUTS:
                if tcol in cells:
                    i = cells.index(tcol)
                    if i + 1 >= len(cells) or not cells[i + 1].endswith("speedup"):
                        raise ParseError("line %d: no speedup column after %r" % (lineno, tcol))
                    if bcol not in cells:
                        raise ParseError("line %d: column %r missing" % (lineno, bcol))
                    cols[key] = (i + 1, cells.index(bcol))
            if "v1" not in cols:
                raise ParseError("line %d: table header without a %r column"
                                 % (lineno, LAYOUTS[0][2]))
            continue
        if all(re.match(r"^:?-+:?$", c) for c in cells):
            continue  # |---|---| separator
        if cols is None:
            raise ParseError("line %d: table row before its header" % lineno)
        if len(cells) != cols["ncol"]:
            raise ParseError("line %d: %d columns, the header has %d (truncated input?)"
                             % (lineno, len(cells), cols["ncol"]))
        for ci, c in enumerate(cells):
            # every cell of a data row is a number, optionally followed by the split factor (S)
            if not _CELL.match(c):
                raise ParseError("line %d: column %d (%s): not a number: %r"
                                 % (lineno, ci + 1, header_cells[ci], c))
        nval = _number(cells[0], lineno, "N")
        if nval < 1 or nval != int(nval):
            raise ParseError("line %d: N must be a positive integer: %r" % (lineno, cells[0]))
        n = int(nval)
        if n in cur[1]:
            raise ParseError("line %d: N = %d appears twice for shape %r" % (lineno, n, cur[0]))
        row = {}
        for key, _, _, _, _, _ in LAYOUTS:
            if key in cols:
                si, bi = cols[key]
                sp = _number(cells[si], lineno, "%s speedup" % key)
                if sp <= 0:
                    raise ParseError("line %d: %s speedup must be positive" % (lineno, key))
                row[key] = (sp, _number(cells[bi], lineno, "%s compressed TB/s" % key))
        cur[1][n] = row
    if gpu is None:
        raise ParseError("no '# bench_zipgemm:' line: not the output of cuda_bench_zipgemm")
    shapes = [(name, rows) for name, rows in shapes if rows]
    if not shapes:
        raise ParseError("no shape table with data rows (truncated input?)")
    return {"gpu": gpu, "header": header, "copy_tbs": copy_tbs, "shapes": shapes,
            "finished": seen_summary}


# ----------------------------------------------------------------------------------------------
# SVG helpers


def _f(x):
    return ("%.2f" % x).rstrip("0").rstrip(".")


def _text(x, y, s, size=13, anchor="middle", weight=None, rotate=False, fill="#222"):
    attrs = 'x="%s" y="%s" font-size="%d" text-anchor="%s" fill="%s"' % (_f(x), _f(y), size, anchor,
                                                                        fill)
    if weight:
        attrs += ' font-weight="%s"' % weight
    if rotate:
        attrs += ' transform="rotate(-90 %s %s)"' % (_f(x), _f(y))
    return "<text %s>%s</text>" % (attrs, escape(s))


def _fmt_tick(v):
    if v >= 1:
        return "%g" % v
    return ("%.3f" % v).rstrip("0")


def _log_ticks(lo, hi):
    """1-2-5 ticks spanning [lo, hi] (positive); returns (ticks, axis_lo, axis_hi)."""
    e0 = math.floor(math.log10(lo))
    e1 = math.ceil(math.log10(hi))
    cand = [m * 10.0 ** e for e in range(e0 - 1, e1 + 1) for m in (1, 2, 5)]
    below = [c for c in cand if c <= lo * 1.0000001]
    above = [c for c in cand if c >= hi / 1.0000001]
    a_lo = max(below) if below else lo
    a_hi = min(above) if above else hi
    ticks = [c for c in cand if a_lo / 1.0000001 <= c <= a_hi * 1.0000001]
    return ticks, a_lo, a_hi


def _lin_ticks(hi):
    """Linear ticks from 0 covering hi; returns (ticks, axis_hi)."""
    if hi <= 0:
        hi = 1.0
    raw = hi / 5.0
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    top = step * math.ceil(hi / step - 1e-9)
    k = int(round(top / step))
    return [i * step for i in range(k + 1)], top


def _legend(entries, x, y, width, ncols=None):
    """Legend entries (label, colour, stroke width, dash or "bar") from (x, y): in a grid of ncols
    columns, or else flowing and wrapped at width; text width is estimated (about 7 px per
    character at 12 px)."""
    out = []
    cx, cy = x, y
    for i, (label, colr, sw, dash) in enumerate(entries):
        ew = 44 + 7 * len(label) + 18
        if ncols:
            cx, cy = x + (i % ncols) * width / ncols, y + 20 * (i // ncols)
        elif cx > x and cx + ew > x + width:
            cx, cy = x, cy + 20
        if dash == "bar":
            out.append('<rect x="%s" y="%s" width="18" height="11" fill="%s"/>' % (_f(cx + 12), _f(cy - 6), colr))
        else:
            out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>'
                       % (_f(cx + 2), _f(cy), _f(cx + 34), _f(cy), colr, sw,
                          ' stroke-dasharray="%s"' % dash if dash else ""))
        out.append(_text(cx + 42, cy + 4, label, 12, anchor="start"))
        cx += ew
    return out


def geomean(vals):
    return math.exp(sum(math.log(v) for v in vals) / len(vals))


# ----------------------------------------------------------------------------------------------
# Panels


def panel_speedup(data, layouts, x0, y0, w, h):
    """Panel 1: speedup vs N. Returns a list of SVG element strings."""
    out = []
    shapes = data["shapes"]
    ns = sorted({n for _, rows in shapes for n in rows})
    vals = [rows[n][k][0] for _, rows in shapes for n in rows for k in layouts if k in rows[n]]
    lo = min(vals + [1.0]) / 1.15
    hi = max(vals + [1.0]) * 1.15
    yt, ylo, yhi = _log_ticks(lo, hi)
    l2lo = math.floor(math.log2(ns[0]))
    l2hi = math.ceil(math.log2(ns[-1]))
    if l2hi == l2lo:  # a single N: show it at the left of [N, 2N]
        l2hi += 1
    pl, pr, pt, pb = 66, 16, 40, 128  # plot-area margins inside the panel
    px0, px1, py0, py1 = x0 + pl, x0 + w - pr, y0 + pt, y0 + h - pb

    def X(n):
        return px0 + (math.log2(n) - l2lo) / (l2hi - l2lo) * (px1 - px0)

    def Y(v):
        return py1 - (math.log10(v) - math.log10(ylo)) / (math.log10(yhi) - math.log10(ylo)) * (py1 - py0)

    out.append(_text((px0 + px1) / 2, y0 + 22, "Speedup over cuBLASLt (auto split-K)", 15, weight="bold"))
    out.append('<rect x="%s" y="%s" width="%s" height="%s" fill="#ffffff" stroke="#888" '
               'stroke-width="1"/>' % (_f(px0), _f(py0), _f(px1 - px0), _f(py1 - py0)))
    for t in yt:
        yy = Y(t)
        out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e4e4e4" stroke-width="1"/>'
                   % (_f(px0), _f(yy), _f(px1), _f(yy)))
        out.append(_text(px0 - 6, yy + 4, _fmt_tick(t), 12, anchor="end"))
    for e in range(l2lo, l2hi + 1):
        xx = X(2 ** e)
        out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e4e4e4" stroke-width="1"/>'
                   % (_f(xx), _f(py0), _f(xx), _f(py1)))
        out.append(_text(xx, py1 + 17, "%g" % (2 ** e), 12))
    out.append('<line id="speedup-one" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" '
               'stroke-width="1.5" stroke-dasharray="6,4"/>' % (_f(px0), _f(Y(1.0)), _f(px1), _f(Y(1.0))))
    out.append(_text((px0 + px1) / 2, py1 + 38, "N (columns of X, log2 scale)", 13))
    out.append(_text(x0 + 18, (py0 + py1) / 2, "cuBLASLt time / ZipGEMM time (log scale)", 13,
                     rotate=True))

    # thin per-shape lines first, the geometric means on top
    for key in layouts:
        light = next(L[5] for L in LAYOUTS if L[0] == key)
        for name, rows in shapes:
            pts = [(n, rows[n][key][0]) for n in sorted(rows) if key in rows[n]]
            if not pts:
                continue
            out.append('<polyline class="per-shape" fill="none" stroke="%s" stroke-width="1.2" '
                       'points="%s"><title>%s</title></polyline>'
                       % (light, " ".join("%s,%s" % (_f(X(n)), _f(Y(v))) for n, v in pts),
                          escape("%s, layout %s" % (name, key))))
    for key in layouts:
        col = next(L[4] for L in LAYOUTS if L[0] == key)
        pts = []
        for n in ns:
            v = [rows[n][key][0] for _, rows in shapes if n in rows and key in rows[n]]
            if v:
                pts.append((n, geomean(v), len(v)))
        out.append('<polyline id="geomean-%s" class="geomean" fill="none" stroke="%s" '
                   'stroke-width="3" stroke-linejoin="round" points="%s"/>'
                   % (key, col, " ".join("%s,%s" % (_f(X(n)), _f(Y(g))) for n, g, _ in pts)))
        for n, g, c in pts:
            out.append('<circle cx="%s" cy="%s" r="3.5" fill="%s"><title>%s</title></circle>'
                       % (_f(X(n)), _f(Y(g)), col,
                          escape("layout %s, N = %d: geomean %.6f over %d shape(s)" % (key, n, g, c))))
    # legend below the axis title, outside the plot area, so that it never hides data
    Ls = [next(L for L in LAYOUTS if L[0] == key) for key in layouts]
    entries = [("%s geomean" % L[1], L[4], 3, None) for L in Ls]
    entries += [("%s per shape" % L[1], L[5], 1.2, None) for L in Ls]
    entries.append(("cuBLASLt (speedup 1.0)", "#333", 1.5, "6,4"))
    out += _legend(entries, px0, py1 + 56, px1 - px0, ncols=2)
    return out


BAR_SHAPE_GAP = 18.0  # px between the bar blocks of two shapes (before stretching)
BAR_PAD = 8.0  # px between the plot frame and the first/last block


def _bar_blocks(shapes, nlayouts):
    """(name, rows, label lines, minimum width in px) per shape with rows: room for 11-px N
    labels and bars of at least 10 px, and for the shape name, split before its dimensions
    ('70B GateUp' over '57344x8192') when long."""
    out = []
    for name, rows in shapes:
        if not rows:
            continue
        label = name.rsplit(" ", 1) if len(name) > 12 and " " in name else [name]
        wl = 7.2 * max(len(t) for t in label) + 10
        out.append((name, rows, label, max(len(rows) * (10 * nlayouts + 8), wl)))
    return out


def panel_bandwidth(data, layouts, x0, y0, w, h):
    """Panel 2: compressed TB/s at N <= 16, grouped bars per shape and N."""
    out = []
    shapes = [(name, {n: r for n, r in rows.items() if n <= BAR_MAX_N}) for name, rows in data["shapes"]]
    shapes = [(name, rows) for name, rows in shapes if rows]
    copy = data["copy_tbs"]
    pl, pr, pt, pb = 66, 16, 40, 128
    px0, px1, py0, py1 = x0 + pl, x0 + w - pr, y0 + pt, y0 + h - pb
    out.append(_text((px0 + px1) / 2, y0 + 22, "In-kernel compressed TB/s, N <= %d (auto split-K)"
                     % BAR_MAX_N, 15, weight="bold"))
    out.append('<rect x="%s" y="%s" width="%s" height="%s" fill="#ffffff" stroke="#888" '
               'stroke-width="1"/>' % (_f(px0), _f(py0), _f(px1 - px0), _f(py1 - py0)))
    out.append(_text(x0 + 18, (py0 + py1) / 2, "compressed bytes / kernel time (TB/s)", 13,
                     rotate=True))
    if not shapes:
        out.append(_text((px0 + px1) / 2, (py0 + py1) / 2, "no rows with N <= %d" % BAR_MAX_N, 13))
        return out
    vals = [rows[n][k][1] for _, rows in shapes for n in rows for k in layouts if k in rows[n]]
    yt, yhi = _lin_ticks(max(vals + ([copy] if copy else [])) * 1.08)

    def Y(v):
        return py1 - v / yhi * (py1 - py0)

    for t in yt:
        yy = Y(t)
        out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e4e4e4" stroke-width="1"/>'
                   % (_f(px0), _f(yy), _f(px1), _f(yy)))
        out.append(_text(px0 - 6, yy + 4, "%g" % round(t, 6), 12, anchor="end"))
    blocks = _bar_blocks(shapes, len(layouts))
    need = sum(bw_ for _, _, _, bw_ in blocks) + BAR_SHAPE_GAP * (len(blocks) - 1)
    scale = (px1 - px0 - 2 * BAR_PAD) / need  # >= 1 when the panel was sized by bar_panel_width
    x = px0 + BAR_PAD
    for name, rows, label, bwid in blocks:
        sx0, sx1 = x, x + bwid * scale
        gw = (sx1 - sx0) / len(rows)
        bw = min(gw * 0.8 / len(layouts), 28.0)
        for gi, n in enumerate(sorted(rows)):
            cx = sx0 + (gi + 0.5) * gw
            for li, key in enumerate(layouts):
                if key not in rows[n]:
                    continue
                col = next(L[4] for L in LAYOUTS if L[0] == key)
                v = rows[n][key][1]
                bx = cx - bw * len(layouts) / 2 + li * bw
                out.append('<rect class="bar-%s" x="%s" y="%s" width="%s" height="%s" fill="%s">'
                           '<title>%s</title></rect>'
                           % (key, _f(bx), _f(Y(v)), _f(bw * 0.92), _f(py1 - Y(v)), col,
                              escape("%s, N = %d, layout %s: %.3f TB/s" % (name, n, key, v))))
            out.append(_text(cx, py1 + 16, "%d" % n, 11))
        out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#999" stroke-width="1"/>'
                   % (_f(sx0 + 3), _f(py1 + 23), _f(sx1 - 3), _f(py1 + 23)))
        for li, part in enumerate(label):
            out.append(_text((sx0 + sx1) / 2, py1 + 38 + 14 * li, part, 12))
        x = sx1 + BAR_SHAPE_GAP * scale
    out.append(_text((px0 + px1) / 2, py1 + 74, "N (grouped by shape)", 13))
    if copy:
        yy = Y(copy)
        out.append('<line id="copy-ref" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#2a8a3a" '
                   'stroke-width="1.8" stroke-dasharray="8,4"/>' % (_f(px0), _f(yy), _f(px1), _f(yy)))
    entries = [(next(L[1] for L in LAYOUTS if L[0] == key), next(L[4] for L in LAYOUTS if L[0] == key),
                None, "bar") for key in layouts]
    if copy:
        entries.append(("device-to-device copy, same run: %.3f TB/s (read + write)" % copy, "#2a8a3a",
                        1.8, "8,4"))
    out += _legend(entries, px0, py1 + 94, px1 - px0)
    return out


def render(data, source_name):
    layouts = [L[0] for L in LAYOUTS
               if any(L[0] in r for _, rows in data["shapes"] for r in rows.values())]
    w1 = 560
    blocks = _bar_blocks([(name, {n: r for n, r in rows.items() if n <= BAR_MAX_N})
                          for name, rows in data["shapes"]], len(layouts))
    w2 = max(520, int(math.ceil(66 + 16 + 2 * BAR_PAD + sum(b[3] for b in blocks)
                                + BAR_SHAPE_GAP * max(0, len(blocks) - 1))))
    W, H = w1 + w2 + 20, 600
    top = 56
    body = []
    body.append(_text(W / 2, 26, "ZipGEMM vs cuBLASLt on %s" % data["gpu"], 18, weight="bold"))
    run = data["header"].split(";", 1)[-1].strip()
    names = [name for name, _ in data["shapes"]]
    sub = "cuda_bench_zipgemm: %s; shapes: %s" % (run, ", ".join(names))
    if 6.8 * len(sub) > W - 20:  # too long for one line (about 6.8 px per character at 12 px)
        sub = "cuda_bench_zipgemm: %s; %d shapes" % (run, len(names))
    body.append(_text(W / 2, 46, sub, 12, fill="#555"))
    body += panel_speedup(data, layouts, 10, top, w1, H - top - 8)
    body += panel_bandwidth(data, layouts, 10 + w1, top, w2, H - top - 8)
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%d" height="%d" '
            'viewBox="0 0 %d %d" font-family="%s">\n' % (W, H, W, H, FONT))
    meta = ("<title>%s</title>\n<desc>%s</desc>\n"
            % (escape("ZipGEMM vs cuBLASLt on %s" % data["gpu"]),
               escape("Generated by cuda/bench/plot_bench.py from %s (%s)."
                      % (source_name, data["header"]))))
    bg = '<rect x="0" y="0" width="%d" height="%d" fill="#fafafa"/>\n' % (W, H)
    return head + meta + bg + "\n".join(body) + "\n</svg>\n"


# ----------------------------------------------------------------------------------------------


def write_atomic(path, content):
    """Write content to path through a temporary file in the same directory and a rename."""
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".plot_bench.", suffix=".tmp", dir=d)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        sys.stderr.write("usage: python3 %s BENCH_OUTPUT.txt OUT.svg\n" % argv[0])
        return EXIT_FAIL
    src, dst = argv[1], argv[2]
    try:
        with open(src, "r", encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        sys.stderr.write("plot_bench: cannot read %s: %s\n" % (src, e))
        return EXIT_FAIL
    try:
        data = parse(text)
    except ParseError as e:
        sys.stderr.write("plot_bench: %s: unparsable cuda_bench_zipgemm output: %s\n" % (src, e))
        return EXIT_FAIL
    if not data["finished"]:
        # the bench prints its summary tables last: a run cut short still plots what it has
        sys.stderr.write("plot_bench: note: %s has no summary tables (run cut short?); plotting "
                         "the %d shape(s) present\n" % (src, len(data["shapes"])))
    if data["copy_tbs"] is None:
        sys.stderr.write("plot_bench: note: no '# device-to-device copy:' line; panel 2 has no "
                         "copy reference line\n")
    svg = render(data, os.path.basename(src))
    try:
        write_atomic(dst, svg)
    except OSError as e:
        sys.stderr.write("plot_bench: cannot write %s: %s\n" % (dst, e))
        return EXIT_FAIL
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv))
