#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Seeds for fuzz_tv_conform and fuzz_tv_parse from the generated vector corpus: `tca gen --level
# quick` into a temporary directory, then, per vector file, its header group and its first small
# records (at most 3, each under 6000 bytes) as one short .tv file. Deterministic: tca gen is.
#   usage: fuzz/tools/conform_seeds.sh path/to/tca fuzz/corpus
set -eu
tca=$1
corpus=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$tca" gen --out "$tmp" --level quick >/dev/null
mkdir -p "$corpus/tv_conform" "$corpus/tv_parse"
for f in format/valid.tv format/invalid.tv format/containers.tv gemm/sm90/small.tv gemm/sm80/small.tv \
         mma/sm90/m16n8k16_f32_bf16.tv mma/sm90/m16n8k16_f16_f16.tv mma/sm90/m16n8k8_f32_f16.tv \
         mma/sm80/m16n8k16_f32_bf16.tv mma/sm80/m16n8k8_f16_f16.tv mma/sm89/m16n8k16_f32_f16.tv; do
    [ -f "$tmp/v1/$f" ] || continue
    name=$(echo "$f" | tr '/' '-')
    # paragraph mode: the first group is the grammar line, comments and header; then records
    awk 'BEGIN { RS = ""; ORS = "\n\n"; kept = 0 }
         NR == 1 { print; next }
         length($0) < 6000 && kept < 3 { print; kept++ }' "$tmp/v1/$f" > "$corpus/tv_conform/gen-$name"
    cp "$corpus/tv_conform/gen-$name" "$corpus/tv_parse/gen-$name"
done
# the manifest as the runner reads it
cp "$tmp/MANIFEST.tsv" "$corpus/tv_parse/gen-MANIFEST.tsv"
