/* SPDX-License-Identifier: Apache-2.0 */
/* The MMA input families (spec/tca-mma-families.md): determinism, independent re-derivation of
 * several families straight from the spec text, the property each family promises, argument
 * checking, and the binary16 rounding helper against hand-derived values. */
#include <string.h>
#include "tca/families.h"
#include "tca/tca.h"
#include "test_util.h"

static const tca_mma_op OPS[] = {
    {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32},
    {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F32},
    {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F16},
    {TCA_MMA_M16N8K8, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32},
    {TCA_MMA_M16N8K8, TCA_MMA_IN_F16, TCA_MMA_ACC_F32},
};
#define NOPS ((int)(sizeof OPS / sizeof OPS[0]))

typedef struct tile {
    uint16_t A[256], B[128];
    uint32_t C[128];
} tile;

static void fill(tca_family f, tca_mma_op op, tca_prng *r, tile *t)
{
    memset(t, 0xAB, sizeof *t);
    tca_ck_assert_status(tca_family_fill(f, op, r, t->A, t->B, t->C), TCA_OK);
}

/* Unbiased exponent of a normal input pattern (bf16 or f16), and "is normal". */
static int in_exp(uint16_t x, int f16) { return f16 ? (int)((x >> 10) & 0x1F) - 15 : (int)((x >> 7) & 0xFF) - 127; }
static int in_is_normal(uint16_t x, int f16)
{
    unsigned e = f16 ? (x >> 10) & 0x1Fu : (x >> 7) & 0xFFu;
    return e != 0 && e != (f16 ? 0x1Fu : 0xFFu);
}
static int in_is_zero(uint16_t x) { return (x & 0x7FFFu) == 0; }

START_TEST(test_families_names)
{
    for (int f = 0; f < TCA_FAMILY_COUNT; f++) {
        const char *n = tca_family_name((tca_family)f);
        ck_assert_int_eq(tca_family_by_name(n), f);
    }
    /* the names of the numerics reference section 9 / spec 3 */
    ck_assert_str_eq(tca_family_name(TCA_FAMILY_NORMAL), "normal");
    ck_assert_str_eq(tca_family_name(TCA_FAMILY_FLOORSWEEP), "floorsweep");
    ck_assert_str_eq(tca_family_name(TCA_FAMILY_AMPERESPLIT), "amperesplit");
    ck_assert_str_eq(tca_family_name((tca_family)TCA_FAMILY_COUNT), "unknown");
    ck_assert_str_eq(tca_family_name(TCA_FAMILY_UNKNOWN), "unknown");
    ck_assert_int_eq(tca_family_by_name("Normal"), TCA_FAMILY_UNKNOWN);
    ck_assert_int_eq(tca_family_by_name(NULL), TCA_FAMILY_UNKNOWN);
}
END_TEST

START_TEST(test_families_bad_arguments)
{
    tile t;
    tca_prng r;
    tca_prng_seed(&r, 5);
    tca_mma_op bf16_f16acc = {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F16};
    tca_mma_op bad_shape = {(tca_mma_shape)7, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32};
    tca_ck_assert_status(tca_family_fill(TCA_FAMILY_NORMAL, bf16_f16acc, &r, t.A, t.B, t.C), TCA_ERROR_PARAM_INVALID);
    tca_ck_assert_status(tca_family_fill(TCA_FAMILY_NORMAL, bad_shape, &r, t.A, t.B, t.C), TCA_ERROR_PARAM_INVALID);
    tca_ck_assert_status(tca_family_fill((tca_family)TCA_FAMILY_COUNT, OPS[0], &r, t.A, t.B, t.C),
                         TCA_ERROR_PARAM_INVALID);
    tca_ck_assert_status(tca_family_fill(TCA_FAMILY_NORMAL, OPS[0], NULL, t.A, t.B, t.C), TCA_ERROR_PARAM_NULL);
    tca_ck_assert_status(tca_family_fill(TCA_FAMILY_NORMAL, OPS[0], &r, t.A, NULL, t.C), TCA_ERROR_PARAM_NULL);
    ck_assert_uint_eq(r.state, 5); /* failed calls draw nothing */
}
END_TEST

