# SPDX-License-Identifier: Apache-2.0
# Exit codes 0 ok, 1 corrupt input or mismatch, 2 usage or I/O error, each with a one-line
# message naming the file (spec/tca-safetensors.md 6).
source "$(dirname "$0")/lib.sh" "$@"

expect_rc 0 "$TCA" run --out "$W/r"
in=$W/r/sample.safetensors
c=$W/r/sample.tca.safetensors

# usage errors
expect_rc 2 "$TCA" compress
expect_rc 2 "$TCA" compress "$in"
expect_rc 2 "$TCA" compress "$in" "$W/x" --bogus
expect_rc 2 "$TCA" compress "$in" "$W/x" --threads 0
expect_rc 2 "$TCA" decompress "$c"
expect_rc 2 "$TCA" verify
expect_rc 2 "$TCA" info
expect_rc 2 "$TCA" no-such-command
# I/O errors: missing input, unwritable output directory
expect_rc 2 "$TCA" compress "$W/missing.safetensors" "$W/x"
grep -q "missing.safetensors" "$W/stderr" || fail "message does not name the file"
expect_rc 2 "$TCA" compress "$in" "$W/no/such/dir/x.safetensors"
expect_rc 2 "$TCA" verify "$c" --against "$W/missing.safetensors"
expect_rc 2 "$TCA" info "$W"                          # a directory is not an input file
mkdir "$W/adir"
expect_rc 2 "$TCA" decompress "$c" "$W/adir"          # nor an output file
[ -z "$(ls -A "$W/adir")" ] && [ -z "$(ls -A "$W" | grep tca-tmp)" ] || fail "temporary file left"
# help
expect_rc 0 "$TCA" compress --help
expect_rc 0 "$TCA" --help

# corrupt inputs -> 1
head -c 100 "$in" > "$W/trunc.safetensors"
expect_rc 1 "$TCA" compress "$W/trunc.safetensors" "$W/x"
[ "$(wc -l < "$W/stderr")" -eq 1 ] || fail "expected a one-line message"
grep -q "trunc.safetensors" "$W/stderr" || fail "message does not name the file"
printf 'not a safetensors file at all' > "$W/junk"
expect_rc 1 "$TCA" info "$W/junk"
expect_rc 1 "$TCA" compress "$c" "$W/x"            # already compressed: reserved names
expect_rc 1 "$TCA" verify "$in"                     # plain file: no tca metadata
expect_rc 1 "$TCA" decompress "$in" "$W/x"

# one flipped bit in a compressed array -> verify, decompress and info report it (1)
cp "$c" "$W/bad.safetensors"
off=$(tensor_offset "$W/bad.safetensors" "model.layers.1.mlp.down_proj.weight.tca.sign_mantissa")
flip "$W/bad.safetensors" $((off + 1000)) 3
expect_rc 1 "$TCA" verify "$W/bad.safetensors"
grep -q "model.layers.1.mlp.down_proj.weight" "$W/stderr" || fail "verify does not name the tensor"
grep -q "CRC" "$W/stderr" || fail "verify does not say CRC"
expect_rc 1 "$TCA" decompress "$W/bad.safetensors" "$W/x"
expect_rc 1 "$TCA" info "$W/bad.safetensors"
[ ! -e "$W/x" ] || fail "a failed command left an output file"

# one flipped bit in a tensor stored as is -> its CRC-32C (tca.passthrough_crc32c) catches it
cp "$c" "$W/bad2.safetensors"
off=$(tensor_offset "$W/bad2.safetensors" "model.norm.weight")
flip "$W/bad2.safetensors" $((off + 7)) 5
expect_rc 1 "$TCA" verify "$W/bad2.safetensors"
grep -q "model.norm.weight" "$W/stderr" || fail "verify does not name the pass-through tensor"
expect_rc 1 "$TCA" decompress "$W/bad2.safetensors" "$W/x"
[ ! -e "$W/x" ] || fail "a failed command left an output file"
echo PASS
