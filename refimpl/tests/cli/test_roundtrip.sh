# SPDX-License-Identifier: Apache-2.0
# compress + decompress gives the input back byte for byte (sha256sum), for any thread count;
# verify --against accepts the original (spec/tca-safetensors.md 4, 6).
source "$(dirname "$0")/lib.sh" "$@"

expect_rc 0 "$TCA" run --out "$W/run"
in=$W/run/sample.safetensors
[ -f "$in" ] || fail "tca run --out did not keep sample.safetensors"
a=$(sha256sum < "$in" | cut -d' ' -f1)
b=$(sha256sum < "$W/run/sample.roundtrip.safetensors" | cut -d' ' -f1)
[ "$a" = "$b" ] || fail "tca run round trip differs: $a vs $b"

expect_rc 0 "$TCA" compress "$in" "$W/c1.safetensors" --threads 1
expect_rc 0 "$TCA" compress --threads 3 "$in" "$W/c3.safetensors"
cmp -s "$W/c1.safetensors" "$W/c3.safetensors" || fail "output depends on --threads"
cmp -s "$W/c1.safetensors" "$W/run/sample.tca.safetensors" || fail "tca run and tca compress differ"
expect_rc 0 "$TCA" compress --low-memory "$in" "$W/lm.safetensors"
cmp -s "$W/c1.safetensors" "$W/lm.safetensors" || fail "--low-memory output differs"
[ "$(stat -c %s "$W/c1.safetensors")" -lt "$(stat -c %s "$in")" ] || fail "compressed file is not smaller"
grep -q "TCA-TBE" "$W/stdout" || fail "compress printed no summary table"

(umask 022 && "$TCA" decompress "$W/c1.safetensors" "$W/d.safetensors") || fail "decompress failed"
# the temporary file's private mode (mkstemp: 0600) is not kept: 0666 & ~umask
[ "$(stat -c %a "$W/d.safetensors")" = 644 ] || fail "output mode $(stat -c %a "$W/d.safetensors"), expected 644"
c=$(sha256sum < "$W/d.safetensors" | cut -d' ' -f1)
[ "$a" = "$c" ] || fail "decompress differs from the input: $a vs $c"

expect_rc 0 "$TCA" verify "$W/c1.safetensors" --against "$in"
grep -q "$a" "$W/stdout" || fail "verify did not print the original's sha256"
expect_rc 0 "$TCA" verify "$W/c1.safetensors"

# --force compresses the small tensors too, and still round-trips
expect_rc 0 "$TCA" compress --force "$in" "$W/f.safetensors"
expect_rc 0 "$TCA" decompress "$W/f.safetensors" "$W/fd.safetensors"
cmp -s "$in" "$W/fd.safetensors" || fail "--force round trip differs"
echo PASS
