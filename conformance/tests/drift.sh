#!/usr/bin/env bash
# Drift check (spec/tca-test-vectors.md 8.3): regenerate the corpus into the build tree with
# `tca gen` and compare it byte for byte with the committed vectors/, then let `tca gen --check`
# compare the manifest and checksums. Usage: drift.sh TCA VECTORS_DIR OUT_DIR quick|full
set -u
tca=$1 vec=$2 out=$3 level=$4
if [ "$level" = full ] && [ "${TCA_CHECK_EXPENSIVE:-0}" != 1 ]; then
  echo "full tier only (set TCA_CHECK_EXPENSIVE=1)"
  exit 77
fi
rm -rf "$out" && mkdir -p "$out" || exit 2
# Hardware captures are data, not generated: copy them so the regenerated index lists them.
if [ -d "$vec/v1/mma/sm90-hw" ]; then
  mkdir -p "$out/v1/mma" && cp -r "$vec/v1/mma/sm90-hw" "$out/v1/mma/" || exit 2
fi
"$tca" gen --out "$out" --level "$level" || { echo "tca gen failed"; exit 1; }
status=0 n=0
for f in $(cd "$out" && find v1 -name '*.tv' | sort); do
  n=$((n + 1))
  if ! cmp -s "$out/$f" "$vec/$f"; then
    echo "DRIFT $f: the committed file differs from its regeneration"
    status=1
  fi
done
if [ "$level" = full ]; then
  # nothing committed that the generator does not produce
  for f in $(cd "$vec" && find v1 -name '*.tv' | sort); do
    [ -f "$out/$f" ] || { echo "DRIFT $f: committed but not generated"; status=1; }
  done
  for f in MANIFEST.tsv SHA256SUMS VERSION; do
    cmp -s "$out/$f" "$vec/$f" || { echo "DRIFT $f differs from its regeneration"; status=1; }
  done
fi
# quick: the committed index must list the quick files as regenerated (full compared it above)
if [ "$level" = quick ]; then
  "$tca" gen --check --out "$vec" --level quick || status=1
fi
[ $status = 0 ] && echo "no drift: $n files regenerated identically ($level)"
exit $status