START_TEST(test_families_deterministic)
{
    uint64_t seed = tca_test_seed();
    for (int o = 0; o < NOPS; o++)
        for (int f = 0; f < TCA_FAMILY_COUNT; f++) {
            tca_prng r1, r2, r3;
            tca_prng_seed(&r1, seed);
            tca_prng_seed(&r2, seed);
            tca_prng_seed(&r3, seed ^ 0x5555);
            tile t1, t2, t3;
            for (int rep = 0; rep < 3; rep++) {
                fill((tca_family)f, OPS[o], &r1, &t1);
                fill((tca_family)f, OPS[o], &r2, &t2);
                fill((tca_family)f, OPS[o], &r3, &t3);
                int K = tca_family_op_k(OPS[o]);
                ck_assert_msg(memcmp(t1.A, t2.A, 32 * K) == 0 && memcmp(t1.B, t2.B, 16 * K) == 0 &&
                                  memcmp(t1.C, t2.C, sizeof t1.C) == 0,
                              "family %s op %d: same seed, different bits", tca_family_name((tca_family)f), o);
                ck_assert_uint_eq(r1.state, r2.state);
                /* another seed gives another tile (every family draws random bits) */
                ck_assert_msg(memcmp(t1.A, t3.A, 32 * K) != 0 || memcmp(t1.B, t3.B, 16 * K) != 0 ||
                                  memcmp(t1.C, t3.C, sizeof t1.C) != 0,
                              "family %s op %d: seed ignored", tca_family_name((tca_family)f), o);
                if (OPS[o].acc == TCA_MMA_ACC_F16)
                    for (int i = 0; i < 128; i++) ck_assert_uint_eq(t1.C[i] >> 16, 0);
            }
        }
}
END_TEST

/* Independent re-derivations from the spec text (spec/tca-mma-families.md 2 and 3), using only
 * the SplitMix64 primitives and the common rounding helpers. */
static double spec_value(tca_prng *r, int fb, int lo, int hi)
{
    int e = lo + (int)(tca_prng_u64(r) % (uint64_t)(hi - lo + 1));
    int s = (int)(tca_prng_u64(r) % 2);
    uint64_t m = tca_prng_u64(r) % (1ull << fb);
    double v = (double)((1ull << fb) + m);
    for (int i = 0; i < (e - fb > 0 ? e - fb : fb - e); i++) v = e - fb > 0 ? v * 2.0 : v / 2.0;
    return s ? -v : v;
}
static uint16_t spec_zero(tca_prng *r) { return (tca_prng_u64(r) % 2) ? 0x8000 : 0x0000; }

