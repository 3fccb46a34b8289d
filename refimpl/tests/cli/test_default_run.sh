# SPDX-License-Identifier: Apache-2.0
# `tca` with no arguments runs the main job, succeeds, and leaves nothing in TMPDIR.
source "$(dirname "$0")/lib.sh" "$@"

mkdir "$W/tmp"
TMPDIR=$W/tmp expect_rc 0 "$TCA"
grep -q "byte-identical: OK" "$W/stdout" || fail "no round-trip confirmation"
grep -q "bits per weight" "$W/stdout" || fail "no summary"
[ -z "$(ls -A "$W/tmp")" ] || fail "left in TMPDIR: $(ls -A "$W/tmp")"
# deterministic: two runs generate the same sample and the same compressed file
expect_rc 0 "$TCA" run --out "$W/a" --threads 1
expect_rc 0 "$TCA" run --out "$W/b" --threads 2
cmp -s "$W/a/sample.safetensors" "$W/b/sample.safetensors" || fail "sample checkpoint not deterministic"
cmp -s "$W/a/sample.tca.safetensors" "$W/b/sample.tca.safetensors" || fail "compressed sample not deterministic"
echo PASS
