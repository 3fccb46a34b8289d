/* SPDX-License-Identifier: Apache-2.0 */
/* Reference ZipGEMM (spec mma-semantics 6) from a TCA-TBE compressed W. The loop nest is the
 * kernel's: one 64-row strip of W at a time (a CTA), its 64-wide K tiles in increasing order,
 * each global tile decoded ONCE into the A fragments of its four median tiles (warps) and then
 * used for every one of the N activations. Per output the arithmetic is exactly the contract:
 * accumulator from +0 per split, k16 chunks in increasing k through tca_mma_dot_f32, partials
 * added in increasing split order with tca_f32_add_rne, BF16 nearest-even last. */
#include <string.h>
#include "common/le.h"
#include "gemm/gemm_internal.h"
#include "tca/alloc.h"
#include "tca/bf16.h"

typedef struct strip_state {
    uint64_t n, n_pad8;  /* activations; rounded up to a multiple of 8 (the n8 MMA width) */
    uint32_t *acc;       /* [n_pad8][64]: the running accumulator of the current split */
    uint32_t *red;       /* [n_pad8][64]: r = p0 + p1 + ... of the splits done so far */
} strip_state;

/* 16 activations X[in][k0 .. k0+15], zero past K or past N (spec mma-semantics 6.5). */
static void load_x_chunk(const uint16_t *x, uint64_t n, uint64_t k, uint64_t in, uint64_t k0, uint16_t out[16])
{
    for (unsigned i = 0; i < 16; i++) out[i] = (in < n && k0 + i < k) ? x[in * k + k0 + i] : 0x0000u;
}

/* Execution by dot products: fragments -> tile rows -> one tca_mma_dot_f32 per output and k16
 * slice. */
static void run_tile_dot(const tca__gemm_tile_fragments frag, uint64_t rows, const uint16_t *x, uint64_t k,
                         uint64_t kt, const tca_mma_profile *p, strip_state *st)
{
    uint16_t tile[64][64];
    tca__gemm_fragments_to_tile(frag, tile);
    const int tail = (64u * kt + 64u > k); /* the last K tile of a ragged K */
    for (uint64_t in = 0; in < st->n; in++) {
        uint16_t xpad[64];
        const uint16_t *xs;
        if (tail) {
            for (unsigned c = 0; c < 4; c++) load_x_chunk(x, st->n, k, in, 64u * kt + 16u * c, xpad + 16u * c);
            xs = xpad;
        } else {
            xs = x + in * k + 64u * kt;
        }
        uint32_t *acc = st->acc + in * 64u;
        for (uint64_t r = 0; r < rows; r++) {
            uint32_t a = acc[r];
            for (unsigned s = 0; s < 4; s++) /* spec 6.2: k16 chunks in increasing k */
                a = tca_mma_dot_f32(p, TCA_MMA_IN_BF16, tile[r] + 16u * s, xs + 16u * s, 16, a);
            acc[r] = a;
        }
    }
}

/* Execution as a kernel does it: per median tile (warp), slice and group of 8 activations, one
 * warp-level m16n8k16 with B and C fragments in the PTX layout (numerics reference 6.1):
 * B R0 = X[n0 + g][k0 + 2t .. +1], R1 = the same at k0 + 8; C register i = D[g + 8(i >> 1)]
 * [2t + (i & 1)] with rows along M and columns along N. */
static tca_status run_tile_mma_sync(const tca__gemm_tile_fragments frag, const uint16_t *x, uint64_t k, uint64_t kt,
                                    const tca_mma_profile *p, strip_state *st)
{
    const tca_mma_op op = {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32};
    for (uint64_t n0 = 0; n0 < st->n_pad8; n0 += 8u)
        for (unsigned med = 0; med < 4; med++)
            for (unsigned s = 0; s < 4; s++) {
                uint32_t b[32][2], c[32][4], d[32][4];
                const uint64_t k0 = 64u * kt + 16u * s;
                for (unsigned lane = 0; lane < 32; lane++) {
                    const unsigned g = lane >> 2, t = lane & 3u;
                    uint16_t xs[16];
                    load_x_chunk(x, st->n, k, n0 + g, k0, xs);
                    b[lane][0] = (uint32_t)xs[2u * t] | ((uint32_t)xs[2u * t + 1u] << 16);
                    b[lane][1] = (uint32_t)xs[2u * t + 8u] | ((uint32_t)xs[2u * t + 9u] << 16);
                    for (unsigned i = 0; i < 4; i++)
                        c[lane][i] = st->acc[(n0 + 2u * t + (i & 1u)) * 64u + 16u * med + g + 8u * (i >> 1)];
                }
                tca_status rc = tca_mma_sync(p, op, (const uint32_t(*)[4])frag[med][s], (const uint32_t(*)[2])b,
                                             (const uint32_t(*)[4])c, d);
                if (rc != TCA_OK) return rc;
                for (unsigned lane = 0; lane < 32; lane++) {
                    const unsigned g = lane >> 2, t = lane & 3u;
                    for (unsigned i = 0; i < 4; i++)
                        st->acc[(n0 + 2u * t + (i & 1u)) * 64u + 16u * med + g + 8u * (i >> 1)] = d[lane][i];
                }
            }
    return TCA_OK;
}