START_TEST(test_families_match_spec_text)
{
    uint64_t seed = tca_test_seed();
    tca_mma_op op = OPS[0]; /* bf16 -> f32, K = 16 */
    for (int rep = 0; rep < 20; rep++) {
        tca_prng r, s;
        tile t;
        uint16_t A[256], B[128];
        uint32_t C[128];
        /* 3.1 normal */
        tca_prng_seed(&r, seed + rep), tca_prng_seed(&s, seed + rep);
        fill(TCA_FAMILY_NORMAL, op, &r, &t);
        for (int i = 0; i < 256; i++) A[i] = tca_bf16_from_double_rne(tca_prng_normal(&s));
        for (int i = 0; i < 128; i++) B[i] = tca_bf16_from_double_rne(tca_prng_normal(&s));
        for (int i = 0; i < 128; i++) C[i] = tca_f32_from_double_rne(tca_prng_normal(&s));
        ck_assert(memcmp(A, t.A, sizeof A) == 0 && memcmp(B, t.B, sizeof B) == 0 && memcmp(C, t.C, sizeof C) == 0);
        ck_assert_uint_eq(r.state, s.state);
        /* 3.3 randbits */
        fill(TCA_FAMILY_RANDBITS, op, &r, &t);
        for (int i = 0; i < 256; i++) A[i] = (uint16_t)(tca_prng_u64(&s) & 0xFFFF);
        for (int i = 0; i < 128; i++) B[i] = (uint16_t)(tca_prng_u64(&s) & 0xFFFF);
        for (int i = 0; i < 128; i++) C[i] = (uint32_t)(tca_prng_u64(&s) & 0xFFFFFFFFu);
        ck_assert(memcmp(A, t.A, sizeof A) == 0 && memcmp(B, t.B, sizeof B) == 0 && memcmp(C, t.C, sizeof C) == 0);
        /* 3.5 zeros */
        fill(TCA_FAMILY_ZEROS, op, &r, &t);
        int z[16];
        for (int k = 0; k < 16; k++) z[k] = (int)(tca_prng_u64(&s) % 2);
        for (int i = 0; i < 16; i++)
            for (int k = 0; k < 16; k++)
                A[i * 16 + k] = z[k] ? spec_zero(&s) : tca_bf16_from_double_rne(spec_value(&s, 7, -35, -30));
        for (int k = 0; k < 16; k++)
            for (int j = 0; j < 8; j++)
                B[k * 8 + j] = tca_bf16_from_double_rne(z[k] ? spec_value(&s, 7, 100, 127) : spec_value(&s, 7, -35, -30));
        for (int i = 0; i < 128; i++) {
            if (tca_prng_u64(&s) % 2 == 0) {
                C[i] = 0;
            } else {
                double x = tca_prng_normal(&s);
                for (int q = 0; q < 62; q++) x /= 2.0;
                C[i] = tca_f32_from_double_rne(x);
            }
        }
        ck_assert(memcmp(A, t.A, sizeof A) == 0 && memcmp(B, t.B, sizeof B) == 0 && memcmp(C, t.C, sizeof C) == 0);
        /* 3.7 cancel */
        fill(TCA_FAMILY_CANCEL, op, &r, &t);
        int k1 = (int)(tca_prng_u64(&s) % 16), k2 = (int)(tca_prng_u64(&s) % 15);
        if (k2 >= k1) k2++;
        for (int i = 0; i < 16; i++) {
            uint16_t x = tca_bf16_from_double_rne(tca_prng_normal(&s));
            for (int k = 0; k < 16; k++) A[i * 16 + k] = (k == k1 || k == k2) ? x : spec_zero(&s);
        }
        uint16_t y[8];
        for (int j = 0; j < 8; j++) y[j] = tca_bf16_from_double_rne(tca_prng_normal(&s));
        for (int k = 0; k < 16; k++)
            for (int j = 0; j < 8; j++)
                B[k * 8 + j] = k == k1 ? y[j] : k == k2 ? (uint16_t)(y[j] ^ 0x8000) : spec_zero(&s);
        for (int i = 0; i < 128; i++) C[i] = (tca_prng_u64(&s) % 2) ? 0x80000000u : 0;
        ck_assert(memcmp(A, t.A, sizeof A) == 0 && memcmp(B, t.B, sizeof B) == 0 && memcmp(C, t.C, sizeof C) == 0);
        ck_assert_uint_eq(r.state, s.state);
    }
}
END_TEST

/* More re-derivations from the spec text, for the f16 variants and the tile-level draws. */
static uint16_t spec_f16_value(tca_prng *r, int lo, int hi) { return tca_f16_from_double_rne(spec_value(r, 10, lo, hi)); }
static double spec_pow2(int e)
{
    double v = 1.0;
    for (int i = 0; i < (e > 0 ? e : -e); i++) v = e > 0 ? v * 2.0 : v / 2.0;
    return v;
}

