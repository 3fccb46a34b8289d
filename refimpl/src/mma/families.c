/* SPDX-License-Identifier: Apache-2.0 */
/* MMA input families (numerics reference section 9). The draw order below is normative and
 * documented draw by draw in spec/tca-mma-families.md ("families N" in comments): change one and
 * you change every generated vector. */
#include "tca/families.h"
#include <stddef.h>
#include <string.h>
#include "tca/bf16.h"

static const char *const family_names[TCA_FAMILY_COUNT] = {
    "normal", "widerange", "randbits", "tiny", "zeros", "signedzero",
    "cancel", "overflow", "floorsweep", "weightlike", "amperesplit",
};

const char *tca_family_name(tca_family f)
{
    if ((int)f < 0 || (int)f >= TCA_FAMILY_COUNT) return "unknown";
    return family_names[f];
}

tca_family tca_family_by_name(const char *name)
{
    if (!name) return TCA_FAMILY_UNKNOWN;
    for (int i = 0; i < TCA_FAMILY_COUNT; i++)
        if (strcmp(name, family_names[i]) == 0) return (tca_family)i;
    return TCA_FAMILY_UNKNOWN;
}

int tca_family_op_k(tca_mma_op op)
{
    if (op.shape == TCA_MMA_M16N8K16) return 16;
    if (op.shape == TCA_MMA_M16N8K8) return 8;
    return 0;
}

uint16_t tca_f16_from_double_rne(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    uint16_t sign = (uint16_t)((b >> 63) << 15);
    int dexp = (int)((b >> 52) & 0x7FF);
    uint64_t frac = b & 0xFFFFFFFFFFFFFull;
    if (dexp == 0x7FF) return frac ? 0x7FFF : (uint16_t)(sign | 0x7C00);
    if (dexp == 0) return sign; /* double subnormals are far below half the f16 grid: +-0 */
    uint64_t sig = frac | (1ull << 52);
    int e = dexp - 1023; /* |d| = sig * 2^(e - 52) */
    int shift = 52 - 10; /* keep 10 fraction bits */
    if (e < -14) shift += -14 - e; /* subnormal result: grid 2^-24 */
    uint64_t q = 0;
    if (shift < 54) { /* else |d| < 2^-1 grid units: rounds to zero */
        q = sig >> shift;
        uint64_t rem = sig & ((1ull << shift) - 1);
        uint64_t half = 1ull << (shift - 1);
        if (rem > half || (rem == half && (q & 1))) q++;
    }
    uint64_t out;
    if (e < -14)
        out = q; /* q == 1024 is exactly the smallest normal pattern 0x0400 */
    else
        out = ((uint64_t)(e + 15) << 10) + q - 1024; /* a carry out of q renormalises */
    if (out >= 0x7C00) out = 0x7C00;
    return (uint16_t)(sign | out);
}

/* ---------------------------------------------------------------- shared draws (families 2) */

