/* SPDX-License-Identifier: Apache-2.0 */
/* Emulator vs GNU MPFR oracle (spec/tca-mma-semantics.md 3, 4): bytes -> a named profile, an
 * instruction (m16n8k16 and m16n8k8; bf16/f16 inputs; f32/f16 accumulators) and the A, B, C
 * tiles; tca_mma_tile and tca_oracle_tile must give bit-identical D (TestFloat's testsoftfloat vs
 * slowfloat pattern). Two ways to read the payload:
 *   raw     every operand's bits straight from the payload (repeating);
 *   corner  two payload bytes per operand choose a class and its free bits: zeros, huge values
 *           (near overflow of the products and of the sum), subnormals and the smallest normals,
 *           values near 1, factors whose products land near the profile's FLOOR, Inf/NaN, and
 *           the previous operand with its sign flipped (cancellation); C may also be the exact
 *           negation of the row's first product (cancellation against c).
 * Parameters come from the input's tail: profile, op, mode. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_util.h"
#include "tca/tca.h"
#include "tca_oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const tca_mma_op ops[] = {
    {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32}, {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F32},
    {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F16},  {TCA_MMA_M16N8K8, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32},
    {TCA_MMA_M16N8K8, TCA_MMA_IN_F16, TCA_MMA_ACC_F32},   {TCA_MMA_M16N8K8, TCA_MMA_IN_F16, TCA_MMA_ACC_F16},
};

typedef struct format {
    int exp_bits, frac_bits, bias;
} format;
static const format BF16 = {8, 7, 127}, F16 = {5, 10, 15}, F32 = {8, 23, 127};

typedef struct reader {
    const uint8_t *p;
    size_t n, pos;
} reader;

static uint8_t next(reader *r)
{
    if (r->n == 0) return 0;
    uint8_t b = r->p[r->pos % r->n];
    r->pos++;
    return b;
}

static uint32_t pack(const format *f, uint32_t sign, int biased_exp, uint32_t frac)
{
    uint32_t emax = (1u << f->exp_bits) - 1;
    if (biased_exp < 0) biased_exp = 0;
    if ((uint32_t)biased_exp > emax) biased_exp = (int)emax;
    return sign << (f->exp_bits + f->frac_bits) | (uint32_t)biased_exp << f->frac_bits |
           (frac & ((1u << f->frac_bits) - 1));
}

/* One operand of a corner class. floor_exp: the accumulator's FLOOR; half it for factors. */
static uint32_t corner(reader *r, const format *f, int floor_exp, uint32_t prev, int is_factor)
{
    uint8_t b0 = next(r), b1 = next(r), b2 = next(r);
    uint32_t sign = b0 >> 7, off = (b0 >> 3) & 7;
    uint32_t frac = (uint32_t)b1 | (uint32_t)b2 << 8;
    int emax_finite = (1 << f->exp_bits) - 2;
    int target = is_factor ? floor_exp / 2 : floor_exp;
    switch (b0 & 7) {
    case 0: return pack(f, sign, 0, 0);                                       /* +-0 */
    case 1: return pack(f, sign, emax_finite - (int)(off & 3), frac);         /* huge */
    case 2: return pack(f, sign, 0, frac ? frac : 1);                         /* subnormal */
    case 3: return pack(f, sign, 1 + (int)(off & 3), frac);                   /* smallest normals */
    case 4: return pack(f, sign, f->bias - 4 + (int)off, frac);               /* near 1 */
    case 5: return pack(f, sign, f->bias + target - 4 + (int)off, frac);      /* near FLOOR */
    case 6: return pack(f, sign, emax_finite + 1, (b1 & 1) ? frac : 0);       /* Inf or NaN */
    default:                                                                  /* cancellation */
        return prev ^ (1u << (f->exp_bits + f->frac_bits));
    }
}