START_TEST(test_families_match_spec_text_more)
{
    uint64_t seed = tca_test_seed();
    tca_mma_op f16acc = {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F16};
    tca_mma_op bf16k8 = {TCA_MMA_M16N8K8, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32};
    for (int rep = 0; rep < 20; rep++) {
        tca_prng r, s;
        tile t;
        uint16_t A[256], B[128];
        uint32_t C[128];
        tca_prng_seed(&r, seed * 3 + rep), tca_prng_seed(&s, seed * 3 + rep);
        /* 3.2 widerange, f16 inputs and accumulator */
        fill(TCA_FAMILY_WIDERANGE, f16acc, &r, &t);
        for (int i = 0; i < 256; i++) A[i] = spec_f16_value(&s, -7, 7);
        for (int i = 0; i < 128; i++) B[i] = spec_f16_value(&s, -7, 7);
        for (int i = 0; i < 128; i++) {
            double x = tca_prng_normal(&s);
            int u = -12 + (int)(tca_prng_u64(&s) % 24);
            C[i] = tca_f16_from_double_rne(x * spec_pow2(u));
        }
        ck_assert(memcmp(A, t.A, sizeof A) == 0 && memcmp(B, t.B, sizeof B) == 0 && memcmp(C, t.C, sizeof C) == 0);
        /* 3.8 overflow, f16 inputs and accumulator */
        fill(TCA_FAMILY_OVERFLOW, f16acc, &r, &t);
        for (int i = 0; i < 256; i++) A[i] = spec_f16_value(&s, 6, 8);
        for (int i = 0; i < 128; i++) B[i] = spec_f16_value(&s, 6, 8);
        for (int i = 0; i < 128; i++) C[i] = spec_f16_value(&s, 15, 15);
        ck_assert(memcmp(A, t.A, sizeof A) == 0 && memcmp(B, t.B, sizeof B) == 0 && memcmp(C, t.C, sizeof C) == 0);
        /* 3.9 floorsweep, bf16 k8 (tile-level focus, row and column bases) */
        fill(TCA_FAMILY_FLOORSWEEP, bf16k8, &r, &t);
        int focus = (int)(tca_prng_u64(&s) % 2), lo = focus ? -80 : -99, hi = focus ? -71 : -58;
        int ra[16], rb[8];
        for (int i = 0; i < 16; i++) ra[i] = lo + (int)(tca_prng_u64(&s) % (uint64_t)(hi - lo + 1));
        for (int j = 0; j < 8; j++) rb[j] = lo + (int)(tca_prng_u64(&s) % (uint64_t)(hi - lo + 1));
        for (int i = 0; i < 16; i++)
            for (int k = 0; k < 8; k++) A[i * 8 + k] = tca_bf16_from_double_rne(spec_value(&s, 7, ra[i], ra[i] + 3));
        for (int k = 0; k < 8; k++)
            for (int j = 0; j < 8; j++) B[k * 8 + j] = tca_bf16_from_double_rne(spec_value(&s, 7, rb[j], rb[j] + 3));
        for (int i = 0; i < 128; i++) C[i] = (tca_prng_u64(&s) % 2) ? 0x80000000u : 0;
        ck_assert(memcmp(A, t.A, 128 * sizeof A[0]) == 0 && memcmp(B, t.B, 64 * sizeof B[0]) == 0 &&
                  memcmp(C, t.C, sizeof C) == 0);
        /* 3.4 tiny, f16 inputs and accumulator: the four kinds of C */
        fill(TCA_FAMILY_TINY, f16acc, &r, &t);
        for (int i = 0; i < 256; i++) A[i] = spec_f16_value(&s, -14, -7);
        for (int i = 0; i < 128; i++) B[i] = spec_f16_value(&s, -14, -7);
        for (int i = 0; i < 128; i++) {
            int kind = (int)(tca_prng_u64(&s) % 4);
            if (kind == 0) {
                C[i] = 0;
            } else if (kind == 1) {
                C[i] = 0x8000;
            } else if (kind == 2) {
                uint32_t sg = (uint32_t)(tca_prng_u64(&s) % 2);
                uint32_t m = 1 + (uint32_t)(tca_prng_u64(&s) % 1023);
                C[i] = (sg << 15) | m;
            } else {
                double x = tca_prng_normal(&s);
                int u = (int)(tca_prng_u64(&s) % 11);
                C[i] = tca_f16_from_double_rne(x * spec_pow2(-14 - u));
            }
        }
        ck_assert(memcmp(A, t.A, sizeof A) == 0 && memcmp(B, t.B, sizeof B) == 0 && memcmp(C, t.C, sizeof C) == 0);
        ck_assert_uint_eq(r.state, s.state);
    }
}
END_TEST

