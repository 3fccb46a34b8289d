#!/usr/bin/env bash
# The suite discriminates: each mutant subject (one deliberate defect, built from the reference)
# must fail, the failures must include the tests meant to catch that defect, and no test outside
# the area the defect can reach may fail. Prints the tests that catch each mutant.
# The layout F mutants (f_*) must in addition fail only layout F tests, with a nonzero count on
# the runner's `layout F:` line and none on `layout v1:`, and must pass the whole suite when
# they declare layout v1 only (TCA_SUBJECT_LAYOUTS=0x1): v1 vectors alone cannot catch them.
# Usage: discrimination.sh TCA_CONFORM SUBJECT_DIR VECTORS_DIR
set -u
conform=$1 dir=$2 vec=$3
# mutant, regex of tests that must be among the failures, regex every failure must match
cases='
base_wrap ^tca\.format\.invalid\. ^tca\.format\.invalid\.
splitk_bf16 ^tca\.gemm\.sm90\.small\.[0-9]+$ ^tca\.gemm\.sm90\.
f24_sm90 ^tca\.mma\.sm90-hw\. ^tca\.(mma|gemm)\.sm90
ampere_split ^tca\.mma\.sm90\.m16n8k16_f32_bf16\.100[0-9]+$ ^tca\.(mma|gemm)\.sm90
neg_zero ^tca\.mma\.sm90\.m16n8k16_f32_bf16\.(5|6)00[1-3]$ ^tca\.(mma|gemm)\.sm90
swap_c1_c2 ^tca\.mma\.sm90\.m16n8k16_f32_bf16\. ^tca\.(mma|gemm)\.sm90
fallback_off_by_one ^tca\.format\.valid\. ^tca\.(format\.valid|gemm\.sm90)\.
splitk_reverse ^tca\.gemm\.sm90\.small\.[0-9]+\.f32$ ^tca\.gemm\.sm90\.(f\.)?small\.
f_spare_bits ^tca\.format\.f\.valid\.10[12]$ ^tca\.(format\.f\.valid|gemm\.sm90\.f\.small)\.
f_exception_rank ^tca\.format\.f\.valid\.10[13]$ ^tca\.(format\.f\.valid|gemm\.sm90\.f\.small)\.
'
status=0
while read -r m must allowed; do
  [ -n "$m" ] || continue
  so=$dir/libtca_subject_mutant_$m.so
  log=$dir/mutant-$m.log
  "$conform" "$so" --vectors "$vec" --level quick --profile sm90 --junit "$dir/mutant-$m.xml" > "$log" 2>&1
  rc=$?
  ids=$(grep '^FAIL tca\.' "$log" | awk '{print $2}' | sed 's/:$//')
  n=$(printf '%s\n' "$ids" | grep -c . || true)
  caught=$(printf '%s\n' "$ids" | grep -cE "$must" || true)
  stray=$(printf '%s\n' "$ids" | grep -vE "$allowed" | grep . || true)
  summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log")
  if [ $rc != 1 ] || [ "$n" = 0 ] || [ "$caught" = 0 ] || [ -n "$stray" ]; then
    echo "mutant $m NOT DISCRIMINATED: exit $rc, $n failures, $caught matching /$must/ ($summary)"
    [ -n "$stray" ] && echo "  failures outside /$allowed/:" && printf '%s\n' "$stray" | head -5 | sed 's/^/    /'
    tail -n 5 "$log" | sed 's/^/  | /'
    status=1
    continue
  fi
  echo "mutant $m: caught by $n failing tests ($summary)"
  printf '%s\n' "$ids" | sed -E 's/\.[0-9]+(\.f32)?$//' | sort | uniq -c | sort -rn | head -8 |
    awk '{printf "    %5d in %s\n", $1, $2}'
  printf '%s\n' "$ids" | grep -E "$must" | head -3 | sed 's/^/    e.g. /'
  grep -m 1 -E "^FAIL ($(printf '%s\n' "$ids" | grep -E "$must" | head -1 | sed 's/\./\\./g')):" "$log" |
    cut -c1-300 | sed 's/^/    /'
  case $m in
  f_*)
    # per-layout report: the failures are layout F failures, layout v1 is clean
    lf=$(grep -E '^layout F: [0-9]+ passed, [0-9]+ failed' "$log")
    lv=$(grep -E '^layout v1: [0-9]+ passed, [0-9]+ failed' "$log")
    read -r _ _ _ _ ff _ <<< "$lf"
    read -r _ _ _ _ fv _ <<< "$lv"
    if [ "${ff:-0}" = 0 ] || [ "${fv:-x}" != 0 ]; then
      echo "mutant $m: per-layout lines wrong: '$lf' / '$lv'"
      status=1
      continue
    fi
    echo "    $lf"
    echo "    $lv"
    # v1 vectors alone: the same mutant declaring layout v1 only passes everything it runs
    TCA_SUBJECT_LAYOUTS=0x1 "$conform" "$so" --vectors "$vec" --level quick --profile sm90 > "$log.v1only" 2>&1
    rc1=$?
    s1=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log.v1only")
    lf1=$(grep -E '^layout F: ' "$log.v1only")
    if [ $rc1 != 0 ] || ! grep -qE '^layout F: 0 passed, 0 failed, [1-9][0-9]* skipped' "$log.v1only"; then
      echo "mutant $m with layout v1 only: exit $rc1 ($s1; $lf1): expected to pass, F vectors skipped"
      status=1
      continue
    fi
    echo "    with layout v1 only (TCA_SUBJECT_LAYOUTS=0x1): not caught, exit 0 ($s1)"
    ;;
  esac
done <<< "$cases"
exit $status
