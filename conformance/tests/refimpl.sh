#!/usr/bin/env bash
# The reference subject passes 100% of the vectors on every profile, the claim holds against
# mustpass.txt, skips are reported as skipped, and the summary line and JUnit report agree.
# Usage: refimpl.sh TCA_CONFORM SUBJECT.so VECTORS_DIR OUT_DIR quick|full CONFORMANCE_SRC_DIR
set -u
conform=$1 subj=$2 vec=$3 out=$4 level=$5 src=$6
if [ "$level" = full ] && [ "${TCA_CHECK_EXPENSIVE:-0}" != 1 ]; then
  echo "full tier only (set TCA_CHECK_EXPENSIVE=1)"
  exit 77
fi
mkdir -p "$out" || exit 2
log=$out/refimpl-$level.log xml=$out/refimpl-$level.xml
fail() { echo "FAILED: $*"; exit 1; }

"$conform" "$subj" --vectors "$vec" --level "$level" --profile all --junit "$xml" \
  --mustpass "$src/mustpass.txt" --waivers "$src/waivers.txt" > "$log" 2>&1
rc=$?
tail -n 3 "$log"
[ $rc = 0 ] || { grep -m 20 '^FAIL' "$log"; fail "tca-conform exited $rc"; }
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log") || fail "no summary line"
read -r p _ f _ s _ <<< "$summary"
[ "$f" = 0 ] && [ "$s" = 0 ] && [ "$p" -gt 1000 ] || fail "expected all passed, got: $summary"
grep -q '^conformance (.*): CONFORMANT' "$log" || fail "claim does not hold"
grep -q "<testsuites name=\"tca-conform\" tests=\"$p\" failures=\"0\" skipped=\"0\"" "$xml" || fail "JUnit totals"
# per-layout report: both layouts declared, layout F vectors run and pass (vectors 5.5, 6.5)
lf=$(grep -E '^layout F: [0-9]+ passed, 0 failed, 0 skipped$' "$log") || fail "no clean 'layout F:' line"
grep -qE '^layout v1: [1-9][0-9]* passed, 0 failed, 0 skipped$' "$log" || fail "no clean 'layout v1:' line"
read -r _ _ pf _ <<< "$lf"
[ "$pf" -gt 300 ] || fail "too few layout F tests: $lf"
grep -q '^conformance (.*layouts v1 F): CONFORMANT' "$log" || fail "claim does not name both layouts"
[ "$(grep -c '<testcase ' "$xml")" = "$p" ] || fail "JUnit testcase count"

[ "$level" = quick ] || exit 0
# One profile only: the other profiles' vectors are skipped, never passed.
TCA_SUBJECT_PROFILE=sm86 "$conform" "$subj" --vectors "$vec" --level quick --junit "$out/refimpl-sm86.xml" \
  > "$out/refimpl-sm86.log" 2>&1 || fail "sm86 run exited $?"
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$out/refimpl-sm86.log") || fail "no summary"
read -r p1 _ f1 _ s1 _ <<< "$summary"
[ "$f1" = 0 ] && [ "$s1" -gt 0 ] && [ $((p1 + s1)) = "$p" ] || fail "sm86 run: $summary (all-profile run: $p)"
grep -q 'profile sm86,' "$out/refimpl-sm86.log" || fail "profile from TCA_SUBJECT_PROFILE not used"
grep -q '<skipped message="profile sm90 not claimed by the subject"' "$out/refimpl-sm86.xml" || fail "skips in JUnit"
echo "refimpl: $p passed on all profiles; single-profile run: $p1 passed, $s1 skipped"

# Undeclared capabilities: decompress only. GEMM and MMA tests are skipped, not passed, and a
# claim cannot hold on skips.
TCA_SUBJECT_CAPS=0x3 "$conform" "$subj" --vectors "$vec" --level quick --profile sm90 \
  --mustpass "$src/mustpass.txt" > "$out/refimpl-caps.log" 2>&1
rc=$?
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$out/refimpl-caps.log") || fail "no summary"
read -r p2 _ f2 _ s2 _ <<< "$summary"
[ $rc = 1 ] && [ "$f2" = 0 ] && [ $((p2 + s2)) = "$p" ] || fail "caps run: exit $rc, $summary"
grep -q 'NOT CONFORMANT' "$out/refimpl-caps.log" || fail "a claim held on skipped tests"
[ "$(grep -c '^pass\|^FAIL' "$out/refimpl-caps.log")" = 0 ] || fail "unexpected lines"
echo "capabilities masked: $p2 passed (format), $s2 skipped, claim refused"

# Undeclared layout: a subject of layout v1 only gets every layout F test skipped, never passed;
# its claim holds for v1 (the [F] must-pass patterns do not apply) and says so.
TCA_SUBJECT_LAYOUTS=0x1 "$conform" "$subj" --vectors "$vec" --level quick --profile sm90 \
  --mustpass "$src/mustpass.txt" --junit "$out/refimpl-v1only.xml" > "$out/refimpl-v1only.log" 2>&1
rc=$?
lf=$(grep -E '^layout F: ' "$out/refimpl-v1only.log")
[ $rc = 0 ] && grep -qE '^layout F: 0 passed, 0 failed, [1-9][0-9]* skipped \(layout not declared' "$out/refimpl-v1only.log" ||
  fail "v1-only run: exit $rc, $lf"
grep -q '^conformance (quick level, layouts v1): CONFORMANT' "$out/refimpl-v1only.log" || fail "v1-only claim"
grep -q '<skipped message="layout F not declared by the subject"' "$out/refimpl-v1only.xml" || fail "F skips in JUnit"
# ... and one of layout F only: the v1 stream tests are skipped
TCA_SUBJECT_LAYOUTS=0x2 "$conform" "$subj" --vectors "$vec" --level quick --profile sm90 \
  --mustpass "$src/mustpass.txt" > "$out/refimpl-fonly.log" 2>&1
rc=$?
grep -qE '^layout v1: 0 passed, 0 failed, [1-9][0-9]* skipped' "$out/refimpl-fonly.log" && [ $rc = 0 ] &&
  grep -q '^conformance (quick level, layouts F): CONFORMANT' "$out/refimpl-fonly.log" || fail "F-only run: exit $rc"
# ... and none: no claim
TCA_SUBJECT_LAYOUTS=0 "$conform" "$subj" --vectors "$vec" --level quick --profile sm90 \
  --mustpass "$src/mustpass.txt" > "$out/refimpl-nolayout.log" 2>&1
rc=$?
[ $rc = 1 ] && grep -q 'NOT CONFORMANT' "$out/refimpl-nolayout.log" || fail "no-layout run: exit $rc"
echo "layouts: $lf (v1 only); claims per layout hold"

# Corrupted vectors are refused (exit 2), never run.
bad=$out/vectors-corrupt
rm -rf "$bad" && cp -r "$vec" "$bad" || exit 2
printf 'x' >> "$bad/v1/format/valid.tv"
"$conform" "$subj" --vectors "$bad" --level quick > "$out/refimpl-corrupt.log" 2>&1
rc=$?
[ $rc = 2 ] && grep -q 'does not match SHA256SUMS' "$out/refimpl-corrupt.log" || fail "corrupt vectors: exit $rc"
rm -rf "$bad"
echo "corrupted corpus refused"
