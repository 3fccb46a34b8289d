/* SPDX-License-Identifier: Apache-2.0 */
/* Reference ZipGEMM (spec mma-semantics 6). Expected values come from independent sources:
 *  - an exact integer GEMM (layout tests: small-integer inputs make every partial sum exact, so
 *    any data-movement bug shows independently of the arithmetic; numerics reference 7);
 *  - hand derivations (split ranges, reduction order, specials);
 *  - the format core's decoder (tca_tbe_decode) and the PTX fragment formulas (fragments);
 *  - the plain dense path, which shares no data movement with the compressed one. */
#include <stdlib.h>
#include <string.h>
#include "gemm/gemm_internal.h"
#include "tca/tca.h"
#include "test_util.h"

/* ------------------------------------------------------------------------------ helpers */

static uint16_t *xmalloc16(uint64_t n)
{
    uint16_t *p = malloc((size_t)(n ? n : 1) * sizeof *p);
    ck_assert_ptr_nonnull(p);
    return p;
}
static uint32_t *xmalloc32(uint64_t n)
{
    uint32_t *p = malloc((size_t)(n ? n : 1) * sizeof *p);
    ck_assert_ptr_nonnull(p);
    return p;
}

static tca_tbe_matrix *encode(const uint16_t *w, uint64_t m, uint64_t k)
{
    tca_tbe_matrix *mat = NULL;
    tca_ck_assert_status(tca_tbe_encode(w, m, k, NULL, NULL, &mat), TCA_OK);
    return mat;
}

/* A mix that reaches both streams and the special values: mostly N(0, 1) and N(0, 0.02)
 * (in-window), exact zeros, subnormals, wide exponents, and rare NaN / Inf. */
static uint16_t draw_mixed(tca_prng *r, int allow_special)
{
    const uint64_t c = tca_prng_below(r, 100);
    if (c < 50) return tca_bf16_from_double_rne(tca_prng_normal(r));
    if (c < 70) return tca_bf16_from_double_rne(0.02 * tca_prng_normal(r));
    if (c < 80) return (uint16_t)(tca_prng_below(r, 2) << 15); /* +-0 */
    if (c < 85) return (uint16_t)((tca_prng_below(r, 2) << 15) | (1u + tca_prng_below(r, 127))); /* subnormal */
    if (c < 97 || !allow_special) /* any finite exponent */
        return (uint16_t)((tca_prng_below(r, 2) << 15) | ((1u + tca_prng_below(r, 254)) << 7) | tca_prng_below(r, 128));
    static const uint16_t specials[] = {0x7F80u, 0xFF80u, 0x7FC0u, 0xFFC1u, 0x7F81u};
    return specials[tca_prng_below(r, 5)];
}

static void fill_mixed(tca_prng *r, uint16_t *v, uint64_t n, int allow_special)
{
    for (uint64_t i = 0; i < n; i++) v[i] = draw_mixed(r, allow_special);
}

/* Run the compressed path (both execution modes) and the dense path; require identical bits. */
static void check_paths_agree(const uint16_t *w, uint64_t m, uint64_t k, const uint16_t *x, uint64_t n,
                              const tca_mma_profile *p, uint32_t s, const tca_tbe_matrix *mat)
{
    const uint64_t out = n * m;
    uint16_t *y_d = xmalloc16(out), *y_c = xmalloc16(out), *y_s = xmalloc16(out);
    uint32_t *f_d = xmalloc32(out), *f_c = xmalloc32(out), *f_s = xmalloc32(out);
    tca_ck_assert_status(tca_gemm_dense_ref(w, m, k, x, n, p, s, y_d, f_d), TCA_OK);
    tca_ck_assert_status(tca_gemm_ref(&mat->view, x, n, p, s, y_c, f_c), TCA_OK);
    tca_ck_assert_status(tca__gemm_ref_exec(&mat->view, x, n, p, s, 0, UINT64_MAX, y_s, f_s, TCA__GEMM_EXEC_MMA_SYNC), TCA_OK);
    for (uint64_t i = 0; i < out; i++) {
        ck_assert_msg(f_c[i] == f_d[i] && y_c[i] == y_d[i],
                      "%s M=%llu N=%llu K=%llu S=%u out %llu: compressed %08x/%04x dense %08x/%04x", p->name,
                      (unsigned long long)m, (unsigned long long)n, (unsigned long long)k, s, (unsigned long long)i,
                      (unsigned)f_c[i], (unsigned)y_c[i], (unsigned)f_d[i], (unsigned)y_d[i]);
        ck_assert_msg(f_s[i] == f_d[i] && y_s[i] == y_d[i],
                      "%s M=%llu N=%llu K=%llu S=%u out %llu: mma_sync %08x/%04x dense %08x/%04x", p->name,
                      (unsigned long long)m, (unsigned long long)n, (unsigned long long)k, s, (unsigned long long)i,
                      (unsigned)f_s[i], (unsigned)y_s[i], (unsigned)f_d[i], (unsigned)y_d[i]);
        tca_ck_assert_bits16(y_d[i], tca_bf16_from_f32_rne(f_d[i])); /* spec 6.4: Y = bf16(y_f32) */
    }
    free(y_d), free(y_c), free(y_s), free(f_d), free(f_c), free(f_s);
}

