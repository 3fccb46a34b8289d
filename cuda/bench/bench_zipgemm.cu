/* SPDX-License-Identifier: Apache-2.0 */
/* Benchmark: ZipGEMM on layout v1 and on layout F (the same matrix transcoded, spec 8.9) vs
 * cuBLASLt BF16 (best of its heuristic algorithms, timed) vs decompress + cuBLAS, on Llama-3.1
 * 8B / 70B layer shapes, plus both standalone decompressors and a device-to-device copy as the
 * bandwidth yardstick, all in the same run.
 *
 * Method: Gaussian sigma 0.02 BF16 weights, encoded by libtca (row bands in parallel with one
 * common window, then merged and validated on upload); CUDA events around each launch; the L2 is
 * flushed before every timed launch by writing a 256 MiB buffer; median of `reps` runs after
 * warm-up. Speedups are cuBLASLt time / ZipGEMM time.
 *
 * Usage: cuda_bench_zipgemm [reps] [shape-filter substring]   (default 30, all shapes) */
#include <cublasLt.h>
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <algorithm>
#include <string>
#include <thread>
#include <vector>
#include "tca/bf16.h"
#include "tca/prng.h"
#include "tca/tbe.h"
#include "tca/tbe_f.h"
#include "tca_cuda.h"

#define CK(call)                                                                                   \
    do {                                                                                           \
        cudaError_t e_ = (call);                                                                   \
        if (e_ != cudaSuccess) {                                                                   \
            fprintf(stderr, "CUDA error %s at %s:%d\n", cudaGetErrorString(e_), __FILE__, __LINE__); \
            exit(2);                                                                               \
        }                                                                                          \
    } while (0)
#define CKB(call)                                                                                  \
    do {                                                                                           \
        cublasStatus_t s_ = (call);                                                                \
        if (s_ != CUBLAS_STATUS_SUCCESS) {                                                         \
            fprintf(stderr, "cuBLAS error %d at %s:%d\n", (int)s_, __FILE__, __LINE__);           \
            exit(2);                                                                               \
        }                                                                                          \
    } while (0)

static int g_reps = 30;
static void *g_flush = NULL;
static const size_t kFlushBytes = 256u << 20;
static cudaEvent_t g_ev0, g_ev1;

template <class F> static double time_us(F f, int reps) {
    for (int i = 0; i < 2; ++i) f();
    CK(cudaDeviceSynchronize());
    std::vector<float> t(reps);
    for (int r = 0; r < reps; ++r) {
        CK(cudaMemsetAsync(g_flush, r & 0xFF, kFlushBytes, 0));
        CK(cudaEventRecord(g_ev0, 0));
        f();
        CK(cudaEventRecord(g_ev1, 0));
        CK(cudaEventSynchronize(g_ev1));
        CK(cudaEventElapsedTime(&t[r], g_ev0, g_ev1));
    }
    std::sort(t.begin(), t.end());
    return 1000.0 * t[reps / 2];
}

/* ---------------------------------------------------------------- parallel encode (host side) */

struct Encoded {
    tca_tbe_view view;
    std::vector<uint8_t> bm[3], tom, tog, sm, full;
};

static void put_u64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); } /* x86-64 / aarch64: little-endian */
static uint64_t get_u64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* Encode W (M x K, M a multiple of 64) in row bands on all cores with one common window; merge
 * the bands' arrays (spec 6: bands of whole global-tile rows concatenate, TOG is offset). */
