/* SPDX-License-Identifier: Apache-2.0 */
/* GPU test of the CUDA kernels of both layouts (v1, spec 6, and F, spec 8) against the reference
 * implementation (libtca), bit for bit:
 *   - decompressor vs the original weights (the encoders are lossless, spec 4) over ragged shapes,
 *     layout F encoded by tca_tbe_f_encode;
 *   - ZipGEMM on layout F (the v1 matrix transcoded by tca_tbe_f_from_v1) against the same
 *     tca_gemm_ref results (computed on the v1 encoding) as the v1 kernel, same X, N and S;
 *   - layout F's two decode paths: a pattern family with exact per-lane exception counts 0..10
 *     (lanes at 8 take the per-strip window, strips with a lane above 8 the per-slice path) and
 *     a mixed family (10 % out of window);
 *   - ZipGEMM Y and the FP32 value before rounding vs tca_gemm_ref with the GPU's profile
 *     (sm90 on Hopper, sm80 on Ampere), for N in {1,2,3,8,16,17,32,64,128}, S in {1,2,3,5,T};
 *   - weight families: Gaussian sigma 0.02, special values (NaN, Inf, +-0, subnormals), wide
 *     exponent range, all-fallback (window forced away from the data), and small integers;
 *   - every output buffer is poisoned first, with guard elements after it: every element must be
 *     written, nothing after it;
 *   - argument validation of the host API.
 * Exit 0 pass, 1 fail, 77 no GPU (CTest SKIP_RETURN_CODE). Seed: TCA_TEST_SEED (default fixed);
 * TCA_CHECK_EXPENSIVE=1 runs more cases. */
#include <cuda_runtime.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vector>
#include "tca/bf16.h"
#include "tca/gemm.h"
#include "tca/mma.h"
#include "tca/prng.h"
#include "tca/tbe.h"
#include "tca/tbe_f.h"
#include "tca_cuda.h"

static int g_failures = 0;
static int g_cases = 0;

#define EXPECT(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            ++g_failures;                                                                          \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                   \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fprintf(stderr, "\n");                                                                 \
        }                                                                                          \
    } while (0)