/* ------------------------------------------------------------------------- split ranges */

START_TEST(test_gemm_split_range_hand_values)
{
    uint64_t b, e;
    /* K = 640: T = 10, S = 3 -> floor(0), floor(10/3) = 3, floor(20/3) = 6, 10 */
    tca_gemm_split_range(640, 3, 0, &b, &e);
    ck_assert_uint_eq(b, 0); ck_assert_uint_eq(e, 3);
    tca_gemm_split_range(640, 3, 1, &b, &e);
    ck_assert_uint_eq(b, 3); ck_assert_uint_eq(e, 6);
    tca_gemm_split_range(640, 3, 2, &b, &e);
    ck_assert_uint_eq(b, 6); ck_assert_uint_eq(e, 10);
    /* K = 65: T = 2 (ragged K counts its partial tile) */
    tca_gemm_split_range(65, 2, 1, &b, &e);
    ck_assert_uint_eq(b, 1); ck_assert_uint_eq(e, 2);
    /* K = 1: T = 1 */
    tca_gemm_split_range(1, 1, 0, &b, &e);
    ck_assert_uint_eq(b, 0); ck_assert_uint_eq(e, 1);
    /* K = 448 (T = 7), S = 4: 0, 1 (7/4), 3 (14/4), 5 (21/4), 7 */
    static const uint64_t edges[] = {0, 1, 3, 5, 7};
    for (uint32_t s = 0; s < 4; s++) {
        tca_gemm_split_range(448, 4, s, &b, &e);
        ck_assert_uint_eq(b, edges[s]);
        ck_assert_uint_eq(e, edges[s + 1]);
    }
}
END_TEST

START_TEST(test_gemm_split_range_partitions)
{
    /* For every T and S <= T: the splits are non-empty, contiguous and cover [0, T). */
    for (uint64_t t = 1; t <= 70; t++)
        for (uint32_t s_count = 1; s_count <= t; s_count++) {
            uint64_t next = 0;
            for (uint32_t s = 0; s < s_count; s++) {
                uint64_t b, e;
                tca_gemm_split_range(64 * t - (t % 3), s_count, s, &b, &e); /* some ragged K */
                ck_assert_uint_eq(b, next);
                ck_assert_uint_gt(e, b);
                next = e;
            }
            ck_assert_uint_eq(next, t);
        }
    /* the largest K: T = 2^26, no overflow */
    uint64_t b, e;
    tca_gemm_split_range(1ull << 32, 3, 2, &b, &e);
    ck_assert_uint_eq(b, (2ull << 26) / 3); ck_assert_uint_eq(e, 1ull << 26);
}
END_TEST

/* ------------------------------------------------------------------------ parameter checks */