tca_status tca__gemm_ref_exec(const tca_tbe_view *w, const uint16_t *x, uint64_t n, const tca_mma_profile *p,
                              uint32_t split_k, uint64_t strip_begin, uint64_t strip_end, uint16_t *y,
                              uint32_t *y_f32, tca__gemm_exec exec)
{
    if (w == NULL) return TCA_ERROR_PARAM_NULL;
    if (exec != TCA__GEMM_EXEC_DOT && exec != TCA__GEMM_EXEC_MMA_SYNC) return TCA_ERROR_PARAM_INVALID;
    /* Parameters first (cheap), then the full validation of W (spec 7.1): the decoder below trusts
     * every offset and count. */
    tca_status st = tca__gemm_check_params(w->hdr.rows, w->hdr.cols, x, n, p, split_k);
    if (st != TCA_OK) return st;
    st = tca_tbe_validate(w);
    if (st != TCA_OK) return st;
    if (w->hdr.layout != TCA_LAYOUT_V1) return TCA_ERROR_UNSUPPORTED; /* this view holds v1 arrays */

    const uint64_t m = w->hdr.rows, k = w->hdr.cols;
    const uint64_t kt_count = tca__gemm_k_tiles(k), strips = m / 64u + (m % 64u != 0);
    if (strip_end == UINT64_MAX) strip_end = strips;
    if (strip_begin > strip_end || strip_end > strips) return TCA_ERROR_PARAM_INVALID;
    if (strip_begin == strip_end) return TCA_OK;

    strip_state ss;
    ss.n = n;
    ss.n_pad8 = (n + 7u) & ~(uint64_t)7u;
    uint64_t words;
    if (ss.n_pad8 < n || tca__mul_overflow_u64(ss.n_pad8, 64u, &words) || words > SIZE_MAX / 4u)
        return TCA_ERROR_PARAM_SHAPE;
    ss.acc = tca_alloc_array(NULL, (size_t)words, 4u);
    ss.red = tca_alloc_array(NULL, (size_t)words, 4u);
    tca__gemm_tile_fragments *frag = tca_alloc(NULL, sizeof *frag);
    if (ss.acc == NULL || ss.red == NULL || frag == NULL) {
        st = TCA_ERROR_ALLOC;
        goto done;
    }

    for (uint64_t gm = strip_begin; gm < strip_end; gm++) {
        const uint64_t rows = (m - 64u * gm < 64u) ? m - 64u * gm : 64u;
        for (uint32_t s = 0; s < split_k; s++) {
            uint64_t kt0, kt1;
            tca_gemm_split_range(k, split_k, s, &kt0, &kt1);
            memset(ss.acc, 0, (size_t)words * 4u); /* spec 6.3: each split starts from +0 */
            for (uint64_t kt = kt0; kt < kt1; kt++) {
                tca__gemm_decode_global_tile(w, gm * kt_count + kt, *frag);
                if (exec == TCA__GEMM_EXEC_DOT) {
                    run_tile_dot((const uint32_t(*)[4][32][4]) * frag, rows, x, k, kt, p, &ss);
                } else {
                    st = run_tile_mma_sync((const uint32_t(*)[4][32][4]) * frag, x, k, kt, p, &ss);
                    if (st != TCA_OK) goto done;
                }
            }
            /* spec 6.3: r = p0; r = r + p1; ... in increasing split order */
            if (s == 0)
                memcpy(ss.red, ss.acc, (size_t)words * 4u);
            else
                for (uint64_t i = 0; i < words; i++) ss.red[i] = tca_f32_add_rne(ss.red[i], ss.acc[i]);
        }
        /* spec 6.4: the epilogue, only for real rows and activations */
        for (uint64_t in = 0; in < n; in++)
            for (uint64_t r = 0; r < rows; r++) {
                const uint32_t v = ss.red[in * 64u + r];
                if (y_f32) y_f32[in * m + 64u * gm + r] = v;
                if (y) y[in * m + 64u * gm + r] = tca_bf16_from_f32_rne(v);
            }
    }

done:
    tca_free(NULL, frag);
    tca_free(NULL, ss.red);
    tca_free(NULL, ss.acc);
    return st;
}

tca_status tca_gemm_ref(const tca_tbe_view *w, const uint16_t *x, uint64_t n, const tca_mma_profile *p,
                        uint32_t split_k, uint16_t *y, uint32_t *y_f32)
{
    return tca__gemm_ref_exec(w, x, n, p, split_k, 0, UINT64_MAX, y, y_f32, TCA__GEMM_EXEC_DOT);
}

tca_status tca_gemm_ref_strips(const tca_tbe_view *w, const uint16_t *x, uint64_t n, const tca_mma_profile *p,
                               uint32_t split_k, uint64_t strip_begin, uint64_t strip_end, uint16_t *y,
                               uint32_t *y_f32)
{
    if (strip_end == UINT64_MAX) return TCA_ERROR_PARAM_INVALID; /* not a valid strip count */
    return tca__gemm_ref_exec(w, x, n, p, split_k, strip_begin, strip_end, y, y_f32, TCA__GEMM_EXEC_DOT);
}