START_TEST(test_families_promises)
{
    uint64_t seed = tca_test_seed();
    long tiles = (long)tca_test_count(50, 2000);
    for (int o = 0; o < NOPS; o++) {
        tca_mma_op op = OPS[o];
        int K = tca_family_op_k(op), f16 = op.in == TCA_MMA_IN_F16, acc16 = op.acc == TCA_MMA_ACC_F16;
        tca_prng r;
        tca_prng_seed(&r, seed + (uint64_t)o);
        long zero_cols = 0, zero_inputs = 0, sz_inputs = 0, b_all_zero_tiles = 0, weight_zero = 0,
             weight_special = 0, weight_inputs = 0, c_negzero = 0;
        for (long n = 0; n < tiles; n++) {
            tile t;
            /* zeros: zero A columns meet huge B rows, everything else small */
            fill(TCA_FAMILY_ZEROS, op, &r, &t);
            for (int k = 0; k < K; k++) {
                int zc = in_is_zero(t.A[k]);
                zero_cols += zc;
                for (int i = 0; i < 16; i++) {
                    uint16_t a = t.A[i * K + k];
                    ck_assert_int_eq(in_is_zero(a), zc);
                    if (!zc) ck_assert(in_is_normal(a, f16) && in_exp(a, f16) >= (f16 ? -11 : -35) &&
                                       in_exp(a, f16) <= (f16 ? -8 : -30));
                }
                for (int j = 0; j < 8; j++) {
                    uint16_t b = t.B[k * 8 + j];
                    ck_assert(in_is_normal(b, f16));
                    if (zc)
                        ck_assert(in_exp(b, f16) >= (f16 ? 10 : 100) && in_exp(b, f16) <= (f16 ? 15 : 127));
                    else
                        ck_assert(in_exp(b, f16) >= (f16 ? -11 : -35) && in_exp(b, f16) <= (f16 ? -8 : -30));
                }
            }
            /* signedzero: about 2/3 of inputs +-0, C +-0 */
            fill(TCA_FAMILY_SIGNEDZERO, op, &r, &t);
            int bz = 1;
            for (int i = 0; i < 16 * K; i++) zero_inputs += in_is_zero(t.A[i]), sz_inputs++;
            for (int i = 0; i < 8 * K; i++) bz &= in_is_zero(t.B[i]);
            b_all_zero_tiles += bz;
            for (int i = 0; i < 128; i++) {
                ck_assert((t.C[i] & (acc16 ? 0x7FFFu : 0x7FFFFFFFu)) == 0);
                c_negzero += t.C[i] != 0;
            }
            /* cancel: two equal A columns, opposite B rows, everything else zero */
            fill(TCA_FAMILY_CANCEL, op, &r, &t);
            int nz_cols = 0, kk[2] = {-1, -1};
            for (int k = 0; k < K; k++) {
                int nz = 0;
                for (int j = 0; j < 8; j++) nz |= !in_is_zero(t.B[k * 8 + j]);
                if (nz && nz_cols < 2) kk[nz_cols] = k;
                nz_cols += nz;
            }
            ck_assert_int_le(nz_cols, 2);
            if (nz_cols == 2)
                for (int j = 0; j < 8; j++) ck_assert_uint_eq(t.B[kk[0] * 8 + j] ^ 0x8000u, t.B[kk[1] * 8 + j]);
            for (int i = 0; i < 16; i++)
                for (int k = 0; k < K; k++)
                    if (k != kk[0] && k != kk[1] && nz_cols == 2) ck_assert(in_is_zero(t.A[i * K + k]));
            if (nz_cols == 2)
                for (int i = 0; i < 16; i++) ck_assert_uint_eq(t.A[i * K + kk[0]], t.A[i * K + kk[1]]);
            /* tiny / widerange / overflow / floorsweep exponent ranges */
            fill(TCA_FAMILY_TINY, op, &r, &t);
            for (int i = 0; i < 16 * K; i++)
                ck_assert(in_is_normal(t.A[i], f16) && in_exp(t.A[i], f16) >= (f16 ? -14 : -84) &&
                          in_exp(t.A[i], f16) <= (f16 ? -7 : -60));
            fill(TCA_FAMILY_WIDERANGE, op, &r, &t);
            for (int i = 0; i < 8 * K; i++)
                ck_assert(in_is_normal(t.B[i], f16) && in_exp(t.B[i], f16) >= (f16 ? -7 : -40) &&
                          in_exp(t.B[i], f16) <= (f16 ? 7 : 40));
            fill(TCA_FAMILY_OVERFLOW, op, &r, &t);
            for (int i = 0; i < 16 * K; i++) {
                int e = in_exp(t.A[i], f16);
                if (!f16) ck_assert(e >= 60 && e <= 67);
                else if (!acc16) ck_assert_int_eq(e, 15);
                else ck_assert(e >= 6 && e <= 8);
            }
            fill(TCA_FAMILY_FLOORSWEEP, op, &r, &t);
            for (int i = 0; i < 128; i++) ck_assert((t.C[i] & (acc16 ? 0x7FFFu : 0x7FFFFFFFu)) == 0);
            if (!f16)
                for (int i = 0; i < 16; i++)
                    for (int j = 0; j < 8; j++)
                        for (int k = 0; k < K; k++) {
                            int e = in_exp(t.A[i * K + k], 0) + in_exp(t.B[k * 8 + j], 0);
                            ck_assert(e >= -198 && e <= -110);
                        }
            /* weightlike: mostly sigma-0.02 Gaussians, ~2 % zeros, ~1 % fallback specials */
            fill(TCA_FAMILY_WEIGHTLIKE, op, &r, &t);
            for (int i = 0; i < 16 * K; i++) {
                weight_inputs++;
                weight_zero += in_is_zero(t.A[i]);
                weight_special += !in_is_zero(t.A[i]) && !in_is_normal(t.A[i], f16);
            }
            /* amperesplit: one half of A's columns near 1, the other half far smaller */
            fill(TCA_FAMILY_AMPERESPLIT, op, &r, &t);
            int big_first = in_exp(t.A[0], f16) >= -1;
            for (int i = 0; i < 16; i++)
                for (int k = 0; k < K; k++) {
                    int e = in_exp(t.A[i * K + k], f16);
                    if ((k < K / 2) == big_first)
                        ck_assert(e >= -1 && e <= 1);
                    else
                        ck_assert(e >= (f16 ? -14 : -24) && e <= (f16 ? -4 : -10));
                }
        }
        /* statistical promises, with wide margins */
        ck_assert_int_gt(zero_cols, tiles * K / 4);
        ck_assert_int_lt(zero_cols, tiles * K * 3 / 4);
        ck_assert_int_gt(zero_inputs * 100, sz_inputs * 55); /* ~2/3 */
        ck_assert_int_lt(zero_inputs * 100, sz_inputs * 78);
        ck_assert_int_gt(b_all_zero_tiles, tiles / 5);
        ck_assert_int_gt(c_negzero, 0);
        ck_assert_int_gt(weight_zero * 1000, weight_inputs * 10); /* ~2 % */
        ck_assert_int_lt(weight_zero * 1000, weight_inputs * 30);
        ck_assert_int_gt(weight_special, 0);
        ck_assert_int_lt(weight_special * 1000, weight_inputs * 30);
    }
}
END_TEST

