# SPDX-License-Identifier: Apache-2.0
# tca info --json is valid JSON with the documented fields; the text form names every tensor.
source "$(dirname "$0")/lib.sh" "$@"

expect_rc 0 "$TCA" run --out "$W/r"
c=$W/r/sample.tca.safetensors
"$TCA" info --json "$c" > "$W/info.json" || fail "info --json failed"
python3 -m json.tool "$W/info.json" > /dev/null || fail "info --json is not valid JSON"
python3 - "$W/info.json" <<'PY' || fail "info --json content"
import json, sys
d = json.load(open(sys.argv[1]))
t = d["tensors"]
assert d["format"] == "TCA-TBE", d["format"]
assert len(t) == 23 and d["totals"]["tensors"] == 23
comp = [x for x in t if x["stored"] == "TCA-TBE"]
assert len(comp) == 16 == d["totals"]["compressed"], len(comp)
for x in comp:
    assert x["window"] == [x["base"] + 1, x["base"] + 7], x
    assert 0.9 < x["in_window_fraction"] <= 1, x
    assert 10.5 < x["bits_per_weight"] < 13, x
    assert abs(x["ratio"] - 16 / x["bits_per_weight"]) < 1e-9, x
    assert 8 < x["entropy_bound_bits"] < x["bits_per_weight"], x
    assert x["layout"] == "v1"
plain = [x for x in t if x["stored"] == "plain"]
assert all(x["dtype"] in ("F32", "BF16") for x in plain)
assert d["totals"]["original_file_bytes"] > d["totals"]["file_bytes"]
PY
expect_rc 0 "$TCA" info "$c"
grep -q "model.layers.1.mlp.down_proj.weight" "$W/stdout" || fail "text info lacks a tensor"
grep -q "bits per weight" "$W/stdout" || fail "text info lacks totals"
"$TCA" info --json "$W/r/sample.safetensors" | python3 -m json.tool > /dev/null || fail "plain info --json invalid"
echo PASS
