/* SPDX-License-Identifier: Apache-2.0 */
/* Warp-level execution of mma.sync and warpgroup-level wgmma (spec mma-semantics 2 and 3.2):
 * registers are unpacked into matrices through the closed-form layouts, every output is one
 * per-profile step chain (tca_mma_dot_*), and the results are packed back. */
#include <stddef.h>
#include <stdlib.h>
#include "tca/mma.h"
#include "tca/mma_layout.h"

static tca_status check_op(const tca_mma_profile *p, tca_mma_op op)
{
    const tca_status st = tca_mma_profile_validate(p);
    if (st != TCA_OK) return st == TCA_ERROR_PARAM_NULL ? st : TCA_ERROR_PARAM_PROFILE;
    if (op.shape != TCA_MMA_M16N8K16 && op.shape != TCA_MMA_M16N8K8) return TCA_ERROR_PARAM_INVALID;
    if (op.in != TCA_MMA_IN_BF16 && op.in != TCA_MMA_IN_F16) return TCA_ERROR_PARAM_INVALID;
    if (op.acc != TCA_MMA_ACC_F32 && op.acc != TCA_MMA_ACC_F16) return TCA_ERROR_PARAM_INVALID;
    /* spec 3.3: f16 accumulators exist only with f16 inputs (there is no bf16 -> f16 mma) */
    if (op.acc == TCA_MMA_ACC_F16 && op.in != TCA_MMA_IN_F16) return TCA_ERROR_PARAM_INVALID;
    return TCA_OK;
}

/* One 16 x 8 output tile, everything dense: A 16 x k, B k x 8, C/D 16 x 8. */
static void tile_compute(const tca_mma_profile *p, tca_mma_op op, int k, const uint16_t *A, const uint16_t *B,
                         const uint32_t *C, uint32_t *D)
{
    uint32_t out[16 * 8];
    uint16_t col[16];
    for (int n = 0; n < 8; n++) {
        for (int kk = 0; kk < k; kk++) col[kk] = B[kk * 8 + n];
        for (int r = 0; r < 16; r++) {
            const uint16_t *row = A + r * k;
            if (op.acc == TCA_MMA_ACC_F32)
                out[r * 8 + n] = tca_mma_dot_f32(p, op.in, row, col, k, C[r * 8 + n]);
            else
                out[r * 8 + n] = tca_mma_dot_f16(p, row, col, k, (uint16_t)(C[r * 8 + n] & 0xFFFFu));
        }
    }
    for (int i = 0; i < 16 * 8; i++) D[i] = out[i]; /* after all reads: D may be C */
}

tca_status tca_mma_tile(const tca_mma_profile *p, tca_mma_op op, const uint16_t *A, const uint16_t *B,
                        const uint32_t *C, uint32_t *D)
{
    if (A == NULL || B == NULL || C == NULL || D == NULL) return TCA_ERROR_PARAM_NULL;
    const tca_status st = check_op(p, op);
    if (st != TCA_OK) return st;
    tile_compute(p, op, op.shape == TCA_MMA_M16N8K16 ? 16 : 8, A, B, C, D);
    return TCA_OK;
}

/* element e of a lane's 16-bit fragment: register e / 2, half e % 2 (half 0 = bits 15:0) */
static uint16_t reg_half(const uint32_t *regs, int e) { return (uint16_t)(regs[e >> 1] >> (16 * (e & 1))); }

tca_status tca_mma_sync(const tca_mma_profile *p, tca_mma_op op, const uint32_t a[32][4], const uint32_t b[32][2],
                        const uint32_t c[32][4], uint32_t d[32][4])
{
    if (a == NULL || b == NULL || c == NULL || d == NULL) return TCA_ERROR_PARAM_NULL;
    const tca_status st = check_op(p, op);
    if (st != TCA_OK) return st;
    const int k16 = op.shape == TCA_MMA_M16N8K16, k = k16 ? 16 : 8;
    const tca_mma_frag fa = k16 ? TCA_MMA_FRAG_M16N8K16_A : TCA_MMA_FRAG_M16N8K8_A;
    const tca_mma_frag fb = k16 ? TCA_MMA_FRAG_M16N8K16_B : TCA_MMA_FRAG_M16N8K8_B;
    const tca_mma_frag fc = op.acc == TCA_MMA_ACC_F32 ? TCA_MMA_FRAG_C_F32 : TCA_MMA_FRAG_C_F16;
    const int ea = tca_mma_frag_get_info(fa)->elems, eb = tca_mma_frag_get_info(fb)->elems;
    const int ec = tca_mma_frag_get_info(fc)->elems;
    uint16_t A[16 * 16], B[16 * 8];
    uint32_t C[16 * 8], D[16 * 8];
    int r, col;
    for (int lane = 0; lane < 32; lane++) {
        for (int e = 0; e < ea; e++) {
            (void)tca_mma_frag_coord(fa, lane, e, &r, &col);
            A[r * k + col] = reg_half(a[lane], e);
        }
        for (int e = 0; e < eb; e++) {
            (void)tca_mma_frag_coord(fb, lane, e, &r, &col);
            B[r * 8 + col] = reg_half(b[lane], e);
        }
        for (int e = 0; e < ec; e++) {
            (void)tca_mma_frag_coord(fc, lane, e, &r, &col);
            C[r * 8 + col] = op.acc == TCA_MMA_ACC_F32 ? c[lane][e] : reg_half(c[lane], e);
        }
    }
    tile_compute(p, op, k, A, B, C, D);
    for (int lane = 0; lane < 32; lane++) {
        uint32_t regs[4] = {0, 0, 0, 0};
        for (int e = 0; e < ec; e++) {
            (void)tca_mma_frag_coord(fc, lane, e, &r, &col);
            if (op.acc == TCA_MMA_ACC_F32)
                regs[e] = D[r * 8 + col];
            else
                regs[e >> 1] |= (D[r * 8 + col] & 0xFFFFu) << (16 * (e & 1));
        }
        for (int i = 0; i < (op.acc == TCA_MMA_ACC_F32 ? 4 : 2); i++) d[lane][i] = regs[i];
    }
    return TCA_OK;
}