START_TEST(test_gemm_rejects_bad_parameters)
{
    const uint64_t m = 3, k = 130, n = 2; /* T = 3 */
    uint16_t w[3 * 130], x[2 * 130], y[6];
    uint32_t yf[6];
    for (unsigned i = 0; i < 3 * 130; i++) w[i] = 0x3F80;
    for (unsigned i = 0; i < 2 * 130; i++) x[i] = 0x3F80;
    const tca_mma_profile *p = tca_mma_profile_by_name("sm90");
    tca_tbe_matrix *mat = encode(w, m, k);
    for (int i = 0; i < 6; i++) y[i] = 0x1234, yf[i] = 0x12345678u;
    /* spec 6.3: S outside 1..T */
    tca_ck_assert_status(tca_gemm_ref(&mat->view, x, n, p, 0, y, yf), TCA_ERROR_PARAM_SPLIT_K);
    tca_ck_assert_status(tca_gemm_ref(&mat->view, x, n, p, 4, y, yf), TCA_ERROR_PARAM_SPLIT_K);
    tca_ck_assert_status(tca_gemm_dense_ref(w, m, k, x, n, p, 0, y, yf), TCA_ERROR_PARAM_SPLIT_K);
    tca_ck_assert_status(tca_gemm_dense_ref(w, m, k, x, n, p, 4, y, yf), TCA_ERROR_PARAM_SPLIT_K);
    tca_ck_assert_status(tca_gemm_dense_ref(w, m, 64, x, n, p, 2, y, yf), TCA_ERROR_PARAM_SPLIT_K);
    /* shapes and pointers */
    tca_ck_assert_status(tca_gemm_ref(&mat->view, x, 0, p, 1, y, yf), TCA_ERROR_PARAM_SHAPE);
    tca_ck_assert_status(tca_gemm_dense_ref(w, 0, k, x, n, p, 1, y, yf), TCA_ERROR_PARAM_SHAPE);
    tca_ck_assert_status(tca_gemm_dense_ref(w, m, 0, x, n, p, 1, y, yf), TCA_ERROR_PARAM_SHAPE);
    tca_ck_assert_status(tca_gemm_dense_ref(w, m, k, x, UINT64_MAX, p, 1, y, yf), TCA_ERROR_PARAM_SHAPE);
    tca_ck_assert_status(tca_gemm_ref(NULL, x, n, p, 1, y, yf), TCA_ERROR_PARAM_NULL);
    tca_ck_assert_status(tca_gemm_ref(&mat->view, NULL, n, p, 1, y, yf), TCA_ERROR_PARAM_NULL);
    tca_ck_assert_status(tca_gemm_ref(&mat->view, x, n, NULL, 1, y, yf), TCA_ERROR_PARAM_NULL);
    tca_ck_assert_status(tca_gemm_dense_ref(NULL, m, k, x, n, p, 1, y, yf), TCA_ERROR_PARAM_NULL);
    /* nothing was written by any rejected call */
    for (int i = 0; i < 6; i++) tca_ck_assert_bits16(y[i], 0x1234), tca_ck_assert_bits32(yf[i], 0x12345678u);
    /* S = T is accepted */
    tca_ck_assert_status(tca_gemm_ref(&mat->view, x, n, p, 3, y, yf), TCA_OK);
    /* 1 * 1 summed 130 times = 130 (exact) */
    for (int i = 0; i < 6; i++) tca_ck_assert_bits32(yf[i], 0x43020000u);
    tca_tbe_matrix_free(mat);
}
END_TEST

START_TEST(test_gemm_rejects_corrupt_weights)
{
    const uint64_t m = 70, k = 70, n = 3;
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed());
    uint16_t *w = xmalloc16(m * k), *x = xmalloc16(n * k), y[3 * 70];
    fill_mixed(&r, w, m * k, 0);
    fill_mixed(&r, x, n * k, 0);
    tca_tbe_matrix *mat = encode(w, m, k);
    /* Change the spatial indicator of small tile 5 in copies of the planes: its in-window count
     * changes, so the offsets and lengths no longer agree with the bitmaps (spec 7.1). */
    const size_t plane_bytes = 8u * (size_t)(64 * 4); /* G = 2 x 2 = 4 global tiles, 64 words each */
    uint8_t *planes[3];
    tca_tbe_view bad = mat->view;
    uint64_t ind = 0;
    for (int pl = 0; pl < 3; pl++) {
        planes[pl] = malloc(plane_bytes);
        ck_assert_ptr_nonnull(planes[pl]);
        memcpy(planes[pl], mat->view.bitmap[pl], plane_bytes);
        bad.bitmap[pl] = planes[pl];
        for (int byte = 0; byte < 8; byte++) ind |= (uint64_t)planes[pl][8 * 5 + byte] << (8 * byte);
    }
    if (ind != 0)
        for (int pl = 0; pl < 3; pl++) memset(planes[pl] + 8 * 5, 0, 8); /* all fallback now */
    else
        planes[0][8 * 5] = 0x01; /* one element in-window now */
    for (int i = 0; i < 3 * 70; i++) y[i] = 0xABCD;
    tca_status st = tca_gemm_ref(&bad, x, n, tca_mma_profile_by_name("sm90"), 1, y, NULL);
    ck_assert_msg(tca_status_is_format_error(st), "status %s", tca_status_name(st));
    for (int i = 0; i < 3 * 70; i++) tca_ck_assert_bits16(y[i], 0xABCD);
    for (int pl = 0; pl < 3; pl++) free(planes[pl]);
    free(w), free(x);
    tca_tbe_matrix_free(mat);
}
END_TEST

/* ------------------------------------------------------------------------ fragments */

