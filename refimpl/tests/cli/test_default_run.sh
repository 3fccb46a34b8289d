# SPDX-License-Identifier: Apache-2.0
# `tca` with no arguments runs the main job, succeeds, and leaves nothing in TMPDIR.
source "$(dirname "$0")/lib.sh" "$@"

mkdir "$W/tmp"
TMPDIR=$W/tmp expect_rc 0 "$TCA"
grep -q "byte-identical: OK" "$W/stdout" || fail "no round-trip confirmation"
grep -q "bits per weight" "$W/stdout" || fail "no summary"
[ -z "$(ls -A "$W/tmp")" ] || fail "left in TMPDIR: $(ls -A "$W/tmp")"
echo PASS
