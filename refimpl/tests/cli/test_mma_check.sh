# SPDX-License-Identifier: Apache-2.0
# tca mma-check on the committed hardware-captured sm_90 vectors: every record matches the
# emulator (the count is taken from the files, not hard-coded); a one-bit change in one D element
# is reported with its record id and exits 1; the wrong profile fails; usage and parse errors
# exit 2 (spec/tca-test-vectors.md 4; tca-mma-semantics 3).
source "$(dirname "$0")/lib.sh" "$@"
hw="${TCA_SOURCE_DIR:?}/vectors/v1/mma/sm90-hw"
files=("$hw"/*.tv)
[ "${#files[@]}" -gt 0 ] || fail "no hardware vectors in $hw"
records=$(cat "${files[@]}" | grep -c '^id = ')

expect_rc 0 "$TCA" mma-check --quiet "${files[@]}"
grep -qx "$records passed, 0 failed" "$W/stdout" || fail "expected '$records passed, 0 failed', got: $(tail -1 "$W/stdout")"

# the Ampere profile must not pass Hopper hardware results
expect_rc 1 "$TCA" mma-check --quiet --profile sm80 "${files[@]}"

# flip the lowest bit of the first D element of record 5 in a copy of one f32 file
f=$(ls "$hw"/mma-m16n8k16-f32-bf16-normal.tv)
python3 - "$f" "$W/bad.tv" <<'PY'
import sys
src, dst = sys.argv[1], sys.argv[2]
out, rec = [], None
for line in open(src):
    if line.startswith('id = '):
        rec = line.split('=')[1].strip()
    if rec == '5' and line.startswith('D = '):
        vals = line[4:].split()
        vals[0] = '%08x' % (int(vals[0], 16) ^ 1)
        line = 'D = ' + ' '.join(vals) + '\n'
    out.append(line)
open(dst, 'w').write(''.join(out))
PY
expect_rc 1 "$TCA" mma-check "$W/bad.tv"
total=$(grep -c '^id = ' "$W/bad.tv")
grep -qx "$((total - 1)) passed, 1 failed" "$W/stdout" || fail "expected one failed record: $(tail -1 "$W/stdout")"
grep -q "5" "$W/stdout" || fail "mismatch report does not name record 5"

# usage and parse errors
expect_rc 2 "$TCA" mma-check
expect_rc 2 "$TCA" mma-check "$W/missing.tv"
printf '# tca-tv 1\nop = mma.m16n8k16.row.col.f32.bf16.bf16.f32\narch = sm90\n\nid = 1\nA = zz\n' > "$W/junk.tv"
expect_rc 2 "$TCA" mma-check "$W/junk.tv"
echo "mma-check: $records records verified"
