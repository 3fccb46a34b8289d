# SPDX-License-Identifier: Apache-2.0
# tca gemm: small-integer inputs make every partial sum exact, so Y is known independently of the
# arithmetic model (python computes it with integers). The compressed and the plain W give the
# same Y; --fp32 gives the exact sums as binary32; split-K changes nothing on exact inputs; a
# corrupted compressed W exits 1 with no output file; a bad split-K factor exits 2
# (spec/tca-mma-semantics.md 6).
source "$(dirname "$0")/lib.sh" "$@"

python3 - "$W" <<'PY'
import json, random, struct, sys
d = sys.argv[1]
rnd = random.Random(20261128)
M, K, N = 70, 150, 5          # ragged: M, K not multiples of 64
def bf16(v):                  # small integers are exact in BF16: take the top half of the float
    return struct.unpack('<I', struct.pack('<f', float(v)))[0] >> 16
W = [[rnd.randint(-8, 8) for _ in range(K)] for _ in range(M)]
X = [[rnd.randint(-8, 8) for _ in range(K)] for _ in range(N)]
def write(path, tensors):
    header, blobs, off = {}, [], 0
    for name, rows in tensors:
        blob = b''.join(struct.pack('<H', bf16(v)) for r in rows for v in r)
        header[name] = {'dtype': 'BF16', 'shape': [len(rows), len(rows[0])], 'data_offsets': [off, off + len(blob)]}
        blobs.append(blob); off += len(blob)
    h = json.dumps(header).encode()
    open(path, 'wb').write(struct.pack('<Q', len(h)) + h + b''.join(blobs))
write(d + '/w.safetensors', [('weight', W)])
write(d + '/x.safetensors', [('x', X)])
Y = [[sum(W[m][k] * X[n][k] for k in range(K)) for m in range(M)] for n in range(N)]
json.dump(Y, open(d + '/expected.json', 'w'))
PY

# Prints the values of tensor y of a safetensors file (BF16 or F32) as integers, checking they are
# integral; exits non-zero if they differ from expected.json.
check_y() {
    python3 - "$1" "$W/expected.json" <<'PY'
import json, struct, sys
data = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', data[:8])[0]
h = json.loads(data[8:8 + n]); t = h['y']; a, b = t['data_offsets']; raw = data[8 + n + a: 8 + n + b]
if t['dtype'] == 'BF16':
    vals = [struct.unpack('<f', struct.pack('<I', v << 16))[0] for v in struct.unpack('<%dH' % (len(raw) // 2), raw)]
else:
    vals = list(struct.unpack('<%df' % (len(raw) // 4), raw))
exp = json.load(open(sys.argv[2]))
N, M = len(exp), len(exp[0])
assert t['shape'] == [N, M], t['shape']
for i, v in enumerate(vals):
    e = exp[i // M][i % M]
    # BF16 output: exact integers up to 256 in magnitude, else the BF16 rounding of e
    want = e if t['dtype'] != 'BF16' else struct.unpack('<f', struct.pack('<I', ((struct.unpack('<I', struct.pack('<f', float(e)))[0] + 0x7FFF + ((struct.unpack('<I', struct.pack('<f', float(e)))[0] >> 16) & 1)) >> 16) << 16))[0]
    if v != want:
        sys.exit('y[%d][%d] = %r, expected %r' % (i // M, i % M, v, want))
PY
}

expect_rc 0 "$TCA" gemm "$W/w.safetensors" "$W/x.safetensors" "$W/y_plain.safetensors"
check_y "$W/y_plain.safetensors" || fail "plain W: wrong Y"
expect_rc 0 "$TCA" gemm "$W/w.safetensors" "$W/x.safetensors" "$W/y32.safetensors" --fp32 --split-k 3 --profile sm80
check_y "$W/y32.safetensors" || fail "--fp32 --split-k 3: wrong Y"

expect_rc 0 "$TCA" compress "$W/w.safetensors" "$W/w.tca.safetensors" --force
expect_rc 0 "$TCA" gemm "$W/w.tca.safetensors" "$W/x.safetensors" "$W/y_comp.safetensors" --split-k 2
check_y "$W/y_comp.safetensors" || fail "compressed W: wrong Y"

# the same weight in layout F (spec 8) gives the same Y, bit for bit
expect_rc 0 "$TCA" compress "$W/w.safetensors" "$W/w.f.safetensors" --force --layout f
expect_rc 0 "$TCA" gemm "$W/w.f.safetensors" "$W/x.safetensors" "$W/y_f.safetensors" --split-k 2
check_y "$W/y_f.safetensors" || fail "layout F W: wrong Y"
cmp -s "$W/y_comp.safetensors" "$W/y_f.safetensors" || fail "layout F and v1 weights give different files"

# corrupt one byte of the compressed sign-mantissa array: CRC mismatch, exit 1, no output
off=$(tensor_offset "$W/w.tca.safetensors" weight.tca.sign_mantissa)
flip "$W/w.tca.safetensors" "$off" 0
expect_rc 1 "$TCA" gemm "$W/w.tca.safetensors" "$W/x.safetensors" "$W/y_bad.safetensors"
[ ! -e "$W/y_bad.safetensors" ] || fail "output written despite corrupt input"
ls "$W" | grep -q tmp && fail "temporary file left behind"

# usage: split-K beyond ceil(K/64) = 3, unknown profile
expect_rc 2 "$TCA" gemm "$W/w.safetensors" "$W/x.safetensors" "$W/y.safetensors" --split-k 4
expect_rc 2 "$TCA" gemm "$W/w.safetensors" "$W/x.safetensors" "$W/y.safetensors" --profile sm99
exit 0