/* spec/tca-mma-families.md 5: the published check values (first tile, seed 1). */
START_TEST(test_families_check_values)
{
    static const uint32_t expect[TCA_FAMILY_COUNT][4] = {
        {0x5e7586ee, 0xf965a5fd, 0x87207f78, 0x14afb861}, /* normal */
        {0x4b59865f, 0x1d48b86d, 0x56444195, 0x638a4d26}, /* widerange */
        {0xd3bdda57, 0xd3bdda57, 0x0da2c55c, 0xf4caa577}, /* randbits */
        {0xc9c7f9c0, 0xbe559992, 0x3fc26347, 0x76a5aec4}, /* tiny */
        {0x6037ecf0, 0x5b31a54c, 0x22d16aa4, 0x8e84b3e1}, /* zeros */
        {0xf3d05d4a, 0x9b3c2e44, 0xf652725c, 0x76bd78a0}, /* signedzero */
        {0xaeb5dd3f, 0x232af0d1, 0x60e183fe, 0x9f3c5d12}, /* cancel */
        {0xed52d065, 0xac887e4d, 0xfcedd26b, 0x9172624b}, /* overflow */
        {0x817fd511, 0xdc8464fa, 0x32399040, 0xbbf72498}, /* floorsweep */
        {0x9c6a88b6, 0x2cd3da9a, 0xa2f12334, 0x80aa3efb}, /* weightlike */
        {0x6fae3345, 0x88e248aa, 0xa5ee0dfd, 0x7c6b32d8}, /* amperesplit */
    };
    static const int op_index[4] = {0, 1, 2, 3}; /* OPS[]: the four ops of the spec's table */
    for (int f = 0; f < TCA_FAMILY_COUNT; f++)
        for (int o = 0; o < 4; o++) {
            tca_mma_op op = OPS[op_index[o]];
            tca_prng r;
            tca_prng_seed(&r, 1);
            tile t;
            fill((tca_family)f, op, &r, &t);
            int K = tca_family_op_k(op);
            uint8_t buf[16 * 16 * 2 + 16 * 8 * 2 + 128 * 4];
            size_t n = 0;
            for (int i = 0; i < 16 * K; i++) buf[n++] = (uint8_t)t.A[i], buf[n++] = (uint8_t)(t.A[i] >> 8);
            for (int i = 0; i < 8 * K; i++) buf[n++] = (uint8_t)t.B[i], buf[n++] = (uint8_t)(t.B[i] >> 8);
            for (int i = 0; i < 128; i++)
                for (int b = 0; b < 4; b++) buf[n++] = (uint8_t)(t.C[i] >> (8 * b));
            uint32_t crc = tca_crc32c(buf, n);
            ck_assert_msg(crc == expect[f][o], "family %s op %d: CRC-32C %08x, spec table says %08x",
                          tca_family_name((tca_family)f), o, (unsigned)crc, (unsigned)expect[f][o]);
        }
}
END_TEST