/* ------------------------------------------------------------------------------ wgmma */

static tca_status check_wgmma(const tca_mma_profile *p, tca_mma_input in, int n)
{
    const tca_status st = tca_mma_profile_validate(p);
    if (st != TCA_OK) return st == TCA_ERROR_PARAM_NULL ? st : TCA_ERROR_PARAM_PROFILE;
    if (in != TCA_MMA_IN_BF16 && in != TCA_MMA_IN_F16) return TCA_ERROR_PARAM_INVALID;
    if (n < 8 || n > 256 || n % 8 != 0) return TCA_ERROR_PARAM_SHAPE;
    return TCA_OK;
}

/* D = A x B + C for a 64 x n tile, outputs written after all reads (D may be C). */
static tca_status wgmma_compute(const tca_mma_profile *p, tca_mma_input in, int n, const uint16_t *A,
                                const uint16_t *B, const uint32_t *C, uint32_t *D)
{
    uint32_t *out = malloc((size_t)64 * (size_t)n * sizeof *out);
    if (out == NULL) return TCA_ERROR_ALLOC;
    uint16_t col[16];
    for (int j = 0; j < n; j++) {
        for (int kk = 0; kk < 16; kk++) col[kk] = B[kk * n + j];
        for (int r = 0; r < 64; r++) out[r * n + j] = tca_mma_dot_f32(p, in, A + r * 16, col, 16, C[r * n + j]);
    }
    for (int i = 0; i < 64 * n; i++) D[i] = out[i];
    free(out);
    return TCA_OK;
}

tca_status tca_wgmma_tile(const tca_mma_profile *p, tca_mma_input in, int n, const uint16_t *A, const uint16_t *B,
                          const uint32_t *C, uint32_t *D)
{
    if (A == NULL || B == NULL || C == NULL || D == NULL) return TCA_ERROR_PARAM_NULL;
    const tca_status st = check_wgmma(p, in, n);
    if (st != TCA_OK) return st;
    return wgmma_compute(p, in, n, A, B, C, D);
}

tca_status tca_wgmma_rs(const tca_mma_profile *p, tca_mma_input in, int n, const uint32_t a[128][4],
                        const uint16_t *B, const uint32_t *c, uint32_t *d)
{
    if (a == NULL || B == NULL || c == NULL || d == NULL) return TCA_ERROR_PARAM_NULL;
    tca_status st = check_wgmma(p, in, n);
    if (st != TCA_OK) return st;
    uint16_t A[64 * 16];
    uint32_t *CD = malloc((size_t)64 * (size_t)n * sizeof *CD);
    if (CD == NULL) return TCA_ERROR_ALLOC;
    int r, col;
    for (int th = 0; th < 128; th++) {
        for (int i = 0; i < 8; i++) {
            (void)tca_wgmma_a_coord(th, i, &r, &col);
            A[r * 16 + col] = reg_half(a[th], i);
        }
        for (int i = 0; i < n / 2; i++) {
            (void)tca_wgmma_d_coord(n, th, i, &r, &col);
            CD[r * n + col] = c[(size_t)th * (size_t)(n / 2) + (size_t)i];
        }
    }
    st = wgmma_compute(p, in, n, A, B, CD, CD);
    if (st == TCA_OK) {
        for (int th = 0; th < 128; th++)
            for (int i = 0; i < n / 2; i++) {
                (void)tca_wgmma_d_coord(n, th, i, &r, &col);
                d[(size_t)th * (size_t)(n / 2) + (size_t)i] = CD[r * n + col];
            }
    }
    free(CD);
    return st;
}