START_TEST(test_gemm_fragments_match_ptx_layout_and_decoder)
{
    /* Each register of each lane holds the pair the PTX A layout names (numerics reference 6.1,
     * element formula: row(a_i) = g + 8((i >> 1) & 1), col(a_i) = 2t + (i & 1) + 8(i >> 2));
     * the tile rebuilt from them equals the format core's decoder output. */
    const uint64_t m = 130, k = 200;
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 1);
    uint16_t *w = xmalloc16(m * k);
    fill_mixed(&r, w, m * k, 1);
    tca_tbe_matrix *mat = encode(w, m, k);
    uint16_t *dec = xmalloc16(m * k);
    tca_ck_assert_status(tca_tbe_decode(&mat->view, dec, m * k), TCA_OK);
    const uint64_t gr = 3, gc = 4;
    static tca__gemm_tile_fragments frag;
    static uint16_t tile[64][64];
    for (uint64_t gm = 0; gm < gr; gm++)
        for (uint64_t gk = 0; gk < gc; gk++) {
            tca__gemm_decode_global_tile(&mat->view, gm * gc + gk, frag);
            for (unsigned med = 0; med < 4; med++)
                for (unsigned s = 0; s < 4; s++)
                    for (unsigned lane = 0; lane < 32; lane++)
                        for (unsigned e = 0; e < 8; e++) {
                            const unsigned g = lane >> 2, t = lane & 3u;
                            const uint64_t row = 64 * gm + 16 * med + g + 8 * ((e >> 1) & 1u);
                            const uint64_t col = 64 * gk + 16 * s + 2 * t + (e & 1u) + 8 * (e >> 2);
                            const uint16_t want = (row < m && col < k) ? w[row * k + col] : 0x0000u;
                            const uint16_t got = (uint16_t)(frag[med][s][lane][e >> 1] >> (16 * (e & 1u)));
                            ck_assert_msg(got == want, "tile (%llu,%llu) med %u s %u lane %u elem %u: %04x != %04x",
                                          (unsigned long long)gm, (unsigned long long)gk, med, s, lane, e, got, want);
                        }
            tca__gemm_fragments_to_tile((const uint32_t(*)[4][32][4])frag, tile);
            for (unsigned rr = 0; rr < 64; rr++)
                for (unsigned cc = 0; cc < 64; cc++) {
                    const uint64_t row = 64 * gm + rr, col = 64 * gk + cc;
                    const uint16_t want = (row < m && col < k) ? dec[row * k + col] : 0x0000u;
                    tca_ck_assert_bits16(tile[rr][cc], want);
                }
        }
    free(w), free(dec);
    tca_tbe_matrix_free(mat);
}
END_TEST

/* ------------------------------------------------------------------------ layout tests */

/* Small values on a 2^-2 grid: W in {-8..8} plus +-0.25, +-0.5 and +-256 (exponents outside any
 * 7-wide window with the integers, so some go to the Full stream), X integers in -8..8. With
 * K <= 300 every partial sum is a multiple of 1/4 below 2^20: exact in binary32 and in every
 * step for F >= 24, so the result is order-independent and equals the integer GEMM. */
static int64_t draw_w_quarters(tca_prng *r, uint16_t *bits)
{
    const uint64_t c = tca_prng_below(r, 20);
    int64_t q; /* value * 4 */
    if (c == 0) q = tca_prng_below(r, 2) ? 1 : -1;
    else if (c == 1) q = tca_prng_below(r, 2) ? 2 : -2;
    else if (c == 2) q = tca_prng_below(r, 2) ? 1024 : -1024;
    else q = 4 * tca_prng_range(r, -8, 8);
    *bits = tca_bf16_from_double_rne((double)q / 4.0);
    return q;
}