/* 2^e as an exact double, for |e| <= 1000 (every use here is far inside). */
static double pow2(int e)
{
    uint64_t b = (uint64_t)(e + 1023) << 52;
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

/* Generation context: the op's formats and sizes. */
typedef struct gen {
    tca_prng *r;
    int K;
    int in_f16;  /* inputs binary16 (else bf16) */
    int acc_f16; /* accumulators binary16 (else binary32) */
} gen;

static int in_fb(const gen *g) { return g->in_f16 ? 10 : 7; }
static int acc_fb(const gen *g) { return g->acc_f16 ? 10 : 23; }

/* Round a double to the input format (RNE). */
static uint16_t round_in(const gen *g, double x)
{
    return g->in_f16 ? tca_f16_from_double_rne(x) : tca_bf16_from_double_rne(x);
}
/* Round a double to the accumulator format (RNE); binary16 in the low 16 bits. */
static uint32_t round_acc(const gen *g, double x)
{
    return g->acc_f16 ? (uint32_t)tca_f16_from_double_rne(x) : tca_f32_from_double_rne(x);
}

/* families 2.2, draw_value(fb, lo, hi): e = range(lo, hi), s = below(2), m = below(2^fb);
 * returns (-1)^s * (2^fb + m) * 2^(e - fb), exact in a double. */
static double draw_value(const gen *g, int fb, int lo, int hi)
{
    int e = (int)tca_prng_range(g->r, lo, hi);
    int s = (int)tca_prng_below(g->r, 2);
    uint64_t m = tca_prng_below(g->r, 1ull << fb);
    double v = (double)((1ull << fb) + m) * pow2(e - fb);
    return s ? -v : v;
}

static uint16_t draw_in(const gen *g, int lo, int hi) { return round_in(g, draw_value(g, in_fb(g), lo, hi)); }
static uint32_t draw_acc(const gen *g, int lo, int hi) { return round_acc(g, draw_value(g, acc_fb(g), lo, hi)); }

/* families 2.2, signed zero: s = below(2). */
static uint16_t draw_zero_in(const gen *g) { return tca_prng_below(g->r, 2) ? 0x8000u : 0x0000u; }
static uint32_t draw_zero_acc(const gen *g)
{
    int s = (int)tca_prng_below(g->r, 2);
    if (!s) return 0;
    return g->acc_f16 ? 0x8000u : 0x80000000u;
}

static uint16_t normal_in(const gen *g, double scale) { return round_in(g, tca_prng_normal(g->r) * scale); }
static uint32_t normal_acc(const gen *g, double scale) { return round_acc(g, tca_prng_normal(g->r) * scale); }

/* ---------------------------------------------------------------- the families (families 3) */

static void fill_normal(const gen *g, uint16_t *A, uint16_t *B, uint32_t *C)
{
    for (int i = 0; i < 16 * g->K; i++) A[i] = normal_in(g, 1.0);
    for (int i = 0; i < g->K * 8; i++) B[i] = normal_in(g, 1.0);
    for (int i = 0; i < 128; i++) C[i] = normal_acc(g, 1.0);
}

static void fill_widerange(const gen *g, uint16_t *A, uint16_t *B, uint32_t *C)
{
    int lo = g->in_f16 ? -7 : -40, hi = g->in_f16 ? 7 : 40;
    for (int i = 0; i < 16 * g->K; i++) A[i] = draw_in(g, lo, hi);
    for (int i = 0; i < g->K * 8; i++) B[i] = draw_in(g, lo, hi);
    for (int i = 0; i < 128; i++) {
        double x = tca_prng_normal(g->r);
        int u = (int)(g->acc_f16 ? tca_prng_range(g->r, -12, 11) : tca_prng_range(g->r, -30, 29));
        C[i] = round_acc(g, x * pow2(u));
    }
}

static void fill_randbits(const gen *g, uint16_t *A, uint16_t *B, uint32_t *C)
{
    for (int i = 0; i < 16 * g->K; i++) A[i] = (uint16_t)tca_prng_u64(g->r);
    for (int i = 0; i < g->K * 8; i++) B[i] = (uint16_t)tca_prng_u64(g->r);
    for (int i = 0; i < 128; i++) {
        uint64_t v = tca_prng_u64(g->r);
        C[i] = g->acc_f16 ? (uint32_t)(uint16_t)v : (uint32_t)v;
    }
}

static void fill_tiny(const gen *g, uint16_t *A, uint16_t *B, uint32_t *C)
{
    int lo = g->in_f16 ? -14 : -84, hi = g->in_f16 ? -7 : -60;
    for (int i = 0; i < 16 * g->K; i++) A[i] = draw_in(g, lo, hi);
    for (int i = 0; i < g->K * 8; i++) B[i] = draw_in(g, lo, hi);
    int fb = acc_fb(g);
    for (int i = 0; i < 128; i++) {
        int kind = (int)tca_prng_below(g->r, 4);
        if (kind == 0) {
            C[i] = 0;
        } else if (kind == 1) {
            C[i] = g->acc_f16 ? 0x8000u : 0x80000000u;
        } else if (kind == 2) { /* a subnormal accumulator */
            uint32_t s = (uint32_t)tca_prng_below(g->r, 2);
            uint32_t m = 1u + (uint32_t)tca_prng_below(g->r, (1ull << fb) - 1);
            C[i] = (s << (g->acc_f16 ? 15 : 31)) | m;
        } else { /* N(0,1) * 2^(emin - u): around and below the smallest normal */
            double x = tca_prng_normal(g->r);
            int u = (int)(g->acc_f16 ? tca_prng_range(g->r, 0, 10) : tca_prng_range(g->r, 0, 23));
            C[i] = round_acc(g, x * pow2((g->acc_f16 ? -14 : -126) - u));
        }
    }
}

static void fill_zeros(const gen *g, uint16_t *A, uint16_t *B, uint32_t *C)
{
    int zero_col[16];
    for (int k = 0; k < g->K; k++) zero_col[k] = (int)tca_prng_below(g->r, 2);
    int slo = g->in_f16 ? -11 : -35, shi = g->in_f16 ? -8 : -30; /* ordinary entries */
    int blo = g->in_f16 ? 10 : 100, bhi = g->in_f16 ? 15 : 127;  /* B rows met by zeros */
    for (int i = 0; i < 16; i++)
        for (int k = 0; k < g->K; k++) A[i * g->K + k] = zero_col[k] ? draw_zero_in(g) : draw_in(g, slo, shi);
    for (int k = 0; k < g->K; k++)
        for (int j = 0; j < 8; j++) B[k * 8 + j] = zero_col[k] ? draw_in(g, blo, bhi) : draw_in(g, slo, shi);
    double cscale = pow2(g->in_f16 ? -18 : -62);
    for (int i = 0; i < 128; i++) C[i] = tca_prng_below(g->r, 2) ? normal_acc(g, cscale) : 0u;
}

static uint16_t signedzero_entry(const gen *g)
{
    if (tca_prng_below(g->r, 3) < 2) return draw_zero_in(g);
    return normal_in(g, 1.0);
}

static void fill_signedzero(const gen *g, uint16_t *A, uint16_t *B, uint32_t *C)
{
    int b_all_zero = (int)tca_prng_below(g->r, 2);
    for (int i = 0; i < 16 * g->K; i++) A[i] = signedzero_entry(g);
    for (int i = 0; i < g->K * 8; i++) B[i] = b_all_zero ? draw_zero_in(g) : signedzero_entry(g);
    for (int i = 0; i < 128; i++) C[i] = draw_zero_acc(g);
}

static void fill_cancel(const gen *g, uint16_t *A, uint16_t *B, uint32_t *C)
{
    int k1 = (int)tca_prng_below(g->r, (uint64_t)g->K);
    int k2 = (int)tca_prng_below(g->r, (uint64_t)g->K - 1);
    if (k2 >= k1) k2++;
    for (int i = 0; i < 16; i++) {
        uint16_t x = normal_in(g, 1.0);
        for (int k = 0; k < g->K; k++) A[i * g->K + k] = (k == k1 || k == k2) ? x : draw_zero_in(g);
    }
    uint16_t y[8];
    for (int j = 0; j < 8; j++) y[j] = normal_in(g, 1.0);
    for (int k = 0; k < g->K; k++)
        for (int j = 0; j < 8; j++) {
            uint16_t v;
            if (k == k1)
                v = y[j];
            else if (k == k2)
                v = (uint16_t)(y[j] ^ 0x8000u);
            else
                v = draw_zero_in(g);
            B[k * 8 + j] = v;
        }
    for (int i = 0; i < 128; i++) C[i] = draw_zero_acc(g);
}

static void fill_overflow(const gen *g, uint16_t *A, uint16_t *B, uint32_t *C)
{
    int lo, hi;
    if (!g->in_f16) {
        lo = 60, hi = 67;
    } else if (!g->acc_f16) {
        lo = 15, hi = 15;
    } else {
        lo = 6, hi = 8;
    }
    for (int i = 0; i < 16 * g->K; i++) A[i] = draw_in(g, lo, hi);
    for (int i = 0; i < g->K * 8; i++) B[i] = draw_in(g, lo, hi);
    for (int i = 0; i < 128; i++) {
        if (!g->in_f16)
            C[i] = draw_acc(g, 126, 127);
        else if (!g->acc_f16)
            C[i] = tca_prng_below(g->r, 2) ? 0xFF7FFFFFu : 0x7F7FFFFFu; /* -+FLT_MAX */
        else
            C[i] = draw_acc(g, 15, 15);
    }
}

static void fill_floorsweep(const gen *g, uint16_t *A, uint16_t *B, uint32_t *C)
{
    /* Half the tiles sweep the whole range; the other half concentrate every output's largest
     * product just below the f32 FLOOR (bf16: -160..-136), where FLOOR +-1 changes results. */
    int focus = (int)tca_prng_below(g->r, 2);
    int lo = g->in_f16 ? -17 : -99, hi = g->in_f16 ? -11 : -58;
    if (focus && !g->in_f16) lo = -80, hi = -71;
    int ra[16], rb[8];
    for (int i = 0; i < 16; i++) ra[i] = (int)tca_prng_range(g->r, lo, hi);
    for (int j = 0; j < 8; j++) rb[j] = (int)tca_prng_range(g->r, lo, hi);
    for (int i = 0; i < 16; i++)
        for (int k = 0; k < g->K; k++) A[i * g->K + k] = draw_in(g, ra[i], ra[i] + 3);
    for (int k = 0; k < g->K; k++)
        for (int j = 0; j < 8; j++) B[k * 8 + j] = draw_in(g, rb[j], rb[j] + 3);
    for (int i = 0; i < 128; i++) C[i] = draw_zero_acc(g);
}

static uint16_t weight_entry(const gen *g)
{
    int fb = in_fb(g);
    uint16_t exp_all_ones = g->in_f16 ? 0x7C00u : 0x7F80u;
    uint64_t t = tca_prng_below(g->r, 1000);
    if (t < 20) return draw_zero_in(g); /* exact zeros (pruned weights) */
    if (t < 24) {                       /* a subnormal */
        uint16_t s = (uint16_t)(tca_prng_below(g->r, 2) << 15);
        return (uint16_t)(s | (1u + tca_prng_below(g->r, (1ull << fb) - 1)));
    }
    if (t < 28) { /* an outlier, N(0,1) * 2^u */
        double x = tca_prng_normal(g->r);
        int u = (int)tca_prng_range(g->r, 3, 8);
        return round_in(g, x * pow2(u));
    }
    if (t < 29) return (uint16_t)((tca_prng_below(g->r, 2) << 15) | exp_all_ones); /* +-Inf */
    if (t < 30) {                                                                  /* a NaN */
        uint16_t s = (uint16_t)(tca_prng_below(g->r, 2) << 15);
        return (uint16_t)(s | exp_all_ones | (1u + tca_prng_below(g->r, (1ull << fb) - 1)));
    }
    return normal_in(g, 0.02);
}

static void fill_weightlike(const gen *g, uint16_t *A, uint16_t *B, uint32_t *C)
{
    for (int i = 0; i < 16 * g->K; i++) A[i] = weight_entry(g);
    double scale[16];
    for (int k = 0; k < g->K; k++) {
        scale[k] = 1.0;
        if (tca_prng_below(g->r, 16) == 0) scale[k] = pow2((int)tca_prng_range(g->r, 4, 7)); /* outlier channel */
    }
    for (int k = 0; k < g->K; k++)
        for (int j = 0; j < 8; j++) B[k * 8 + j] = normal_in(g, scale[k]);
    for (int i = 0; i < 128; i++) C[i] = tca_prng_below(g->r, 2) ? normal_acc(g, 0.25) : 0u;
}

static void fill_amperesplit(const gen *g, uint16_t *A, uint16_t *B, uint32_t *C)
{
    int big_first = (int)tca_prng_below(g->r, 2);
    int half = g->K / 2;
    int slo = g->in_f16 ? -14 : -24, shi = g->in_f16 ? -4 : -10; /* the small half */
    for (int i = 0; i < 16; i++)
        for (int k = 0; k < g->K; k++) {
            int big = (k < half) == big_first;
            A[i * g->K + k] = big ? draw_in(g, -1, 1) : draw_in(g, slo, shi);
        }
    for (int i = 0; i < g->K * 8; i++) B[i] = draw_in(g, -1, 1);
    for (int i = 0; i < 128; i++) C[i] = big_first ? draw_acc(g, -1, 1) : draw_acc(g, slo, shi);
}

tca_status tca_family_fill(tca_family f, tca_mma_op op, tca_prng *r, uint16_t *A, uint16_t *B, uint32_t *C)
{
    if (!r || !A || !B || !C) return TCA_ERROR_PARAM_NULL;
    int K = tca_family_op_k(op);
    if (K == 0) return TCA_ERROR_PARAM_INVALID;
    if (op.in != TCA_MMA_IN_BF16 && op.in != TCA_MMA_IN_F16) return TCA_ERROR_PARAM_INVALID;
    if (op.acc != TCA_MMA_ACC_F32 && op.acc != TCA_MMA_ACC_F16) return TCA_ERROR_PARAM_INVALID;
    if (op.acc == TCA_MMA_ACC_F16 && op.in != TCA_MMA_IN_F16) return TCA_ERROR_PARAM_INVALID;
    gen g = {r, K, op.in == TCA_MMA_IN_F16, op.acc == TCA_MMA_ACC_F16};
    switch (f) {
    case TCA_FAMILY_NORMAL: fill_normal(&g, A, B, C); break;
    case TCA_FAMILY_WIDERANGE: fill_widerange(&g, A, B, C); break;
    case TCA_FAMILY_RANDBITS: fill_randbits(&g, A, B, C); break;
    case TCA_FAMILY_TINY: fill_tiny(&g, A, B, C); break;
    case TCA_FAMILY_ZEROS: fill_zeros(&g, A, B, C); break;
    case TCA_FAMILY_SIGNEDZERO: fill_signedzero(&g, A, B, C); break;
    case TCA_FAMILY_CANCEL: fill_cancel(&g, A, B, C); break;
    case TCA_FAMILY_OVERFLOW: fill_overflow(&g, A, B, C); break;
    case TCA_FAMILY_FLOORSWEEP: fill_floorsweep(&g, A, B, C); break;
    case TCA_FAMILY_WEIGHTLIKE: fill_weightlike(&g, A, B, C); break;
    case TCA_FAMILY_AMPERESPLIT: fill_amperesplit(&g, A, B, C); break;
    default: return TCA_ERROR_PARAM_INVALID;
    }
    return TCA_OK;
}