static void encode_parallel(const std::vector<uint16_t> &w, uint64_t m, uint64_t k, Encoded &out) {
    const unsigned nth = std::max(1u, std::thread::hardware_concurrency());
    const uint64_t gr = m / 64;
    const uint64_t bands = std::min<uint64_t>(gr, nth * 2);
    std::vector<uint64_t> b0(bands + 1);
    for (uint64_t b = 0; b <= bands; ++b) b0[b] = gr * b / bands * 64;
    std::vector<std::vector<uint64_t>> hists(bands, std::vector<uint64_t>(256));
    std::vector<std::thread> th;
    for (uint64_t b = 0; b < bands; ++b)
        th.emplace_back([&, b] { tca_tbe_exponent_histogram(&w[b0[b] * k], b0[b + 1] - b0[b], k, hists[b].data()); });
    for (auto &t : th) t.join();
    th.clear();
    uint64_t hist[256] = {0};
    for (auto &h : hists)
        for (int i = 0; i < 256; ++i) hist[i] += h[i];
    const unsigned w0 = tca_tbe_select_window(hist, NULL);
    std::vector<tca_tbe_matrix *> mats(bands, nullptr);
    for (uint64_t b = 0; b < bands; ++b)
        th.emplace_back([&, b] {
            tca_tbe_encode_options o;
            tca_tbe_encode_options_default(&o);
            o.window_start = (int)w0;
            o.content_checksum = 0;
            if (tca_tbe_encode(&w[b0[b] * k], b0[b + 1] - b0[b], k, &o, NULL, &mats[b]) != TCA_OK) mats[b] = nullptr;
        });
    for (auto &t : th) t.join();
    tca_tbe_header h = mats[0]->view.hdr;
    h.rows = m;
    h.max_sign_mantissa = h.max_full = 0;
    h.sign_mantissa_len = h.full_len = 0;
    h.has_content_checksum = 0;
    out.tog.assign(16, 0);
    for (uint64_t b = 0; b < bands; ++b) {
        if (!mats[b]) {
            fprintf(stderr, "encode failed\n");
            exit(2);
        }
        const tca_tbe_view &v = mats[b]->view;
        tca_tbe_sizes sz;
        tca_tbe_sizes_of(&v.hdr, &sz);
        for (int p = 0; p < 3; ++p) out.bm[p].insert(out.bm[p].end(), v.bitmap[p], v.bitmap[p] + sz.bitmap);
        out.tom.insert(out.tom.end(), v.tom, v.tom + sz.tom);
        const uint64_t ng = sz.tog / 16 - 1;
        for (uint64_t g = 1; g <= ng; ++g) {
            uint8_t e[16];
            put_u64(e, get_u64(v.tog + 16 * g) + h.sign_mantissa_len);
            put_u64(e + 8, get_u64(v.tog + 16 * g + 8) + h.full_len);
            out.tog.insert(out.tog.end(), e, e + 16);
        }
        out.sm.insert(out.sm.end(), v.sign_mantissa, v.sign_mantissa + sz.sign_mantissa);
        out.full.insert(out.full.end(), v.full, v.full + sz.full);
        h.sign_mantissa_len += v.hdr.sign_mantissa_len;
        h.full_len += v.hdr.full_len;
        h.max_sign_mantissa = std::max(h.max_sign_mantissa, v.hdr.max_sign_mantissa);
        h.max_full = std::max(h.max_full, v.hdr.max_full);
        tca_tbe_matrix_free(mats[b]);
    }
    out.view.hdr = h;
    for (int p = 0; p < 3; ++p) out.view.bitmap[p] = out.bm[p].data();
    out.view.tom = out.tom.data();
    out.view.tog = out.tog.data();
    out.view.sign_mantissa = out.sm.data();
    out.view.full = out.full.data();
}

static void gaussian_parallel(std::vector<uint16_t> &w, double sigma, uint64_t seed) {
    const unsigned nth = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> th;
    const size_t n = w.size();
    for (unsigned t = 0; t < nth; ++t)
        th.emplace_back([&, t] {
            tca_prng r;
            tca_prng_seed(&r, tca_prng_derive(seed, t));
            for (size_t i = n * t / nth; i < n * (t + 1) / nth; ++i)
                w[i] = tca_bf16_from_double_rne(sigma * tca_prng_normal(&r));
        });
    for (auto &x : th) x.join();
}

/* ---------------------------------------------------------------- cuBLASLt best algorithm */

