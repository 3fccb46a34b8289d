# SPDX-License-Identifier: Apache-2.0
# Shared helpers of the CLI tests (sourced; not a test itself). Usage in a test:
#   source "$(dirname "$0")/lib.sh" "$@"
# gives $TCA (the binary under test), $W (a fresh work directory removed at exit), and:
#   expect_rc N CMD...   run CMD, fail unless its exit code is N (stderr kept in $W/stderr)
#   fail MSG             print MSG and exit 1
#   flip FILE OFFSET BIT flip one bit of FILE in place
#   tensor_offset FILE NAME  absolute file offset of tensor NAME's first data byte
set -u
TCA=${1:?usage: bash test_x.sh /path/to/tca}
[ -x "$TCA" ] || { echo "not executable: $TCA"; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/tca-cli-test.XXXXXX")
# only the test's own shell cleans up (a forked child killed before exec must not)
MAIN_PID=$BASHPID
trap '[ "$BASHPID" = "$MAIN_PID" ] && rm -rf "$W"' EXIT
export TCA_NO_PROGRESS=1

fail() { echo "FAIL: $*" >&2; exit 1; }

expect_rc() {
    local want=$1; shift
    "$@" > "$W/stdout" 2> "$W/stderr"
    local got=$?
    if [ "$got" != "$want" ]; then
        echo "--- stdout"; cat "$W/stdout"; echo "--- stderr"; cat "$W/stderr"
        fail "'$*' exited $got, expected $want"
    fi
}

flip() {
    python3 - "$1" "$2" "$3" <<'PY'
import sys
path, off, bit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, 'r+b') as f:
    f.seek(off); b = f.read(1)[0]; f.seek(off); f.write(bytes([b ^ (1 << bit)]))
PY
}

tensor_offset() {
    python3 - "$1" "$2" <<'PY'
import json, struct, sys
data = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', data[:8])[0]
h = json.loads(data[8:8 + n])
print(8 + n + h[sys.argv[2]]['data_offsets'][0])
PY
}