static void layout_case(uint64_t m, uint64_t n, uint64_t k, uint64_t seed)
{
    tca_prng r;
    tca_prng_seed(&r, seed);
    uint16_t *w = xmalloc16(m * k), *x = xmalloc16(n * k);
    int64_t *wq = malloc((size_t)(m * k) * sizeof *wq), *xi = malloc((size_t)(n * k) * sizeof *xi);
    ck_assert_ptr_nonnull(wq); ck_assert_ptr_nonnull(xi);
    for (uint64_t i = 0; i < m * k; i++) wq[i] = draw_w_quarters(&r, &w[i]);
    for (uint64_t i = 0; i < n * k; i++) {
        xi[i] = tca_prng_range(&r, -8, 8);
        x[i] = tca_bf16_from_double_rne((double)xi[i]);
    }
    tca_tbe_matrix *mat = encode(w, m, k);
    uint16_t *y = xmalloc16(n * m), *yd = xmalloc16(n * m);
    uint32_t *yf = xmalloc32(n * m), *yfd = xmalloc32(n * m);
    const uint32_t t_count = (uint32_t)((k + 63) / 64);
    const uint32_t splits[] = {1, t_count};
    for (int pi = 0; pi < tca_mma_profile_count(); pi++) {
        const tca_mma_profile *p = tca_mma_profile_at(pi);
        for (int si = 0; si < 2; si++) {
            tca_ck_assert_status(tca_gemm_ref(&mat->view, x, n, p, splits[si], y, yf), TCA_OK);
            tca_ck_assert_status(tca_gemm_dense_ref(w, m, k, x, n, p, splits[si], yd, yfd), TCA_OK);
            for (uint64_t in = 0; in < n; in++)
                for (uint64_t im = 0; im < m; im++) {
                    int64_t sum = 0; /* exact, in quarters */
                    for (uint64_t kk = 0; kk < k; kk++) sum += wq[im * k + kk] * xi[in * k + kk];
                    const double exact = (double)sum / 4.0;
                    const uint32_t want_f = tca_f32_from_double_rne(exact);
                    const uint16_t want = tca_bf16_from_double_rne(exact);
                    const uint64_t o = in * m + im;
                    ck_assert_msg(yf[o] == want_f && y[o] == want && yfd[o] == want_f && yd[o] == want,
                                  "%s M=%llu N=%llu K=%llu S=%u Y[%llu][%llu]: got %08x/%04x dense %08x/%04x "
                                  "want %08x/%04x",
                                  p->name, (unsigned long long)m, (unsigned long long)n, (unsigned long long)k,
                                  splits[si], (unsigned long long)in, (unsigned long long)im, (unsigned)yf[o],
                                  (unsigned)y[o], (unsigned)yfd[o], (unsigned)yd[o], (unsigned)want_f, (unsigned)want);
                }
        }
    }
    free(w), free(x), free(wq), free(xi), free(y), free(yd), free(yf), free(yfd);
    tca_tbe_matrix_free(mat);
}

START_TEST(test_gemm_layout_small_integers)
{
    static const uint64_t shapes[][3] = {/* M, N, K */
                                         {1, 1, 1},   {1, 65, 1},  {65, 1, 3},  {64, 8, 64}, {130, 17, 200},
                                         {3, 9, 300}, {128, 1, 128}, {66, 13, 129}, {130, 200, 17}};
    const uint64_t seed = tca_test_seed();
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        layout_case(shapes[i][0], shapes[i][1], shapes[i][2], tca_prng_derive(seed, 100 + i));
}
END_TEST

/* -------------------------------------------------------------- compressed == dense */

START_TEST(test_gemm_compressed_equals_dense)
{
    /* every profile, every S in 1..T, ragged shapes, inputs with zeros, subnormals, wide
     * exponents, NaN and Inf in both operands */
    static const uint64_t shapes[][3] = {/* M, N, K */
                                         {1, 1, 1},    {1, 65, 1},   {65, 1, 3},    {130, 17, 200},
                                         {130, 200, 17}, {70, 9, 453}, {64, 8, 256}, {2, 3, 64 * 5 + 1}};
    const uint64_t seed = tca_test_seed();
    const uint64_t extra = tca_test_count(0, 4);
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0] + extra; i++) {
        tca_prng r;
        tca_prng_seed(&r, tca_prng_derive(seed, 200 + i));
        uint64_t m, n, k;
        if (i < sizeof shapes / sizeof shapes[0]) {
            m = shapes[i][0], n = shapes[i][1], k = shapes[i][2];
        } else { /* full tier: random shapes */
            m = 1 + tca_prng_below(&r, 200), n = 1 + tca_prng_below(&r, 40), k = 1 + tca_prng_below(&r, 700);
        }
        uint16_t *w = xmalloc16(m * k), *x = xmalloc16(n * k);
        fill_mixed(&r, w, m * k, 1);
        fill_mixed(&r, x, n * k, 1);
        tca_tbe_matrix *mat = encode(w, m, k);
        const uint32_t t_count = (uint32_t)((k + 63) / 64);
        for (int pi = 0; pi < tca_mma_profile_count(); pi++)
            for (uint32_t s = 1; s <= t_count; s++)
                check_paths_agree(w, m, k, x, n, tca_mma_profile_at(pi), s, mat);
        free(w), free(x);
        tca_tbe_matrix_free(mat);
    }
}
END_TEST