struct LtGemm {
    cublasLtHandle_t lt;
    cublasLtMatmulDesc_t op;
    cublasLtMatrixLayout_t a, b, c;
    std::vector<cublasLtMatmulHeuristicResult_t> algos;
    void *ws;
    size_t ws_bytes;
    int best;
};

static void lt_setup(LtGemm &g, uint64_t m, uint64_t k, uint64_t n) {
    /* Column-major view: C (M x N, ld M) = op(A) * B with A = W^T stored K x M (ld K), op = T;
     * B = X^T stored K x N (ld K). */
    CKB(cublasLtMatmulDescCreate(&g.op, CUBLAS_COMPUTE_32F, CUDA_R_32F));
    cublasOperation_t ta = CUBLAS_OP_T, tb = CUBLAS_OP_N;
    CKB(cublasLtMatmulDescSetAttribute(g.op, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof ta));
    CKB(cublasLtMatmulDescSetAttribute(g.op, CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof tb));
    CKB(cublasLtMatrixLayoutCreate(&g.a, CUDA_R_16BF, k, m, k));
    CKB(cublasLtMatrixLayoutCreate(&g.b, CUDA_R_16BF, k, n, k));
    CKB(cublasLtMatrixLayoutCreate(&g.c, CUDA_R_16BF, m, n, m));
    cublasLtMatmulPreference_t pref;
    CKB(cublasLtMatmulPreferenceCreate(&pref));
    CKB(cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &g.ws_bytes,
                                             sizeof g.ws_bytes));
    g.algos.resize(8);
    int found = 0;
    CKB(cublasLtMatmulAlgoGetHeuristic(g.lt, g.op, g.a, g.b, g.c, g.c, pref, 8, g.algos.data(), &found));
    g.algos.resize(found);
    cublasLtMatmulPreferenceDestroy(pref);
}

static void lt_run(LtGemm &g, int i, const void *w, const void *x, void *y) {
    const float one = 1.0f, zero = 0.0f;
    CKB(cublasLtMatmul(g.lt, g.op, &one, w, g.a, x, g.b, &zero, y, g.c, y, g.c, &g.algos[i].algo, g.ws, g.ws_bytes,
                       0));
}

static void lt_free(LtGemm &g) {
    cublasLtMatrixLayoutDestroy(g.a);
    cublasLtMatrixLayoutDestroy(g.b);
    cublasLtMatrixLayoutDestroy(g.c);
    cublasLtMatmulDescDestroy(g.op);
}

/* ---------------------------------------------------------------- main */

struct Shape {
    const char *name;
    uint64_t m, k;
};

