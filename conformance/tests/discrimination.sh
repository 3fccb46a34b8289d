#!/usr/bin/env bash
# The suite discriminates: each mutant subject (one deliberate defect, built from the reference)
# must fail, the failures must include the tests meant to catch that defect, and no test outside
# the area the defect can reach may fail. Prints the tests that catch each mutant.
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
splitk_reverse ^tca\.gemm\.sm90\.small\.[0-9]+\.f32$ ^tca\.gemm\.sm90\.small\.
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
done <<< "$cases"
exit $status