START_TEST(test_gemm_finite_inputs_compressed_equals_dense)
{
    /* Without specials, the arithmetic differences between S values show up in FP32 (numerics
     * reference 7), and the paths must still agree bit for bit. */
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(tca_test_seed(), 300));
    const uint64_t m = 67, n = 11, k = 64 * 6 - 5;
    uint16_t *w = xmalloc16(m * k), *x = xmalloc16(n * k);
    for (uint64_t i = 0; i < m * k; i++) w[i] = tca_bf16_from_double_rne(0.02 * tca_prng_normal(&r));
    for (uint64_t i = 0; i < n * k; i++) x[i] = tca_bf16_from_double_rne(tca_prng_normal(&r));
    tca_tbe_matrix *mat = encode(w, m, k);
    for (uint32_t s = 1; s <= 6; s++) check_paths_agree(w, m, k, x, n, tca_mma_profile_by_name("sm90"), s, mat);
    check_paths_agree(w, m, k, x, n, tca_mma_profile_by_name("sm80"), 3, mat);
    free(w), free(x);
    tca_tbe_matrix_free(mat);
}
END_TEST

/* ------------------------------------------------------------------ split-K contract */

START_TEST(test_gemm_no_split_is_one_chain)
{
    /* S = 1: per output one chain of tca_mma_dot_f32 over all k16 chunks from +0, then BF16. */
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(tca_test_seed(), 400));
    const uint64_t m = 20, n = 5, k = 64 * 3 + 7;
    uint16_t *w = xmalloc16(m * k), *x = xmalloc16(n * k);
    fill_mixed(&r, w, m * k, 0);
    fill_mixed(&r, x, n * k, 0);
    tca_tbe_matrix *mat = encode(w, m, k);
    uint16_t y[20 * 5];
    uint32_t yf[20 * 5];
    for (int pi = 0; pi < tca_mma_profile_count(); pi++) {
        const tca_mma_profile *p = tca_mma_profile_at(pi);
        tca_ck_assert_status(tca_gemm_ref(&mat->view, x, n, p, 1, y, yf), TCA_OK);
        for (uint64_t in = 0; in < n; in++)
            for (uint64_t im = 0; im < m; im++) {
                uint32_t acc = 0;
                for (uint64_t k0 = 0; k0 < 256; k0 += 16) {
                    uint16_t a[16], b[16];
                    for (unsigned i = 0; i < 16; i++) {
                        a[i] = k0 + i < k ? w[im * k + k0 + i] : 0;
                        b[i] = k0 + i < k ? x[in * k + k0 + i] : 0;
                    }
                    acc = tca_mma_dot_f32(p, TCA_MMA_IN_BF16, a, b, 16, acc);
                }
                tca_ck_assert_bits32(yf[in * m + im], acc);
                tca_ck_assert_bits16(y[in * m + im], tca_bf16_from_f32_rne(acc));
            }
    }
    free(w), free(x);
    tca_tbe_matrix_free(mat);
}
END_TEST

START_TEST(test_gemm_split_reduction_order_is_visible)
{
    /* M = N = 1, K = 192 (T = 3). Partials per K tile, each exact in one step for F >= 24:
     *   tile 0: 1 * 1 + 2^-8 * 1     = 1 + 2^-8  (0x3F808000, a BF16 tie)
     *   tile 1: 2^-24 * 1            = 2^-24     (half an f32 ulp of tile 0's partial)
     *   tile 2: 2^-24 * 1            = 2^-24
     * S = 3 (stated order): (p0 + p1) + p2: 1+2^-8+2^-24 ties to even 0x3F808000, twice
     *   -> y_f32 0x3F808000, BF16 tie to even -> 0x3F80.
     *   (p0 + (p1 + p2) would give 0x3F808001 and BF16 0x3F81.)
     * S = 2 (tiles [0,1) and [1,3)): p1 = 2^-24 + 2^-24 = 2^-23 exactly -> 0x3F808001, 0x3F81.
     * S = 1: one chain; each 2^-24 product lies below the f32 grid of c = 1 + 2^-8 and is
     *   dropped by the final RZ -> 0x3F808000, 0x3F80. */
    const uint64_t k = 192;
    uint16_t w[192] = {0}, x[192] = {0};
    w[0] = 0x3F80, x[0] = 0x3F80;   /* 1 * 1 */
    w[1] = 0x3B80, x[1] = 0x3F80;   /* 2^-8 * 1 */
    w[64] = 0x3380, x[64] = 0x3F80; /* 2^-24 * 1 */
    w[128] = 0x3380, x[128] = 0x3F80;
    tca_tbe_matrix *mat = encode(w, 1, k);
    static const uint32_t want_f[4] = {0, 0x3F808000u, 0x3F808001u, 0x3F808000u};
    static const uint16_t want[4] = {0, 0x3F80, 0x3F81, 0x3F80};
    for (int pi = 0; pi < tca_mma_profile_count(); pi++)
        for (uint32_t s = 1; s <= 3; s++) {
            uint16_t y = 0, yd = 0;
            uint32_t yf = 0, yfd = 0;
            const tca_mma_profile *p = tca_mma_profile_at(pi);
            tca_ck_assert_status(tca_gemm_ref(&mat->view, x, 1, p, s, &y, &yf), TCA_OK);
            tca_ck_assert_status(tca_gemm_dense_ref(w, 1, k, x, 1, p, s, &yd, &yfd), TCA_OK);
            ck_assert_msg(yf == want_f[s] && y == want[s] && yfd == want_f[s] && yd == want[s],
                          "%s S=%u: got %08x/%04x dense %08x/%04x want %08x/%04x", p->name, s, yf, y, yfd, yd,
                          want_f[s], want[s]);
        }
    tca_tbe_matrix_free(mat);
}
END_TEST