int main(int argc, char **argv) {
    int ndev = 0;
    if (cudaGetDeviceCount(&ndev) != cudaSuccess || ndev == 0) {
        printf("no CUDA device\n");
        return 77;
    }
    if (argc > 1) g_reps = std::max(5, atoi(argv[1]));
    const char *filter = argc > 2 ? argv[2] : "";
    cudaDeviceProp prop;
    CK(cudaGetDeviceProperties(&prop, 0));
    int drv = 0;
    cudaDriverGetVersion(&drv);
    printf("# bench_zipgemm: %s, %d SMs, sm_%d%d, driver API %d; median of %d runs, L2 flushed (256 MiB) before each\n",
           prop.name, prop.multiProcessorCount, prop.major, prop.minor, drv, g_reps);
    CK(cudaMalloc(&g_flush, kFlushBytes));
    CK(cudaEventCreate(&g_ev0));
    CK(cudaEventCreate(&g_ev1));

    /* Copy bandwidth yardstick: 1 GiB device-to-device, bytes read + written. */
    const size_t cbytes = 1u << 30;
    void *c0, *c1;
    CK(cudaMalloc(&c0, cbytes));
    CK(cudaMalloc(&c1, cbytes));
    CK(cudaMemset(c0, 1, cbytes));
    const double copy_us = time_us([&] { CK(cudaMemcpyAsync(c1, c0, cbytes, cudaMemcpyDeviceToDevice, 0)); }, 10);
    const double copy_tbs = 2.0 * cbytes / (copy_us * 1e-6) / 1e12;
    printf("# device-to-device copy: %.3f TB/s (read + write)\n", copy_tbs);
    CK(cudaFree(c0));
    CK(cudaFree(c1));

    LtGemm lt;
    CKB(cublasLtCreate(&lt.lt));
    lt.ws_bytes = 64u << 20;
    CK(cudaMalloc(&lt.ws, lt.ws_bytes));

    const Shape shapes[] = {{"8B QKV 6144x4096", 6144, 4096},       {"8B O 4096x4096", 4096, 4096},
                            {"8B GateUp 28672x4096", 28672, 4096},  {"8B Down 4096x14336", 4096, 14336},
                            {"70B QKV 10240x8192", 10240, 8192},    {"70B O 8192x8192", 8192, 8192},
                            {"70B GateUp 57344x8192", 57344, 8192}, {"70B Down 8192x28672", 8192, 28672}};
    const uint64_t ns[] = {1, 2, 4, 8, 16, 32, 64, 128};
    const int nn = sizeof ns / sizeof ns[0];
    const uint32_t s_cand[] = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64};
    std::vector<std::vector<double>> sp_auto(nn), sp_best(nn), spf_auto(nn), spf_best(nn);

    for (const Shape &sh : shapes) {
        if (*filter && !strstr(sh.name, filter)) continue;
        const uint64_t m = sh.m, k = sh.k;
        std::vector<uint16_t> w(m * k);
        gaussian_parallel(w, 0.02, 0x5EED0000ull + m + k);
        Encoded enc;
        encode_parallel(w, m, k, enc);
        tca_cuda_matrix *dm = NULL;
        tca_status st = tca_cuda_matrix_upload(&enc.view, &dm);
        if (st != TCA_OK) {
            fprintf(stderr, "upload: %s\n", tca_status_name(st));
            return 2;
        }
        /* Layout F: the same matrix transcoded (spec 8.9; validated again by the upload). */
        tca_tbe_f_matrix *fmat = NULL;
        tca_cuda_matrix *dmf = NULL;
        st = tca_tbe_f_from_v1(&enc.view, NULL, &fmat);
        if (st == TCA_OK) st = tca_cuda_matrix_upload_f(&fmat->view, &dmf);
        if (st != TCA_OK) {
            fprintf(stderr, "layout F: %s\n", tca_status_name(st));
            return 2;
        }
        tca_tbe_f_matrix_free(fmat);
        const double cbytes_f = (double)tca_cuda_matrix_bytes(dmf);
        const double cbytes_w = (double)tca_cuda_matrix_bytes(dm), dbytes = 2.0 * m * k;
        uint16_t *dw, *dx, *dy;
        CK(cudaMalloc(&dw, m * k * 2));
        CK(cudaMemcpy(dw, w.data(), m * k * 2, cudaMemcpyHostToDevice));
        const uint64_t nmax = 128;
        CK(cudaMalloc(&dx, nmax * k * 2));
        CK(cudaMalloc(&dy, nmax * m * 2));
        {
            std::vector<uint16_t> x(nmax * k);
            gaussian_parallel(x, 1.0, 77);
            CK(cudaMemcpy(dx, x.data(), x.size() * 2, cudaMemcpyHostToDevice));
        }
        size_t wsb = 0;
        for (uint64_t n : ns)
            for (uint32_t s : s_cand) {
                size_t b = 0;
                if (s <= (k + 63) / 64 && tca_cuda_gemm_workspace_size(dm, n, s, &b) == TCA_OK) wsb = std::max(wsb, b);
            }
        for (uint64_t n : ns) {
            size_t b = 0;
            tca_cuda_gemm_workspace_size(dm, n, 0, &b);
            wsb = std::max(wsb, b);
        }
        void *ws = NULL;
        if (wsb) CK(cudaMalloc(&ws, wsb));
        uint16_t *scratch;
        CK(cudaMalloc(&scratch, m * k * 2));

        const double dec_us = time_us([&] { tca_cuda_decompress(dm, scratch, m * k, NULL); }, g_reps);
        {
            /* decompressor must reproduce W exactly (spot check of the benchmark's own data) */
            std::vector<uint16_t> back(m * k);
            CK(cudaMemcpy(back.data(), scratch, m * k * 2, cudaMemcpyDeviceToHost));
            if (memcmp(back.data(), w.data(), m * k * 2) != 0) {
                fprintf(stderr, "decompress mismatch on %s\n", sh.name);
                return 1;
            }
        }
        const double decf_us = time_us([&] { tca_cuda_decompress(dmf, scratch, m * k, NULL); }, g_reps);
        {
            std::vector<uint16_t> back(m * k);
            CK(cudaMemcpy(back.data(), scratch, m * k * 2, cudaMemcpyDeviceToHost));
            if (memcmp(back.data(), w.data(), m * k * 2) != 0) {
                fprintf(stderr, "layout F decompress mismatch on %s\n", sh.name);
                return 1;
            }
        }
        printf("\n## %s: compressed %.1f MB (ratio %.3f, %.2f bits/weight); layout F %.1f MB (%.2f bits/weight)\n",
               sh.name, cbytes_w / 1e6, dbytes / cbytes_w, 8.0 * cbytes_w / (m * k), cbytes_f / 1e6,
               8.0 * cbytes_f / (m * k));
        printf("decompressor v1: %.1f us, %.3f TB/s (compressed read + dense write) = %.0f%% of copy\n", dec_us,
               (cbytes_w + dbytes) / (dec_us * 1e-6) / 1e12, 100.0 * (cbytes_w + dbytes) / (dec_us * 1e-6) / 1e12 / copy_tbs);
        printf("decompressor F: %.1f us, %.3f TB/s (compressed read + dense write) = %.0f%% of copy\n", decf_us,
               (cbytes_f + dbytes) / (decf_us * 1e-6) / 1e12,
               100.0 * (cbytes_f + dbytes) / (decf_us * 1e-6) / 1e12 / copy_tbs);
        printf("| N | cuBLASLt us | ZipGEMM auto us (S) | speedup | ZipGEMM best us (S) | speedup | decomp+cuBLAS us | "
               "ZipGEMM compressed TB/s | cuBLAS dense TB/s | F auto us (S) | F speedup | F best us (S) | F speedup | "
               "F compressed TB/s |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int ni = 0; ni < nn; ++ni) {
            const uint64_t n = ns[ni];
            lt_setup(lt, m, k, n);
            double lt_us = 1e30;
            for (int a = 0; a < (int)lt.algos.size(); ++a)
                lt_us = std::min(lt_us, time_us([&] { lt_run(lt, a, dw, dx, dy); }, g_reps));
            lt_free(lt);
            const uint32_t sa = tca_cuda_gemm_auto_split(dm, n);
            const double za = time_us([&] { tca_cuda_gemm(dm, dx, n, sa, dy, NULL, ws, wsb, NULL); }, g_reps);
            double zb = za;
            uint32_t sb = sa;
            for (uint32_t s : s_cand) {
                if (s > (k + 63) / 64 || s == sa) continue;
                const double t = time_us([&] { tca_cuda_gemm(dm, dx, n, s, dy, NULL, ws, wsb, NULL); }, g_reps);
                if (t < zb) {
                    zb = t;
                    sb = s;
                }
            }
            const double dd = time_us([&] { tca_cuda_gemm_dense(dm, dx, n, dy, scratch, NULL); }, g_reps);
            CK(cudaGetLastError());
            /* layout F: the same automatic S (same work split) and the same sweep */
            const uint32_t fa_s = tca_cuda_gemm_auto_split(dmf, n);
            const double fa = time_us([&] { tca_cuda_gemm(dmf, dx, n, fa_s, dy, NULL, ws, wsb, NULL); }, g_reps);
            double fb = fa;
            uint32_t fb_s = fa_s;
            for (uint32_t s : s_cand) {
                if (s > (k + 63) / 64 || s == fa_s) continue;
                const double t = time_us([&] { tca_cuda_gemm(dmf, dx, n, s, dy, NULL, ws, wsb, NULL); }, g_reps);
                if (t < fb) {
                    fb = t;
                    fb_s = s;
                }
            }
            CK(cudaGetLastError());
            sp_auto[ni].push_back(lt_us / za);
            sp_best[ni].push_back(lt_us / zb);
            spf_auto[ni].push_back(lt_us / fa);
            spf_best[ni].push_back(lt_us / fb);
            printf("| %llu | %.1f | %.1f (%u) | %.3f | %.1f (%u) | %.3f | %.1f | %.3f | %.3f | %.1f (%u) | %.3f | %.1f (%u) "
                   "| %.3f | %.3f |\n",
                   (unsigned long long)n, lt_us, za, sa, lt_us / za, zb, sb, lt_us / zb, dd,
                   cbytes_w / (za * 1e-6) / 1e12, dbytes / (lt_us * 1e-6) / 1e12, fa, fa_s, lt_us / fa, fb, fb_s,
                   lt_us / fb, cbytes_f / (fa * 1e-6) / 1e12);
            fflush(stdout);
        }
        if (tca_cuda_matrix_check(dm) != TCA_OK || tca_cuda_matrix_check(dmf) != TCA_OK) {
            fprintf(stderr, "device error word set\n");
            return 1;
        }
        /* Large-N switch point: fused (auto S) vs decompress + cuBLAS for prefill sizes. */
        if (!strcmp(sh.name, "8B O 4096x4096") || !strcmp(sh.name, "70B O 8192x8192") ||
            !strcmp(sh.name, "8B GateUp 28672x4096")) {
            const uint64_t big[] = {128, 256, 512, 1024, 2048};
            uint16_t *bx, *by;
            CK(cudaMalloc(&bx, 2048 * k * 2));
            CK(cudaMalloc(&by, 2048 * m * 2));
            CK(cudaMemset(bx, 0x3C, 2048 * k * 2));
            printf("large-N: | N | ZipGEMM us | decomp+cuBLAS us |\n");
            for (uint64_t n : big) {
                const int r = std::max(5, g_reps / 3);
                const double f = time_us([&] { tca_cuda_gemm(dm, bx, n, 0, by, NULL, NULL, 0, NULL); }, r);
                const double d = time_us([&] { tca_cuda_gemm_dense(dm, bx, n, by, scratch, NULL); }, r);
                printf("large-N: | %llu | %.1f | %.1f |\n", (unsigned long long)n, f, d);
            }
            CK(cudaFree(bx));
            CK(cudaFree(by));
        }
        CK(cudaFree(scratch));
        if (ws) CK(cudaFree(ws));
        CK(cudaFree(dw));
        CK(cudaFree(dx));
        CK(cudaFree(dy));
        tca_cuda_matrix_free(dm);
        tca_cuda_matrix_free(dmf);
    }

    const char *layout_name[2] = {"v1", "F"};
    for (int lay = 0; lay < 2; ++lay) {
        const auto &va = lay ? spf_auto : sp_auto;
        const auto &vb = lay ? spf_best : sp_best;
        printf("\n## Summary: ZipGEMM (layout %s) / cuBLASLt speedup over the shapes run\n| N | geomean auto | min auto | "
               "geomean best-S | min best-S |\n|---|---|---|---|---|\n",
               layout_name[lay]);
        for (int ni = 0; ni < nn; ++ni) {
            if (va[ni].empty()) continue;
            double la = 0, lb = 0, ma = 1e9, mb = 1e9;
            for (size_t i = 0; i < va[ni].size(); ++i) {
                la += log(va[ni][i]);
                lb += log(vb[ni][i]);
                ma = std::min(ma, va[ni][i]);
                mb = std::min(mb, vb[ni][i]);
            }
            printf("| %llu | %.3f | %.3f | %.3f | %.3f |\n", (unsigned long long)ns[ni], exp(la / va[ni].size()), ma,
                   exp(lb / vb[ni].size()), mb);
        }
    }
    return 0;
}