/* Exact value of a bf16/f16 pattern (both fit a double exactly). */
static double value(const format *f, uint32_t bits)
{
    uint32_t e = (bits >> f->frac_bits) & ((1u << f->exp_bits) - 1), m = bits & ((1u << f->frac_bits) - 1);
    double v = e ? ldexp((double)(m | 1u << f->frac_bits), (int)e - f->bias - f->frac_bits)
                 : ldexp((double)m, 1 - f->bias - f->frac_bits);
    return (bits >> (f->exp_bits + f->frac_bits)) & 1 ? -v : v;
}

static uint32_t f32_bits(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_producer p;
    fuzz_producer_init(&p, data, size);
    int profile_index = (int)fuzz_take_range(&p, 0, (uint32_t)tca_mma_profile_count() - 1);
    tca_mma_op op = ops[fuzz_take_range(&p, 0, sizeof ops / sizeof ops[0] - 1)];
    int corner_mode = (int)fuzz_take_range(&p, 0, 1);
    size_t plen;
    const uint8_t *payload = fuzz_payload(&p, &plen);
    reader r = {payload, plen, 0};

    const tca_mma_profile *prof = tca_mma_profile_at(profile_index);
    FUZZ_ASSERT(prof);
    int k = op.shape == TCA_MMA_M16N8K8 ? 8 : 16;
    const format *in = op.in == TCA_MMA_IN_BF16 ? &BF16 : &F16;
    int acc16 = op.acc == TCA_MMA_ACC_F16;
    const format *acc = acc16 ? &F16 : &F32;
    int floor_exp = acc16 ? prof->floor_f16 : prof->floor_f32;

    uint16_t A[16 * 16], B[16 * 8];
    uint32_t C[16 * 8], D[16 * 8], E[16 * 8];
    uint32_t prev = 0;
    for (int i = 0; i < 16 * k; i++) {
        A[i] = corner_mode ? (uint16_t)corner(&r, in, floor_exp, prev, 1) : (uint16_t)(next(&r) | next(&r) << 8);
        prev = A[i];
    }
    for (int i = 0; i < k * 8; i++) {
        B[i] = corner_mode ? (uint16_t)corner(&r, in, floor_exp, prev, 1) : (uint16_t)(next(&r) | next(&r) << 8);
        prev = B[i];
    }
    for (int i = 0; i < 128; i++) {
        if (!corner_mode) {
            uint32_t c = (uint32_t)next(&r) | (uint32_t)next(&r) << 8 | (uint32_t)next(&r) << 16 |
                         (uint32_t)next(&r) << 24;
            C[i] = c; /* with f16 accumulators the upper half must be ignored by both */
            continue;
        }
        uint8_t sel = next(&r);
        int m = i / 8, n = i % 8;
        double prod = value(in, A[m * k]) * value(in, B[n]);
        if (!acc16 && sel % 5 == 0 && isfinite(prod)) /* c = -(a[m][0] * b[0][n]), exact in binary32 */
            C[i] = f32_bits((float)-prod);
        else
            C[i] = corner(&r, acc, floor_exp, prev, 0);
        prev = C[i];
    }

    tca_status s1 = tca_mma_tile(prof, op, A, B, C, D);
    tca_status s2 = tca_oracle_tile(prof, op, A, B, C, E);
    FUZZ_ASSERT_MSG(s1 == TCA_OK && s2 == TCA_OK, "emulator %s, oracle %s", tca_status_name(s1), tca_status_name(s2));
    for (int i = 0; i < 128; i++) {
        if (D[i] == E[i]) continue;
        int m = i / 8, n = i % 8;
        fprintf(stderr, "profile %s op k%d %s/%s, D[%d][%d]: emulator %08x, oracle %08x; c = %08x\n", prof->name, k,
                op.in == TCA_MMA_IN_BF16 ? "bf16" : "f16", acc16 ? "f16" : "f32", m, n, (unsigned)D[i],
                (unsigned)E[i], (unsigned)C[i]);
        for (int j = 0; j < k; j++) fprintf(stderr, "  a[%d] = %04x  b[%d] = %04x\n", j, A[m * k + j], j, B[j * 8 + n]);
        FUZZ_ASSERT(D[i] == E[i]);
    }
    return 0;
}