/* ------------------------------------------------------------------------ specials */

START_TEST(test_gemm_nan_inf_propagation)
{
    /* M = 5 rows, K = 130 (T = 3), N = 2 with X = 1 everywhere except X[1][0] = 0.
     *  row 0: a NaN weight                 -> NaN: y_f32 0x7FFFFFFF, Y 0x7FFF
     *  row 1: +Inf at k = 0, others 0      -> +Inf for n = 0 (0x7F800000, 0x7F80);
     *                                         Inf * 0 for n = 1 -> NaN
     *  row 2: +Inf at k = 0, -Inf at k = 70 -> S = 1: one chain meets -Inf with c = +Inf -> NaN;
     *                                         S = 2 / 3: partials +Inf and -Inf, their binary32
     *                                         sum is NaN (0x7FFFFFFF)
     *  row 3: -Inf at k = 129 (last, partial tile) -> -Inf (0xFF800000, 0xFF80)
     *  row 4: 2^127 at k = 0..3            -> 4 * 2^127 overflows a step: +Inf */
    const uint64_t m = 5, k = 130, n = 2;
    uint16_t w[5 * 130] = {0}, x[2 * 130];
    for (unsigned i = 0; i < 2 * 130; i++) x[i] = 0x3F80;
    x[130] = 0x0000;
    w[0 * k + 17] = 0x7FC1;
    w[1 * k + 0] = 0x7F80;
    w[2 * k + 0] = 0x7F80, w[2 * k + 70] = 0xFF80;
    w[3 * k + 129] = 0xFF80;
    for (unsigned i = 0; i < 4; i++) w[4 * k + i] = 0x7F00;
    tca_tbe_matrix *mat = encode(w, m, k);
    static const uint32_t want_f[2][5] = {{0x7FFFFFFFu, 0x7F800000u, 0x7FFFFFFFu, 0xFF800000u, 0x7F800000u},
                                          {0x7FFFFFFFu, 0x7FFFFFFFu, 0x7FFFFFFFu, 0xFF800000u, 0x7F800000u}};
    static const uint16_t want[2][5] = {{0x7FFF, 0x7F80, 0x7FFF, 0xFF80, 0x7F80},
                                        {0x7FFF, 0x7FFF, 0x7FFF, 0xFF80, 0x7F80}};
    for (int pi = 0; pi < tca_mma_profile_count(); pi++)
        for (uint32_t s = 1; s <= 3; s++) {
            uint16_t y[10], yd[10];
            uint32_t yf[10], yfd[10];
            const tca_mma_profile *p = tca_mma_profile_at(pi);
            tca_ck_assert_status(tca_gemm_ref(&mat->view, x, n, p, s, y, yf), TCA_OK);
            tca_ck_assert_status(tca_gemm_dense_ref(w, m, k, x, n, p, s, yd, yfd), TCA_OK);
            for (unsigned in = 0; in < 2; in++)
                for (unsigned im = 0; im < 5; im++) {
                    const unsigned o = in * 5 + im;
                    ck_assert_msg(yf[o] == want_f[in][im] && y[o] == want[in][im] && yfd[o] == yf[o] && yd[o] == y[o],
                                  "%s S=%u Y[%u][%u]: got %08x/%04x dense %08x/%04x want %08x/%04x", p->name, s, in,
                                  im, yf[o], y[o], yfd[o], yd[o], want_f[in][im], want[in][im]);
                }
        }
    tca_tbe_matrix_free(mat);
}
END_TEST

