#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One-command GPU check of the CUDA kernels (layouts v1 and F), for a machine with an NVIDIA GPU.
# Run from the repository root:   cuda/run_gpu_checks.sh     (logs to $OUT, else build-gpu/logs)
#
# Steps (each logged to its own file; a failing step does not stop the later ones, the exit
# status is 1 if any step failed):
#   1. build: CMake, Release, CMAKE_CUDA_ARCHITECTURES=90a (TCA_CUDA_ARCH overrides), the CUDA
#      targets, tca-conform and the refimpl conformance subject
#   2. cuda_test_kernels: bit-exact vs libtca, both layouts (quick tier; TCA_CHECK_EXPENSIVE=1
#      with FULL=1)
#   3. compute-sanitizer memcheck and racecheck on the small subset (TCA_CUDA_TEST_SMALL=1)
#   4. tca-conform with the CUDA subject, quick and full levels; then the same with
#      TCA_CUDA_SUBJECT_AS_F=1 (every v1 vector transcoded to layout F before upload)
#   5. cuda_bench_zipgemm (v1, F and cuBLASLt in the same run), REPS repetitions (default 15)
# Environment: OUT (log directory), BUILD (build directory, default build-gpu), JOBS (default
# nproc), REPS, FULL=1, SKIP_BENCH=1, BENCH_FILTER (shape-name substring), STEPS (a subset of
# "build test sanitize conform bench cpasync", default all but cpasync; the build is incremental, so a machine that
# limits one command's time can run the steps as separate calls, e.g. STEPS="build test", then
# STEPS=sanitize, STEPS=conform, then STEPS=bench with BENCH_FILTER=8B and BENCH_FILTER=70B).
set -u
export PATH="$PATH:${CUDA_HOME:-/usr/local/cuda}/bin" # nvcc, cuobjdump, compute-sanitizer
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build-gpu}
OUT=${OUT:-$ROOT/$BUILD/logs}
JOBS=${JOBS:-$(nproc)}
REPS=${REPS:-15}
ARCH=${TCA_CUDA_ARCH:-90a}
mkdir -p "$OUT"
SUMMARY="$OUT/summary.txt"
: > "$SUMMARY"
failed=0
STEPS=${STEPS:-build test sanitize conform bench}
want() { case " $STEPS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

step() { # step NAME COMMAND...: run, log to $OUT/NAME.log, record the result
    local name=$1
    shift
    local t0=$(date +%s)
    echo "== $name: $*" | tee -a "$SUMMARY"
    "$@" > "$OUT/$name.log" 2>&1
    local rc=$?
    local t1=$(date +%s)
    echo "   $name: exit $rc ($((t1 - t0)) s), log $OUT/$name.log" | tee -a "$SUMMARY"
    tail -n 3 "$OUT/$name.log" | sed 's/^/   | /' | tee -a "$SUMMARY"
    [ $rc -eq 0 ] || failed=1
    return $rc
}

{
    echo "date: $(date -u +%FT%TZ)"
    echo "git: $(git rev-parse HEAD 2>/dev/null) $(git status --porcelain 2>/dev/null | wc -l) modified"
    nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,memory.total --format=csv,noheader 2>&1
    nvcc --version 2>&1 | tail -n 1
} | tee -a "$SUMMARY"

want build || [ -x "$BUILD/cuda/cuda_test_kernels" ] || STEPS="build $STEPS"
if want build; then
step configure cmake -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DTCA_WITH_CUDA=ON -DTCA_WERROR=ON \
    -DCMAKE_CUDA_ARCHITECTURES="$ARCH"
step build cmake --build "$BUILD" -j"$JOBS" --target tca_cuda cuda_test_kernels cuda_test_f_decode_host \
    cuda_bench_zipgemm tca_subject_cuda tca-conform tca_subject_refimpl || { echo "build failed" | tee -a "$SUMMARY"; exit 1; }

# Resource usage and SASS statistics of the built kernels (for docs/kernel-notes.md): registers,
# stack, and per kernel an opcode histogram (HMMA, PRMT, LOP3, LDS/LDS.128, local memory).
sass_stats() {
    local objdir="$BUILD/cuda/CMakeFiles/tca_cuda.dir/src"
    for o in "$objdir"/zipgemm_f.cu.o "$objdir"/decompress_f.cu.o "$objdir"/zipgemm.cu.o; do
        echo "### $o"
        cuobjdump --dump-resource-usage "$o" | grep -E 'Function|REG|STACK'
        cuobjdump --dump-sass "$o" > "$OUT/$(basename "$o").sass" || return 1
        awk '/Function :/ { if (fn) report(); fn = $3; delete c; n = 0; next }
             /^ +\/\*[0-9a-f]+\*\// { op = $2; if (op ~ /^@/) op = $3; sub(/;$/, "", op); c[op]++; n++ }
             function report() { printf "%s: %d instructions;", fn, n;
                 for (k in c) if (k ~ /^(HMMA|PRMT|LOP3|LDS|STS|LDL|STL|SHF|IMAD|POPC|SHFL|VOTE|LDG|SYNCS|UBLKCP)/) printf " %s=%d", k, c[k];
                 printf "\n" }
             END { if (fn) report() }' "$OUT/$(basename "$o").sass"
    done
}
step sass sass_stats
fi

if want test; then
    step test_f_decode_host "$BUILD/cuda/cuda_test_f_decode_host"
    if [ "${FULL:-0}" = 1 ]; then
        step test_kernels env TCA_CHECK_EXPENSIVE=1 "$BUILD/cuda/cuda_test_kernels"
    else
        step test_kernels "$BUILD/cuda/cuda_test_kernels"
    fi
fi

# Optional (STEPS=cpasync): the sm_80 cp.async staging path of both layouts, run on Hopper.
if want cpasync; then
    step cpasync_build bash -c "cmake -B '$BUILD-cpasync' -DCMAKE_BUILD_TYPE=Release -DTCA_WITH_CUDA=ON \
        -DTCA_CUDA_FORCE_CP_ASYNC=ON -DCMAKE_CUDA_ARCHITECTURES='$ARCH' && \
        cmake --build '$BUILD-cpasync' -j$JOBS --target cuda_test_kernels"
    step cpasync_test env TCA_CUDA_TEST_SMALL=1 "$BUILD-cpasync/cuda/cuda_test_kernels"
fi

if want sanitize; then
SAN=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
step memcheck env TCA_CUDA_TEST_SMALL=1 "$SAN" --tool memcheck --error-exitcode 3 "$BUILD/cuda/cuda_test_kernels"
step racecheck env TCA_CUDA_TEST_SMALL=1 "$SAN" --tool racecheck --error-exitcode 3 "$BUILD/cuda/cuda_test_kernels"
step synccheck env TCA_CUDA_TEST_SMALL=1 "$SAN" --tool synccheck --error-exitcode 3 "$BUILD/cuda/cuda_test_kernels"
fi

if want conform; then
CONF="$BUILD/conformance/tca-conform"
SUBJ="$BUILD/cuda/libtca_subject_cuda.so"
step conform_quick "$CONF" "$SUBJ" --vectors vectors --level quick --junit "$OUT/conform_quick.xml"
step conform_full "$CONF" "$SUBJ" --vectors vectors --level full --junit "$OUT/conform_full.xml"
step conform_quick_as_f env TCA_CUDA_SUBJECT_AS_F=1 "$CONF" "$SUBJ" --vectors vectors --level quick \
    --junit "$OUT/conform_quick_as_f.xml"
step conform_full_as_f env TCA_CUDA_SUBJECT_AS_F=1 "$CONF" "$SUBJ" --vectors vectors --level full \
    --junit "$OUT/conform_full_as_f.xml"
fi

if want bench && [ "${SKIP_BENCH:-0}" != 1 ]; then
    step bench "$BUILD/cuda/cuda_bench_zipgemm" "$REPS" "${BENCH_FILTER:-}"
    grep -A 12 "## Summary" "$OUT/bench.log" | tee -a "$SUMMARY"
fi

echo "overall: $([ $failed -eq 0 ] && echo PASS || echo FAIL)" | tee -a "$SUMMARY"
exit $failed
