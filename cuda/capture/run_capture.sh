#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One-shot capture on a Hopper machine: records the GPU, checks the SASS for HMMA/HGMMA, runs
# tca_capture (all instructions x all families, compared with the sm90 emulator) and packs the
# .tv files. Usage: cuda/capture/run_capture.sh BUILD_DIR OUT_DIR [TILES_PER_FILE]
# BUILD_DIR holds a tca_capture built by the Makefile (rebuilt there if it cannot run).
set -uo pipefail
B=${1:?build dir}
OUTDIR=${2:?output dir}
N=${3:-8192}
mkdir -p "$OUTDIR"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$OUTDIR/gpu.txt"
DRV=$(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -1)
if ! "$B/tca_capture" --dry-run --out /tmp/tca_capture_probe --check 4 --keep 0 >/dev/null 2>&1; then
    echo "prebuilt tca_capture does not run here; rebuilding"
    make -C "$(dirname "$0")" BUILD=/tmp/tca_capture_build -j16 >/dev/null || exit 2
    B=/tmp/tca_capture_build
fi
cuobjdump --dump-sass "$B/tca_capture" | grep -oE '(HMMA|HGMMA)[.A-Z0-9]*' | sort | uniq -c | tee "$OUTDIR/sass.txt"
rm -rf /tmp/tca_capture_out
"$B/tca_capture" --out /tmp/tca_capture_out --check "$N" --keep 32 --driver "$DRV" 2>&1 | tee "$OUTDIR/capture.log"
rc=$?
tar czf "$OUTDIR/capture.tar.gz" -C /tmp tca_capture_out
echo "tca_capture exit status $rc"
exit $rc
