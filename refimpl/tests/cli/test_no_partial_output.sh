# SPDX-License-Identifier: Apache-2.0
# A failed command leaves neither its output nor a temporary file, and an existing output file
# is untouched; a successful one leaves exactly its output (spec/tca-safetensors.md 6).
source "$(dirname "$0")/lib.sh" "$@"

expect_rc 0 "$TCA" run --out "$W/r"
c=$W/r/sample.tca.safetensors
mkdir "$W/out"

# corrupt input: the CRC failure happens after the output was opened and partly written
cp "$c" "$W/bad.safetensors"
off=$(tensor_offset "$W/bad.safetensors" "lm_head.weight.tca.full")
flip "$W/bad.safetensors" "$off" 0
expect_rc 1 "$TCA" decompress "$W/bad.safetensors" "$W/out/x.safetensors"
[ -z "$(ls -A "$W/out")" ] || fail "left behind: $(ls -A "$W/out")"

# an existing output keeps its contents when the command fails
echo old > "$W/out/keep.safetensors"
expect_rc 1 "$TCA" decompress "$W/bad.safetensors" "$W/out/keep.safetensors"
[ "$(cat "$W/out/keep.safetensors")" = old ] || fail "existing output was modified"
[ "$(ls -A "$W/out")" = keep.safetensors ] || fail "left behind: $(ls -A "$W/out")"
rm "$W/out/keep.safetensors"

# compress of a corrupt input
head -c 5000 "$W/r/sample.safetensors" > "$W/trunc.safetensors"
expect_rc 1 "$TCA" compress "$W/trunc.safetensors" "$W/out/y.safetensors"
[ -z "$(ls -A "$W/out")" ] || fail "left behind: $(ls -A "$W/out")"

# killed while writing: decompress opens its temporary output first and then decodes tensor by
# tensor, so the temporary file exists for a while; SIGTERM then must remove it
caught=0
for attempt in 1 2 3 4 5 6 7 8 9 10; do
    "$TCA" decompress "$c" "$W/out/z.safetensors" > /dev/null 2>&1 &
    pid=$!
    for i in $(seq 1 2000); do
        if compgen -G "$W/out/.z.safetensors.tca-tmp.*" > /dev/null; then
            kill -TERM $pid 2> /dev/null && caught=1
            break
        fi
        kill -0 $pid 2> /dev/null || break
    done
    wait $pid 2> /dev/null
    rc=$?
    if [ $caught = 1 ]; then
        [ $rc = 143 ] || fail "expected death by SIGTERM (143), got $rc"
        [ -z "$(ls -A "$W/out")" ] || fail "left behind after SIGTERM: $(ls -A "$W/out")"
        break
    fi
    rm -f "$W/out/z.safetensors"
done
[ $caught = 1 ] || echo "note: the SIGTERM case was not exercised (the command was too quick)"

# success leaves exactly the output
expect_rc 0 "$TCA" decompress "$c" "$W/out/ok.safetensors"
[ "$(ls -A "$W/out")" = ok.safetensors ] || fail "unexpected files: $(ls -A "$W/out")"
echo PASS