#define CUDA_OK(call)                                                                              \
    do {                                                                                           \
        cudaError_t e_ = (call);                                                                   \
        if (e_ != cudaSuccess) {                                                                   \
            fprintf(stderr, "CUDA error %s at %s:%d\n", cudaGetErrorString(e_), __FILE__, __LINE__); \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

enum Family { GAUSS, SPECIALS, WIDE, ALL_FALLBACK, SMALL_INT, MIXED, LANE_PATTERN, NFAMILIES };
static const char *family_name[] = {"gauss", "specials", "wide", "all-fallback", "small-int", "mixed", "lane-pattern"};

/* LANE_PATTERN (layout F, spec 8.2/8.5): element (r, c) belongs to lane l = 4 (r % 8) + (c % 8) / 2
 * with lane element index e = 8 i + n, i = (c % 64) / 16, n = 2 ((r % 16) / 8 + 2 ((c % 16) / 8)) +
 * c % 2. It is a fallback element iff e < cnt, with cnt = (l + strip + kt) % 9 when strip + kt is
 * even (every lane <= 8: the per-strip window path, lanes at exactly 8) and % 11 otherwise (lanes
 * with 9 or 10: the per-slice path). In-window values have exponents 120..126 (the window the
 * encoder picks, spec 4.5); fallback exponents vary with e so a wrong rank picks a wrong byte. */
static uint16_t lane_pattern_value(uint64_t r, uint64_t c, tca_prng *rng) {
    const unsigned l = 4 * (unsigned)(r % 8) + (unsigned)(c % 8) / 2;
    const unsigned e = 8 * (unsigned)((c % 64) / 16) + 2 * ((unsigned)((r % 16) / 8) + 2 * (unsigned)((c % 16) / 8)) +
                       (unsigned)(c % 2);
    const unsigned strip = (unsigned)(r / 16), kt = (unsigned)(c / 64);
    const unsigned cnt = (l + strip + kt) % (((strip + kt) & 1) ? 11 : 9);
    const uint16_t sm = (uint16_t)(tca_prng_u32(rng) & 0x807F);
    if (e < cnt) return (uint16_t)(sm | ((1 + (e * 37 + l) % 100) << 7)); /* exponent 1..100 */
    return (uint16_t)(sm | ((120 + tca_prng_below(rng, 7)) << 7));
}

static uint16_t gauss_bf16(tca_prng *r, double sigma) { return tca_bf16_from_double_rne(sigma * tca_prng_normal(r)); }

static void fill(std::vector<uint16_t> &w, Family f, tca_prng *r, uint64_t cols = 1) {
    if (f == LANE_PATTERN) {
        for (size_t i = 0; i < w.size(); ++i) w[i] = lane_pattern_value(i / cols, i % cols, r);
        return;
    }
    for (auto &v : w) {
        switch (f) {
        case GAUSS: v = gauss_bf16(r, 0.02); break;
        case SPECIALS: {
            static const uint16_t sp[] = {0x0000, 0x8000, 0x7F80, 0xFF80, 0x7FC0, 0x7FC1, 0xFFFF, 0x0001,
                                          0x8005, 0x007F, 0x0080, 0x7F7F, 0xFF7F};
            v = tca_prng_below(r, 8) == 0 ? sp[tca_prng_below(r, sizeof sp / sizeof sp[0])] : gauss_bf16(r, 0.02);
            break;
        }
        case WIDE: /* any finite exponent, random sign and mantissa */
            v = (uint16_t)((tca_prng_u32(r) & 0x807F) | ((1 + tca_prng_below(r, 253)) << 7));
            break;
        case ALL_FALLBACK: v = gauss_bf16(r, 0.02); break; /* window forced away from the data */
        case SMALL_INT: v = tca_bf16_from_double_rne((double)tca_prng_range(r, -8, 8)); break;
        case MIXED: /* about 10 % out of window: some lanes above 8 exceptions per strip (layout F) */
            v = tca_prng_below(r, 10) == 0 ? (uint16_t)((tca_prng_u32(r) & 0x807F) | ((1 + tca_prng_below(r, 253)) << 7))
                                           : gauss_bf16(r, 0.02);
            break;
        default: v = 0;
        }
    }
}

static void fill_x(std::vector<uint16_t> &x, Family f, tca_prng *r) {
    for (auto &v : x) {
        if (f == SMALL_INT) v = tca_bf16_from_double_rne((double)tca_prng_range(r, -8, 8));
        else if (f == SPECIALS && tca_prng_below(r, 64) == 0) v = 0x7F80;
        else v = gauss_bf16(r, 1.0);
    }
}

static void encode_options(Family f, tca_tbe_encode_options *opt) {
    tca_tbe_encode_options_default(opt);
    if (f == ALL_FALLBACK) opt->window_start = 200; /* no Gaussian weight has exponent 200..206 */
}

static tca_tbe_matrix *encode(const std::vector<uint16_t> &w, uint64_t m, uint64_t k, Family f) {
    tca_tbe_encode_options opt;
    encode_options(f, &opt);
    tca_tbe_matrix *mat = NULL;
    tca_status st = tca_tbe_encode(w.data(), m, k, &opt, NULL, &mat);
    if (st != TCA_OK) {
        fprintf(stderr, "encode failed: %s\n", tca_status_name(st));
        exit(1);
    }
    return mat;
}

static tca_tbe_f_matrix *encode_f(const std::vector<uint16_t> &w, uint64_t m, uint64_t k, Family f) {
    tca_tbe_encode_options opt;
    encode_options(f, &opt);
    tca_tbe_f_matrix *mat = NULL;
    tca_status st = tca_tbe_f_encode(w.data(), m, k, &opt, NULL, &mat);
    if (st != TCA_OK) {
        fprintf(stderr, "layout F encode failed: %s\n", tca_status_name(st));
        exit(1);
    }
    return mat;
}

static const uint16_t kPoison16 = 0xA5A5;
static const uint32_t kPoison32 = 0xA5A5A5A5u;
static const size_t kGuard = 64;

/* Decompress an uploaded matrix into a poisoned buffer with guards; compare with the weights. */
static void check_decompress(tca_cuda_matrix *dm, const std::vector<uint16_t> &w, uint64_t m, uint64_t k, Family f,
                             const char *layout) {
    const size_t n = m * k + kGuard;
    uint16_t *d = NULL;
    CUDA_OK(cudaMalloc(&d, n * 2));
    std::vector<uint16_t> host(n, kPoison16);
    CUDA_OK(cudaMemcpy(d, host.data(), n * 2, cudaMemcpyHostToDevice));
    tca_status st = tca_cuda_decompress(dm, d, m * k, NULL);
    EXPECT(st == TCA_OK, "decompress (%s) %s", layout, tca_status_name(st));
    CUDA_OK(cudaDeviceSynchronize());
    CUDA_OK(cudaMemcpy(host.data(), d, n * 2, cudaMemcpyDeviceToHost));
    size_t bad = 0, first = 0;
    for (size_t i = 0; i < m * k; ++i)
        if (host[i] != w[i] && bad++ == 0) first = i;
    size_t guard_bad = 0;
    for (size_t i = m * k; i < n; ++i) guard_bad += host[i] != kPoison16;
    ++g_cases;
    EXPECT(bad == 0, "decompress (%s) %llux%llu %s: %zu of %llu differ (first at %zu: got %04X want %04X)", layout,
           (unsigned long long)m, (unsigned long long)k, family_name[f], bad, (unsigned long long)(m * k), first,
           host[first], w[first]);
    EXPECT(guard_bad == 0, "decompress (%s) %llux%llu wrote %zu guard elements", layout, (unsigned long long)m,
           (unsigned long long)k, guard_bad);
    EXPECT(tca_cuda_matrix_check(dm) == TCA_OK, "device error word set (%s)", layout);
    cudaFree(d);
}

static void test_decompress(uint64_t m, uint64_t k, Family f, tca_prng *r) {
    std::vector<uint16_t> w(m * k);
    fill(w, f, r, k);
    tca_tbe_matrix *mat = encode(w, m, k, f);
    tca_cuda_matrix *dm = NULL;
    tca_status st = tca_cuda_matrix_upload(&mat->view, &dm);
    EXPECT(st == TCA_OK, "upload %s", tca_status_name(st));
    if (st == TCA_OK) {
        check_decompress(dm, w, m, k, f, "v1");
        tca_cuda_matrix_free(dm);
    }
    tca_tbe_matrix_free(mat);
    /* layout F, from the layout F encoder (spec 8) */
    tca_tbe_f_matrix *fm = encode_f(w, m, k, f);
    dm = NULL;
    st = tca_cuda_matrix_upload_f(&fm->view, &dm);
    EXPECT(st == TCA_OK && tca_cuda_matrix_layout(dm) == TCA_LAYOUT_F, "upload_f %s", tca_status_name(st));
    if (st == TCA_OK) {
        check_decompress(dm, w, m, k, f, "F");
        tca_cuda_matrix_free(dm);
    }
    tca_tbe_f_matrix_free(fm);
}

struct GemmFixture {
    uint64_t m, k;
    Family f;
    std::vector<uint16_t> w;
    tca_tbe_matrix *mat;     /* layout v1: the reference's input */
    tca_cuda_matrix *dm;     /* v1 on the device */
    tca_tbe_f_matrix *fmat;  /* the same matrix in layout F (tca_tbe_f_from_v1, spec 8.9) */
    tca_cuda_matrix *dmf;    /* F on the device (NULL if the upload failed) */
};

/* Run ZipGEMM on one uploaded matrix with X already on the device; compare Y and the FP32 value
 * before rounding with the reference, bit for bit, plus guard elements; then the BF16-only path. */
static void check_gemm(tca_cuda_matrix *dm, const char *layout, const GemmFixture &fx, const uint16_t *dx, uint64_t n,
                       uint32_t split, const std::vector<uint16_t> &yref, const std::vector<uint32_t> &fref) {
    const uint64_t m = fx.m, k = fx.k;
    uint16_t *dy = NULL;
    uint32_t *df = NULL;
    const size_t ny = n * m + kGuard;
    std::vector<uint16_t> hy(ny, kPoison16);
    std::vector<uint32_t> hf(ny, kPoison32);
    CUDA_OK(cudaMalloc(&dy, ny * 2));
    CUDA_OK(cudaMalloc(&df, ny * 4));
    CUDA_OK(cudaMemcpy(dy, hy.data(), ny * 2, cudaMemcpyHostToDevice));
    CUDA_OK(cudaMemcpy(df, hf.data(), ny * 4, cudaMemcpyHostToDevice));
    tca_status st = tca_cuda_gemm(dm, dx, n, split, dy, df, NULL, 0, NULL);
    EXPECT(st == TCA_OK, "gemm (%s) %s", layout, tca_status_name(st));
    CUDA_OK(cudaDeviceSynchronize());
    CUDA_OK(cudaMemcpy(hy.data(), dy, ny * 2, cudaMemcpyDeviceToHost));
    CUDA_OK(cudaMemcpy(hf.data(), df, ny * 4, cudaMemcpyDeviceToHost));
    size_t bad_y = 0, bad_f = 0, first = 0, guard_bad = 0;
    for (size_t i = 0; i < n * m; ++i) {
        if (hy[i] != yref[i] && bad_y++ == 0) first = i;
        bad_f += hf[i] != fref[i];
    }
    for (size_t i = n * m; i < ny; ++i) guard_bad += hy[i] != kPoison16 || hf[i] != kPoison32;
    ++g_cases;
    EXPECT(bad_y == 0 && bad_f == 0 && guard_bad == 0,
           "gemm (%s) M=%llu K=%llu N=%llu S=%u %s: %zu BF16 and %zu FP32 of %llu differ, %zu guard writes "
           "(first %zu: got %04X want %04X, f32 got %08X want %08X)",
           layout, (unsigned long long)m, (unsigned long long)k, (unsigned long long)n, split, family_name[fx.f],
           bad_y, bad_f, (unsigned long long)(n * m), guard_bad, first, hy[first], yref[first], hf[first],
           fref[first]);
    /* BF16-only output path (y_f32 NULL) must give the same Y. */
    CUDA_OK(cudaMemcpy(dy, std::vector<uint16_t>(ny, kPoison16).data(), ny * 2, cudaMemcpyHostToDevice));
    st = tca_cuda_gemm(dm, dx, n, split, dy, NULL, NULL, 0, NULL);
    CUDA_OK(cudaDeviceSynchronize());
    CUDA_OK(cudaMemcpy(hy.data(), dy, ny * 2, cudaMemcpyDeviceToHost));
    bad_y = 0;
    for (size_t i = 0; i < n * m; ++i) bad_y += hy[i] != yref[i];
    ++g_cases;
    EXPECT(st == TCA_OK && bad_y == 0, "gemm (%s, y only) M=%llu K=%llu N=%llu S=%u: %zu differ", layout,
           (unsigned long long)m, (unsigned long long)k, (unsigned long long)n, split, bad_y);
    cudaFree(dy);
    cudaFree(df);
}

/* S > 1 with a caller-provided workspace whose previous contents are arbitrary: random bytes, all
 * ones, all zeros, then the same workspace again (what the previous call left). The API promises
 * that a workspace needs no initialisation; every run must give the reference Y. */
static void check_gemm_workspace(tca_cuda_matrix *dm, const char *layout, const GemmFixture &fx, const uint16_t *dx,
                                 uint64_t n, uint32_t split, const std::vector<uint16_t> &yref, tca_prng *r) {
    const uint64_t m = fx.m;
    size_t wsb = 0;
    tca_status st = tca_cuda_gemm_workspace_size(dm, n, split, &wsb);
    EXPECT(st == TCA_OK && wsb > 0, "workspace size (%s) S=%u: %s %zu", layout, split, tca_status_name(st), wsb);
    if (st != TCA_OK || wsb == 0) return;
    std::vector<uint8_t> fill_bytes(wsb);
    void *ws = NULL;
    uint16_t *dy = NULL;
    CUDA_OK(cudaMalloc(&ws, wsb));
    CUDA_OK(cudaMalloc(&dy, n * m * 2));
    for (int pass = 0; pass < 4; ++pass) {
        if (pass < 3) {
            for (size_t i = 0; i < wsb; ++i)
                fill_bytes[i] = pass == 0 ? (uint8_t)tca_prng_u64(r) : pass == 1 ? 0xFF : 0x00;
            CUDA_OK(cudaMemcpy(ws, fill_bytes.data(), wsb, cudaMemcpyHostToDevice));
        }
        CUDA_OK(cudaMemset(dy, 0xEE, n * m * 2));
        st = tca_cuda_gemm(dm, dx, n, split, dy, NULL, ws, wsb, NULL);
        CUDA_OK(cudaDeviceSynchronize());
        std::vector<uint16_t> hy(n * m);
        CUDA_OK(cudaMemcpy(hy.data(), dy, n * m * 2, cudaMemcpyDeviceToHost));
        size_t bad = 0;
        for (size_t i = 0; i < n * m; ++i) bad += hy[i] != yref[i];
        ++g_cases;
        EXPECT(st == TCA_OK && bad == 0, "gemm (%s, workspace %s) M=%llu K=%llu N=%llu S=%u: %s, %zu of %llu differ",
               layout, pass == 0 ? "random" : pass == 1 ? "0xFF" : pass == 2 ? "zero" : "reused",
               (unsigned long long)m, (unsigned long long)fx.k, (unsigned long long)n, split, tca_status_name(st), bad,
               (unsigned long long)(n * m));
    }
    cudaFree(dy);
    cudaFree(ws);
}

/* One (N, S) case: the reference on the v1 encoding, then both layouts' kernels on the same X.
 * split = 0 (automatic): each layout has its own rule, so the reference is computed at each
 * layout's automatic S (ref_split is ignored). */
static void test_gemm(GemmFixture &fx, uint64_t n, uint32_t split, uint32_t ref_split, const tca_mma_profile *prof,
                      tca_prng *r) {
    const uint64_t m = fx.m, k = fx.k;
    std::vector<uint16_t> x(n * k);
    fill_x(x, fx.f, r);
    std::vector<uint16_t> yref(n * m);
    std::vector<uint32_t> fref(n * m);
    tca_status st = tca_gemm_ref(&fx.mat->view, x.data(), n, prof, ref_split, yref.data(), fref.data());
    if (st != TCA_OK) {
        fprintf(stderr, "tca_gemm_ref failed: %s\n", tca_status_name(st));
        exit(1);
    }
    uint16_t *dx = NULL;
    CUDA_OK(cudaMalloc(&dx, x.size() * 2));
    CUDA_OK(cudaMemcpy(dx, x.data(), x.size() * 2, cudaMemcpyHostToDevice));
    check_gemm(fx.dm, "v1", fx, dx, n, split, yref, fref);
    if (fx.dmf) {
        const uint32_t f_split = split == 0 ? tca_cuda_gemm_auto_split(fx.dmf, n) : ref_split;
        if (f_split != ref_split) {
            st = tca_gemm_ref(&fx.mat->view, x.data(), n, prof, f_split, yref.data(), fref.data());
            if (st != TCA_OK) {
                fprintf(stderr, "tca_gemm_ref failed: %s\n", tca_status_name(st));
                exit(1);
            }
        }
        check_gemm(fx.dmf, "F", fx, dx, n, split, yref, fref);
        if (f_split > 1) check_gemm_workspace(fx.dmf, "F", fx, dx, n, f_split, yref, r);
    }
    cudaFree(dx);
}

static void test_gemm_shape(uint64_t m, uint64_t k, Family f, const std::vector<uint64_t> &ns,
                            const tca_mma_profile *prof, tca_prng *r) {
    GemmFixture fx;
    fx.m = m;
    fx.k = k;
    fx.f = f;
    fx.w.resize(m * k);
    fill(fx.w, f, r, k);
    fx.mat = encode(fx.w, m, k, f);
    fx.fmat = NULL;
    fx.dmf = NULL;
    tca_status st = tca_tbe_f_from_v1(&fx.mat->view, NULL, &fx.fmat); /* spec 8.9 */
    EXPECT(st == TCA_OK, "tca_tbe_f_from_v1 %s", tca_status_name(st));
    if (st == TCA_OK) {
        st = tca_cuda_matrix_upload_f(&fx.fmat->view, &fx.dmf);
        EXPECT(st == TCA_OK, "upload_f %s", tca_status_name(st));
        if (st != TCA_OK) fx.dmf = NULL;
    }
    st = tca_cuda_matrix_upload(&fx.mat->view, &fx.dm);
    EXPECT(st == TCA_OK, "upload %s", tca_status_name(st));
    if (st == TCA_OK) {
        const uint32_t t = (uint32_t)((k + 63) / 64);
        const uint32_t splits[] = {1, 2, 3, 5, t};
        for (uint64_t n : ns)
            for (int i = 0; i < 5; ++i) {
                const bool dup = i == 4 && (t == 1 || t == 2 || t == 3 || t == 5);
                if (splits[i] <= t && !dup) test_gemm(fx, n, splits[i], splits[i], prof, r);
            }
        /* split_k = 0 selects automatically: the result must equal the reference at that S. */
        const uint64_t n_auto = ns.back();
        const uint32_t s_auto = tca_cuda_gemm_auto_split(fx.dm, n_auto);
        EXPECT(s_auto >= 1 && s_auto <= t, "auto split %u outside 1..%u", s_auto, t);
        const uint32_t s_auto_f = fx.dmf ? tca_cuda_gemm_auto_split(fx.dmf, n_auto) : 1;
        EXPECT(s_auto_f >= 1 && s_auto_f <= t, "F auto split %u outside 1..%u", s_auto_f, t);
        test_gemm(fx, n_auto, 0, s_auto, prof, r);
        EXPECT(tca_cuda_matrix_check(fx.dm) == TCA_OK, "device error word set");
        EXPECT(!fx.dmf || tca_cuda_matrix_check(fx.dmf) == TCA_OK, "device error word set (F)");
        tca_cuda_matrix_free(fx.dm);
    }
    tca_cuda_matrix_free(fx.dmf);
    tca_tbe_f_matrix_free(fx.fmat);
    tca_tbe_matrix_free(fx.mat);
}

static void test_api(tca_prng *r) {
    std::vector<uint16_t> w(64 * 130);
    fill(w, GAUSS, r);
    tca_tbe_matrix *mat = encode(w, 64, 130, GAUSS);
    tca_cuda_matrix *dm = NULL;
    EXPECT(tca_cuda_matrix_upload(NULL, &dm) == TCA_ERROR_PARAM_NULL, "upload NULL view");
    EXPECT(tca_cuda_matrix_upload(&mat->view, NULL) == TCA_ERROR_PARAM_NULL, "upload NULL out");
    /* A corrupted copy (one TOG entry changed) must be rejected by validation, nothing uploaded. */
    {
        tca_tbe_view bad = mat->view;
        tca_tbe_sizes sz;
        tca_tbe_sizes_of(&bad.hdr, &sz);
        std::vector<uint8_t> tog(bad.tog, bad.tog + sz.tog);
        tog[16] ^= 0x10;
        bad.tog = tog.data();
        tca_cuda_matrix *dm2 = NULL;
        tca_status st = tca_cuda_matrix_upload(&bad, &dm2);
        EXPECT(tca_status_is_format_error(st) && dm2 == NULL, "corrupt TOG accepted: %s", tca_status_name(st));
    }
    EXPECT(tca_cuda_matrix_upload(&mat->view, &dm) == TCA_OK, "upload");
    uint16_t *dx = NULL, *dy = NULL;
    CUDA_OK(cudaMalloc(&dx, 4 * 130 * 2));
    CUDA_OK(cudaMalloc(&dy, 64 * 130 * 2));
    EXPECT(tca_cuda_gemm(NULL, dx, 4, 1, dy, NULL, NULL, 0, NULL) == TCA_ERROR_PARAM_NULL, "gemm NULL w");
    EXPECT(tca_cuda_gemm(dm, NULL, 4, 1, dy, NULL, NULL, 0, NULL) == TCA_ERROR_PARAM_NULL, "gemm NULL x");
    EXPECT(tca_cuda_gemm(dm, dx, 4, 1, NULL, NULL, NULL, 0, NULL) == TCA_ERROR_PARAM_NULL, "gemm NULL y");
    EXPECT(tca_cuda_gemm(dm, dx, 0, 1, dy, NULL, NULL, 0, NULL) == TCA_ERROR_PARAM_SHAPE, "gemm n = 0");
    EXPECT(tca_cuda_gemm(dm, dx, 4, 4, dy, NULL, NULL, 0, NULL) == TCA_ERROR_PARAM_SPLIT_K, "gemm S = T + 1");
    EXPECT(tca_cuda_gemm(dm, dx, 4, 3, dy, NULL, dy, 8, NULL) == TCA_ERROR_PARAM_DST_TOO_SMALL, "small workspace");
    EXPECT(tca_cuda_decompress(dm, dy, 64 * 130 - 1, NULL) == TCA_ERROR_PARAM_DST_TOO_SMALL, "decompress dst");
    EXPECT(tca_cuda_decompress(dm, NULL, 64 * 130, NULL) == TCA_ERROR_PARAM_NULL, "decompress NULL");
    size_t ws = 1;
    EXPECT(tca_cuda_gemm_workspace_size(dm, 4, 1, &ws) == TCA_OK && ws == 0, "workspace S=1");
    EXPECT(tca_cuda_gemm_workspace_size(dm, 4, 3, &ws) == TCA_OK && ws == 3 * 4 * 64 * 4, "workspace S=3");
    g_cases += 13;
    /* Layout F (spec 8): the same API on an F upload. */
    tca_tbe_f_matrix *fm = NULL;
    EXPECT(tca_tbe_f_from_v1(&mat->view, NULL, &fm) == TCA_OK, "transcode");
    tca_cuda_matrix *dmf = NULL;
    EXPECT(tca_cuda_matrix_upload_f(NULL, &dmf) == TCA_ERROR_PARAM_NULL, "upload_f NULL view");
    EXPECT(tca_cuda_matrix_upload_f(&fm->view, NULL) == TCA_ERROR_PARAM_NULL, "upload_f NULL out");
    {
        /* A corrupted exception offset (spec 8.8 F14) must be rejected, nothing uploaded. */
        tca_tbe_f_view bad = fm->view;
        tca_tbe_f_sizes sz;
        tca_tbe_f_sizes_of(&bad.hdr, &sz);
        std::vector<uint8_t> xo(bad.exception_offsets, bad.exception_offsets + sz.offsets);
        xo[8] ^= 0x10;
        bad.exception_offsets = xo.data();
        tca_cuda_matrix *dm2 = NULL;
        tca_status st = tca_cuda_matrix_upload_f(&bad, &dm2);
        EXPECT(tca_status_is_format_error(st) && dm2 == NULL, "corrupt Exception_Offsets accepted: %s",
               tca_status_name(st));
    }
    EXPECT(tca_cuda_matrix_upload_f(&fm->view, &dmf) == TCA_OK, "upload_f");
    EXPECT(tca_cuda_matrix_layout(dmf) == TCA_LAYOUT_F && tca_cuda_matrix_layout(dm) == TCA_LAYOUT_V1, "layouts");
    EXPECT(tca_cuda_matrix_header(dmf) && tca_cuda_matrix_header(dmf)->rows == 64 &&
               tca_cuda_matrix_header(dmf)->cols == 130 && tca_cuda_matrix_header(dmf)->base == mat->view.hdr.base,
           "F header");
    EXPECT(tca_cuda_gemm(dmf, dx, 0, 1, dy, NULL, NULL, 0, NULL) == TCA_ERROR_PARAM_SHAPE, "F gemm n = 0");
    EXPECT(tca_cuda_gemm(dmf, dx, 4, 4, dy, NULL, NULL, 0, NULL) == TCA_ERROR_PARAM_SPLIT_K, "F gemm S = T + 1");
    EXPECT(tca_cuda_gemm(dmf, dx, 4, 3, dy, NULL, dy, 8, NULL) == TCA_ERROR_PARAM_DST_TOO_SMALL, "F small workspace");
    EXPECT(tca_cuda_decompress(dmf, dy, 64 * 130 - 1, NULL) == TCA_ERROR_PARAM_DST_TOO_SMALL, "F decompress dst");
    EXPECT(tca_cuda_gemm_workspace_size(dmf, 4, 3, &ws) == TCA_OK && ws == 3 * 4 * 64 * 4, "F workspace S=3: %zu", ws);
    EXPECT(tca_cuda_gemm_workspace_size(dmf, 4, 1, &ws) == TCA_OK && ws == 0, "F workspace S=1");
    EXPECT(tca_cuda_matrix_check(dmf) == TCA_OK, "F error word clear");
    g_cases += 13;
    tca_cuda_matrix_free(dmf);
    tca_tbe_f_matrix_free(fm);
    cudaFree(dx);
    cudaFree(dy);
    tca_cuda_matrix_free(dm);
    tca_tbe_matrix_free(mat);
}

/* Programmatic dependent launch (sm_90): a producer kernel that lets its dependents launch at
 * once, then writes X only after about a millisecond. ZipGEMM-F, launched with PDL, may start
 * during that time; it must not read X (nor write Y or the workspace) before the producer has
 * completed. Reading X early would multiply the stale zeros: the result must equal the reference
 * on the producer's X. */
__global__ void late_producer(const uint16_t *src, uint16_t *dst, uint64_t count, long long spin) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.launch_dependents;\n" ::: "memory");
#endif
    const long long t0 = clock64();
    while (clock64() - t0 < spin) {
    }
    for (uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += (uint64_t)gridDim.x * blockDim.x)
        dst[i] = src[i];
}

static void test_pdl_ordering(const tca_mma_profile *prof, tca_prng *r) {
    const uint64_t m = 256, k = 1024, n = 8;
    std::vector<uint16_t> w(m * k), x(n * k);
    fill(w, GAUSS, r);
    fill_x(x, GAUSS, r);
    tca_tbe_matrix *mat = encode(w, m, k, GAUSS);
    tca_tbe_f_matrix *fm = NULL;
    tca_cuda_matrix *dmf = NULL;
    EXPECT(tca_tbe_f_from_v1(&mat->view, NULL, &fm) == TCA_OK, "transcode");
    EXPECT(fm && tca_cuda_matrix_upload_f(&fm->view, &dmf) == TCA_OK, "upload_f");
    cudaStream_t stream;
    CUDA_OK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    uint16_t *dsrc = NULL, *dx = NULL, *dy = NULL;
    CUDA_OK(cudaMalloc(&dsrc, n * k * 2));
    CUDA_OK(cudaMalloc(&dx, n * k * 2));
    CUDA_OK(cudaMalloc(&dy, n * m * 2));
    CUDA_OK(cudaMemcpy(dsrc, x.data(), n * k * 2, cudaMemcpyHostToDevice));
    for (uint32_t split : {1u, 4u}) {
        std::vector<uint16_t> yref(n * m), hy(n * m);
        if (tca_gemm_ref(&mat->view, x.data(), n, prof, split, yref.data(), NULL) != TCA_OK) {
            fprintf(stderr, "tca_gemm_ref failed\n");
            exit(1);
        }
        size_t wsb = 0;
        void *ws = NULL;
        EXPECT(dmf && tca_cuda_gemm_workspace_size(dmf, n, split, &wsb) == TCA_OK, "workspace size");
        if (wsb) CUDA_OK(cudaMalloc(&ws, wsb)); /* allocated beforehand: nothing between the two kernels */
        CUDA_OK(cudaMemset(dx, 0, n * k * 2));
        CUDA_OK(cudaMemset(dy, 0xEE, n * m * 2));
        CUDA_OK(cudaDeviceSynchronize());
        late_producer<<<8, 256, 0, stream>>>(dsrc, dx, n * k, 2000000);
        CUDA_OK(cudaGetLastError());
        const tca_status st = dmf ? tca_cuda_gemm(dmf, dx, n, split, dy, NULL, ws, wsb, stream) : TCA_ERROR_PARAM_NULL;
        CUDA_OK(cudaStreamSynchronize(stream));
        CUDA_OK(cudaMemcpy(hy.data(), dy, n * m * 2, cudaMemcpyDeviceToHost));
        size_t bad = 0;
        for (size_t i = 0; i < n * m; ++i) bad += hy[i] != yref[i];
        ++g_cases;
        EXPECT(st == TCA_OK && bad == 0, "F gemm after a late producer (PDL) S=%u: %s, %zu of %llu differ", split,
               tca_status_name(st), bad, (unsigned long long)(n * m));
        if (ws) CUDA_OK(cudaFree(ws));
    }
    cudaFree(dsrc);
    cudaFree(dx);
    cudaFree(dy);
    CUDA_OK(cudaStreamDestroy(stream));
    tca_cuda_matrix_free(dmf);
    tca_tbe_f_matrix_free(fm);
    tca_tbe_matrix_free(mat);
}

/* The large-N path is not contract-exact; check it against the FP32 reference within a bound that
 * any fp32-accumulating order meets (catches layout errors, not rounding differences). */
static void test_dense_path(tca_prng *r) {
    const uint64_t m = 192, k = 320, n = 40;
    std::vector<uint16_t> w(m * k), x(n * k);
    fill(w, GAUSS, r);
    fill_x(x, GAUSS, r);
    tca_tbe_matrix *mat = encode(w, m, k, GAUSS);
    tca_cuda_matrix *dm = NULL;
    EXPECT(tca_cuda_matrix_upload(&mat->view, &dm) == TCA_OK, "upload");
    uint16_t *dx, *dy;
    CUDA_OK(cudaMalloc(&dx, n * k * 2));
    CUDA_OK(cudaMalloc(&dy, n * m * 2));
    CUDA_OK(cudaMemcpy(dx, x.data(), n * k * 2, cudaMemcpyHostToDevice));
    tca_status st = tca_cuda_gemm_dense(dm, dx, n, dy, NULL, NULL);
    CUDA_OK(cudaDeviceSynchronize());
    std::vector<uint16_t> y(n * m);
    CUDA_OK(cudaMemcpy(y.data(), dy, n * m * 2, cudaMemcpyDeviceToHost));
    size_t bad = 0;
    for (uint64_t i = 0; i < n; ++i)
        for (uint64_t j = 0; j < m; ++j) {
            double s = 0, a = 0;
            for (uint64_t kk = 0; kk < k; ++kk) {
                const double p = tca_double_from_bf16(w[j * k + kk]) * tca_double_from_bf16(x[i * k + kk]);
                s += p;
                a += fabs(p);
            }
            bad += fabs(tca_double_from_bf16(y[i * m + j]) - s) > 0.01 * a + 1e-30;
        }
    ++g_cases;
    EXPECT(st == TCA_OK && bad == 0, "dense path: %s, %zu outputs off", tca_status_name(st), bad);
    cudaFree(dx);
    cudaFree(dy);
    tca_cuda_matrix_free(dm);
    tca_tbe_matrix_free(mat);
}

int main(void) {
    int ndev = 0;
    if (cudaGetDeviceCount(&ndev) != cudaSuccess || ndev == 0) {
        printf("no CUDA device: skipped\n");
        return 77;
    }
    cudaDeviceProp prop;
    CUDA_OK(cudaGetDeviceProperties(&prop, 0));
    const char *pname = prop.major >= 9 ? "sm90" : "sm80";
    if (prop.major == 8 && prop.minor == 6) pname = "sm86";
    if (prop.major == 8 && prop.minor == 9) pname = "sm89";
    const tca_mma_profile *prof = tca_mma_profile_by_name(pname);
    if (!prof || prop.major > 9) {
        printf("no reference profile for this GPU (%s, sm_%d%d): skipped\n", prop.name, prop.major, prop.minor);
        return 77;
    }
    const char *seed_env = getenv("TCA_TEST_SEED");
    const uint64_t seed = seed_env ? strtoull(seed_env, NULL, 0) : 0x7CA5EEDull;
    const int full = getenv("TCA_CHECK_EXPENSIVE") && atoi(getenv("TCA_CHECK_EXPENSIVE")) == 1;
    /* TCA_CUDA_TEST_SMALL=1: only the small shapes (for compute-sanitizer runs). */
    const int small = getenv("TCA_CUDA_TEST_SMALL") && atoi(getenv("TCA_CUDA_TEST_SMALL")) == 1;
    printf("test_kernels: %s (sm_%d%d), profile %s, seed 0x%llx, %s tier\n", prop.name, prop.major, prop.minor, pname,
           (unsigned long long)seed, full ? "full" : "quick");
    tca_prng r;
    tca_prng_seed(&r, seed);

    test_api(&r);

    /* Decompressor: ragged M and K, every family. */
    const uint64_t dshapes[][2] = {{1, 1},    {1, 64},   {64, 64},  {17, 33},   {65, 130},  {100, 257},
                                   {128, 4096}, {300, 1000}, {3, 4097}, {1000, 72}, {4096, 512}};
    for (auto &s : dshapes)
        for (int f = 0; f < NFAMILIES; ++f)
            if (!small || s[0] * s[1] <= 100000) test_decompress(s[0], s[1], (Family)f, &r);
    printf("decompress: %d cases, %d failures so far\n", g_cases, g_failures);

    /* ZipGEMM: ragged M, K; N in {1,2,3,8,16,17,32,64,128}; S in {1,2,3,5,T}. */
    const std::vector<uint64_t> all_n = {1, 2, 3, 8, 16, 17, 32, 64, 128};
    const std::vector<uint64_t> few_n = {1, 17, 64};
    test_gemm_shape(64, 64, SMALL_INT, all_n, prof, &r);
    test_gemm_shape(100, 330, GAUSS, small ? few_n : all_n, prof, &r);
    test_gemm_shape(17, 1000, SPECIALS, small ? few_n : all_n, prof, &r);
    test_gemm_shape(130, 200, WIDE, few_n, prof, &r);
    test_gemm_shape(65, 129, ALL_FALLBACK, few_n, prof, &r);
    test_gemm_shape(1, 1, GAUSS, {1, 2, 3}, prof, &r);
    test_gemm_shape(7, 63, SMALL_INT, {3, 16, 200}, prof, &r);
    /* Layout F decode paths: exact per-lane exception counts 0..10, and 10 % out of window. */
    test_gemm_shape(128, 512, LANE_PATTERN, small ? few_n : all_n, prof, &r);
    test_gemm_shape(96, 300, MIXED, few_n, prof, &r);
    if (!small) {
        test_gemm_shape(256, 4096, GAUSS, {1, 16}, prof, &r);
        test_gemm_shape(33, 4160, SPECIALS, {2, 17}, prof, &r);
    }
    if (full) {
        test_gemm_shape(512, 2048, GAUSS, all_n, prof, &r);
        test_gemm_shape(300, 777, WIDE, all_n, prof, &r);
        test_gemm_shape(200, 640, ALL_FALLBACK, all_n, prof, &r);
        test_gemm_shape(320, 1000, MIXED, all_n, prof, &r);
        test_gemm_shape(64, 4096, LANE_PATTERN, {1, 8, 32}, prof, &r);
    }
    test_pdl_ordering(prof, &r);
    test_dense_path(&r);

    printf("test_kernels: %d cases, %d failures\n", g_cases, g_failures);
    return g_failures ? 1 : 0;
}