START_TEST(test_gemm_nan_in_activations)
{
    /* A NaN activation poisons its whole output row: every Y[n][m] with that n is 0x7FFF. */
    const uint64_t m = 70, k = 65, n = 3;
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(tca_test_seed(), 500));
    uint16_t *w = xmalloc16(m * k), *x = xmalloc16(n * k);
    for (uint64_t i = 0; i < m * k; i++) w[i] = tca_bf16_from_double_rne(tca_prng_normal(&r));
    for (uint64_t i = 0; i < n * k; i++) x[i] = tca_bf16_from_double_rne(tca_prng_normal(&r));
    x[1 * k + 64] = 0xFFC3; /* in the partial last tile */
    tca_tbe_matrix *mat = encode(w, m, k);
    uint16_t y[3 * 70];
    uint32_t yf[3 * 70];
    tca_ck_assert_status(tca_gemm_ref(&mat->view, x, n, tca_mma_profile_by_name("sm90"), 2, y, yf), TCA_OK);
    for (uint64_t im = 0; im < m; im++) {
        tca_ck_assert_bits32(yf[1 * m + im], 0x7FFFFFFFu);
        tca_ck_assert_bits16(y[1 * m + im], 0x7FFF);
        ck_assert(!tca_f32_is_nan(yf[im]) && !tca_f32_is_nan(yf[2 * m + im]));
    }
    free(w), free(x);
    tca_tbe_matrix_free(mat);
}
END_TEST

START_TEST(test_gemm_strips_equal_whole)
{
    /* Disjoint strip ranges fill exactly their rows with tca_gemm_ref's bits, nothing else. */
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(tca_test_seed(), 600));
    const uint64_t m = 64 * 4 + 9, n = 7, k = 150; /* 5 strips */
    uint16_t *w = xmalloc16(m * k), *x = xmalloc16(n * k), *y = xmalloc16(n * m), *ys = xmalloc16(n * m);
    uint32_t *yf = xmalloc32(n * m), *yfs = xmalloc32(n * m);
    fill_mixed(&r, w, m * k, 1);
    fill_mixed(&r, x, n * k, 1);
    tca_tbe_matrix *mat = encode(w, m, k);
    const tca_mma_profile *p = tca_mma_profile_by_name("sm90");
    tca_ck_assert_status(tca_gemm_ref(&mat->view, x, n, p, 2, y, yf), TCA_OK);
    for (uint64_t i = 0; i < n * m; i++) ys[i] = 0xAAAA, yfs[i] = 0xAAAAAAAAu;
    static const uint64_t cuts[] = {0, 2, 2, 3, 5};
    for (int c = 0; c < 4; c++) {
        tca_ck_assert_status(tca_gemm_ref_strips(&mat->view, x, n, p, 2, cuts[c], cuts[c + 1], ys, yfs), TCA_OK);
        for (uint64_t in = 0; in < n; in++) /* rows beyond this range are still untouched */
            for (uint64_t im = 64 * cuts[c + 1]; im < m; im++) tca_ck_assert_bits16(ys[in * m + im], 0xAAAA);
    }
    for (uint64_t i = 0; i < n * m; i++) {
        tca_ck_assert_bits16(ys[i], y[i]);
        tca_ck_assert_bits32(yfs[i], yf[i]);
    }
    tca_ck_assert_status(tca_gemm_ref_strips(&mat->view, x, n, p, 2, 3, 2, ys, yfs), TCA_ERROR_PARAM_INVALID);
    tca_ck_assert_status(tca_gemm_ref_strips(&mat->view, x, n, p, 2, 0, 6, ys, yfs), TCA_ERROR_PARAM_INVALID);
    free(w), free(x), free(y), free(ys), free(yf), free(yfs);
    tca_tbe_matrix_free(mat);
}
END_TEST

Suite *tca_gemm_suite(void);
Suite *tca_gemm_suite(void)
{
    Suite *s = suite_create("gemm");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_gemm_split_range_hand_values);
    tcase_add_test(tc, test_gemm_split_range_partitions);
    tcase_add_test(tc, test_gemm_rejects_bad_parameters);
    tcase_add_test(tc, test_gemm_rejects_corrupt_weights);
    tcase_add_test(tc, test_gemm_fragments_match_ptx_layout_and_decoder);
    tcase_add_test(tc, test_gemm_layout_small_integers);
    tcase_add_test(tc, test_gemm_compressed_equals_dense);
    tcase_add_test(tc, test_gemm_finite_inputs_compressed_equals_dense);
    tcase_add_test(tc, test_gemm_no_split_is_one_chain);
    tcase_add_test(tc, test_gemm_split_reduction_order_is_visible);
    tcase_add_test(tc, test_gemm_nan_inf_propagation);
    tcase_add_test(tc, test_gemm_nan_in_activations);
    tcase_add_test(tc, test_gemm_strips_equal_whole);
    suite_add_tcase(s, tc);
    return s;
}