START_TEST(test_families_f16_rounding)
{
    /* hand-derived binary16 patterns */
    tca_ck_assert_bits16(tca_f16_from_double_rne(1.0), 0x3C00);
    tca_ck_assert_bits16(tca_f16_from_double_rne(-2.0), 0xC000);
    tca_ck_assert_bits16(tca_f16_from_double_rne(65504.0), 0x7BFF);
    tca_ck_assert_bits16(tca_f16_from_double_rne(65519.0), 0x7BFF);
    tca_ck_assert_bits16(tca_f16_from_double_rne(65520.0), 0x7C00); /* tie, odd mantissa: up */
    tca_ck_assert_bits16(tca_f16_from_double_rne(-1e300), 0xFC00);
    tca_ck_assert_bits16(tca_f16_from_double_rne(1.0 + 1.0 / 2048), 0x3C00);       /* tie to even */
    tca_ck_assert_bits16(tca_f16_from_double_rne(1.0 + 3.0 / 2048), 0x3C02);       /* tie to even */
    tca_ck_assert_bits16(tca_f16_from_double_rne(1.0 / 16384), 0x0400);            /* 2^-14 */
    tca_ck_assert_bits16(tca_f16_from_double_rne(1.0 / 16777216), 0x0001);         /* 2^-24 */
    tca_ck_assert_bits16(tca_f16_from_double_rne(1.0 / 33554432), 0x0000);         /* 2^-25: tie -> 0 */
    tca_ck_assert_bits16(tca_f16_from_double_rne(-1.5 / 33554432), 0x8001);        /* 0.75 ulp */
    tca_ck_assert_bits16(tca_f16_from_double_rne(1023.5 / 16777216), 0x0400);      /* tie -> 1024 */
    tca_ck_assert_bits16(tca_f16_from_double_rne(1022.5 / 16777216), 0x03FE);      /* tie -> even */
    tca_ck_assert_bits16(tca_f16_from_double_rne(-0.0), 0x8000);
    tca_ck_assert_bits16(tca_f16_from_double_rne(1e-300), 0x0000);
    tca_ck_assert_bits16(tca_f16_from_double_rne(5e-324), 0x0000);
    double inf = 1e308 * 10.0;
    tca_ck_assert_bits16(tca_f16_from_double_rne(inf), 0x7C00);
    tca_ck_assert_bits16(tca_f16_from_double_rne(inf - inf), 0x7FFF);
}
END_TEST

Suite *tca_oracle_families_suite(void);
Suite *tca_oracle_families_suite(void)
{
    Suite *s = suite_create("oracle_families");
    TCase *tc = tcase_create("families");
    tcase_add_test(tc, test_families_names);
    tcase_add_test(tc, test_families_bad_arguments);
    tcase_add_test(tc, test_families_deterministic);
    tcase_add_test(tc, test_families_match_spec_text);
    tcase_add_test(tc, test_families_match_spec_text_more);
    tcase_add_test(tc, test_families_promises);
    tcase_add_test(tc, test_families_check_values);
    tcase_add_test(tc, test_families_f16_rounding);
    suite_add_tcase(s, tc);
    return s;
}
