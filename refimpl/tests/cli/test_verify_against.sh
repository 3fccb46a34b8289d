# SPDX-License-Identifier: Apache-2.0
# verify --against detects a one-bit difference and names the tensor and element
# (spec/tca-safetensors.md 6).
source "$(dirname "$0")/lib.sh" "$@"

expect_rc 0 "$TCA" run --out "$W/r"
in=$W/r/sample.safetensors
c=$W/r/sample.tca.safetensors

# a bit of a compressed tensor: element 1000 of up_proj ([1376, 512]) is [1, 488]
cp "$in" "$W/o1.safetensors"
off=$(tensor_offset "$W/o1.safetensors" "model.layers.1.mlp.up_proj.weight")
flip "$W/o1.safetensors" $((off + 2 * 1000)) 0
expect_rc 1 "$TCA" verify "$c" --against "$W/o1.safetensors"
grep -q "model.layers.1.mlp.up_proj.weight" "$W/stderr" || fail "tensor not named"
grep -q "\[1, 488\]" "$W/stderr" || fail "element not named: $(cat "$W/stderr")"

# the highest bit of the last byte of a pass-through F32 tensor
cp "$in" "$W/o2.safetensors"
off=$(tensor_offset "$W/o2.safetensors" "model.layers.0.post_attention_layernorm.weight")
flip "$W/o2.safetensors" $((off + 4 * 512 - 1)) 7
expect_rc 1 "$TCA" verify "$c" --against "$W/o2.safetensors"
grep -q "post_attention_layernorm" "$W/stderr" || fail "pass-through tensor not named"
grep -q "\[511\]" "$W/stderr" || fail "element not named: $(cat "$W/stderr")"

# a bit of the header, and a file of another length
cp "$in" "$W/o3.safetensors"
flip "$W/o3.safetensors" 20 1
expect_rc 1 "$TCA" verify "$c" --against "$W/o3.safetensors"
cp "$in" "$W/o4.safetensors"
printf 'x' >> "$W/o4.safetensors"
expect_rc 1 "$TCA" verify "$c" --against "$W/o4.safetensors"

# unchanged: identical
expect_rc 0 "$TCA" verify "$c" --against "$in"
grep -q identical "$W/stdout" || fail "no confirmation printed"
echo PASS
