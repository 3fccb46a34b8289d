#!/usr/bin/env bash
# Runs every test of the project, the way CI does (README's second command):
#   1. the main build, warnings as errors, CUDA compiled when nvcc exists (GPU tests skip
#      without a GPU), full test tier (TCA_CHECK_EXPENSIVE=1);
#   2. an AddressSanitizer + UndefinedBehaviorSanitizer build, quick tier;
#   3. the fuzz targets built with clang/libFuzzer: corpora and past crashes replayed, then each
#      target run for a short fixed time.
# Prints one closing line "N passed, M failed, K skipped" summed over all phases; exits non-zero
# if any phase failed.
set -u
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)
export PATH="/usr/local/cuda/bin:$PATH"
export TCA_SOURCE_DIR="$root"

passed=0 failed=0 skipped=0 status=0

# Adds the counts of one ctest log to the totals.
count_ctest() {
  local log=$1
  local p f s
  p=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed +[0-9.]+ sec' "$log" || true)
  f=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .*(\*\*\*Failed|\*\*\*Timeout|\*\*\*Exception|Not Run)' "$log" || true)
  s=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .*\*\*\*Skipped' "$log" || true)
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
}

phase() { echo; echo "=== $* ==="; }

phase "1/3 main build (Werror, full tier)"
cmake -S . -B build-ci -DTCA_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo || exit 2
cmake --build build-ci -j"$jobs" || exit 2
(cd build-ci && TCA_CHECK_EXPENSIVE=1 ctest --output-on-failure -j"$jobs" 2>&1) | tee build-ci/ctest.log
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
count_ctest build-ci/ctest.log

phase "2/3 ASan + UBSan build (quick tier)"
cmake -S . -B build-asan -DTCA_SANITIZE=ON -DTCA_WITH_CUDA=OFF -DTCA_WERROR=ON -DCMAKE_BUILD_TYPE=Debug || exit 2
cmake --build build-asan -j"$jobs" || exit 2
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j"$jobs" -LE 'full|cuda|fuzz-regression' 2>&1) | tee build-asan/ctest.log
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
count_ctest build-asan/ctest.log

if [ -f fuzz/CMakeLists.txt ] && command -v clang >/dev/null; then
  phase "3/3 fuzz targets (clang, libFuzzer + ASan/UBSan): regressions and short runs"
  CC=clang cmake -S . -B build-fuzz -DTCA_FUZZ=ON -DTCA_WITH_CUDA=OFF -DTCA_WITH_MPFR=ON -DTCA_BUILD_TESTS=ON || exit 2
  cmake --build build-fuzz -j"$jobs" || exit 2
  (cd build-fuzz && ctest --output-on-failure -j"$jobs" -L fuzz 2>&1) | tee build-fuzz/ctest.log
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  count_ctest build-fuzz/ctest.log
else
  phase "3/3 fuzz targets: skipped (no fuzz/ or no clang)"
fi

echo
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
