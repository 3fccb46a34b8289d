# SPDX-License-Identifier: Apache-2.0
# tca transcode (spec/tca-tbe-format.md 8.9): a tensor of a compressed checkpoint exported as a v1
# and as an F stream; v1 -> F equals the direct export in F, F -> v1 equals the v1 export, both
# byte for byte; a corrupt stream exits 1 and writes nothing; usage errors exit 2.
source "$(dirname "$0")/lib.sh" "$@"

expect_rc 0 "$TCA" run --out "$W/run"
ck=$W/run/sample.tca.safetensors
t=model.layers.0.mlp.down_proj.weight   # 512 x 1376: ragged K

expect_rc 0 "$TCA" transcode --layout v1 --tensor "$t" "$ck" "$W/a.v1.tbe"
expect_rc 0 "$TCA" transcode --layout f --tensor "$t" "$ck" "$W/a.f.tbe"
# spec 3.1-3.3: magic, major 1, minor 1, layout 1 for F; minor 0, layout 0 for v1
[ "$(od -An -tx1 -N7 "$W/a.f.tbe" | tr -d ' ')" = "89544341010101" ] || fail "F header start"
[ "$(od -An -tx1 -N7 "$W/a.v1.tbe" | tr -d ' ')" = "89544341010000" ] || fail "v1 header start"

expect_rc 0 "$TCA" transcode --layout f "$W/a.v1.tbe" "$W/b.f.tbe"
cmp -s "$W/a.f.tbe" "$W/b.f.tbe" || fail "v1 -> F differs from the direct F export"
expect_rc 0 "$TCA" transcode --layout v1 "$W/b.f.tbe" "$W/b.v1.tbe"
cmp -s "$W/a.v1.tbe" "$W/b.v1.tbe" || fail "F -> v1 differs from the v1 export"
expect_rc 0 "$TCA" transcode --layout f "$W/b.f.tbe" "$W/c.f.tbe"
cmp -s "$W/a.f.tbe" "$W/c.f.tbe" || fail "F -> F is not the identity"

# size within 0.02 bits per weight of v1 (512 x 1376 weights)
sv=$(stat -c %s "$W/a.v1.tbe"); sf=$(stat -c %s "$W/a.f.tbe")
python3 -c "import sys; d = 8 * abs($sf - $sv) / (512 * 1376); sys.exit(0 if d < 0.02 else 1)" ||
    fail "F $sf bytes vs v1 $sv bytes: more than 0.02 bits per weight apart"

# corruption: a flipped bit in the Strips section -> Content_Checksum mismatch, exit 1, no output
cp "$W/a.f.tbe" "$W/bad.f.tbe"
flip "$W/bad.f.tbe" 1000 3
expect_rc 1 "$TCA" transcode --layout v1 "$W/bad.f.tbe" "$W/out.tbe"
grep -q "ERROR_FORMAT_CONTENT_CHECKSUM" "$W/stderr" || fail "no content checksum error named"
[ ! -e "$W/out.tbe" ] || fail "output written for a corrupt input"
ls -a "$W" | grep -q tca-tmp && fail "temporary file left behind"

# checkpoints: compress --layout f round-trips byte for byte, info names the layout, and the
# checkpoint transcoder gives exactly the direct compressor's output in both directions
in=$W/run/sample.safetensors
expect_rc 0 "$TCA" compress --layout f "$in" "$W/f.safetensors"
grep -q "TCA-TBE layout F" "$W/stdout" || fail "compress summary does not name layout F"
expect_rc 0 "$TCA" decompress "$W/f.safetensors" "$W/fd.safetensors"
cmp -s "$in" "$W/fd.safetensors" || fail "layout F checkpoint round trip differs"
expect_rc 0 "$TCA" verify "$W/f.safetensors" --against "$in"
expect_rc 0 "$TCA" info --json "$W/f.safetensors"
python3 - "$W/stdout" <<'PY' || fail "info --json: layouts or format_version wrong"
import json, sys
d = json.load(open(sys.argv[1]))
ls = [t["layout"] for t in d["tensors"] if t.get("stored") == "TCA-TBE"]
sys.exit(0 if ls and all(l == "F" for l in ls) and d["format_version"] == "1.1" else 1)
PY
expect_rc 0 "$TCA" compress --low-memory --layout f "$in" "$W/flm.safetensors"
cmp -s "$W/f.safetensors" "$W/flm.safetensors" || fail "--low-memory --layout f output differs"
expect_rc 0 "$TCA" transcode --layout f "$ck" "$W/tf.safetensors"
cmp -s "$W/f.safetensors" "$W/tf.safetensors" || fail "checkpoint v1 -> F differs from compress --layout f"
expect_rc 0 "$TCA" transcode --layout v1 "$W/f.safetensors" "$W/tv.safetensors"
cmp -s "$ck" "$W/tv.safetensors" || fail "checkpoint F -> v1 differs from compress"
# a flipped bit in a layout F array: CRC error, exit 1, nothing written
cp "$W/f.safetensors" "$W/badf.safetensors"
off=$(tensor_offset "$W/badf.safetensors" "$t.tca.exceptions")
flip "$W/badf.safetensors" "$off" 0
expect_rc 1 "$TCA" decompress "$W/badf.safetensors" "$W/bd.safetensors"
[ ! -e "$W/bd.safetensors" ] || fail "output written for a corrupt checkpoint"
expect_rc 1 "$TCA" transcode --layout v1 "$W/badf.safetensors" "$W/bt.safetensors"
[ ! -e "$W/bt.safetensors" ] || fail "transcode wrote output for a corrupt checkpoint"
expect_rc 2 "$TCA" compress --layout g "$in" "$W/x.safetensors"

expect_rc 2 "$TCA" transcode "$W/a.f.tbe" "$W/x.tbe"
expect_rc 2 "$TCA" transcode --layout g "$W/a.f.tbe" "$W/x.tbe"
expect_rc 2 "$TCA" transcode --layout f "$W/a.f.tbe"
expect_rc 2 "$TCA" transcode --layout f "$W/missing.tbe" "$W/x.tbe"
echo PASS
